//! The audit report as one HTML page: its style inline, no script, no resource
//! fetched from anywhere; every link is to a place on the page.

use super::{own_text, rule_anchor, scenario_anchor, source_anchor, timeline, Audit};
use crate::ast::EffectKind;
use crate::outcome::Outcome;
use crate::program::{display, Program, Rule, Stmt};
use crate::run::ScenarioResult;
use std::fmt::Write;

const STYLE: &str = "\
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;max-width:1040px;margin:0 auto;padding:24px}\
h1{font-size:26px;margin:0 0 4px}h2{border-bottom:2px solid #d8dde6;padding-bottom:4px;margin-top:40px}\
h3{margin:28px 0 6px}h3 small{font-weight:normal;color:#4a5568}h4{margin:16px 0 4px;font-size:15px;color:#2d3748}\
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #d8dde6;padding:3px 8px;text-align:left;vertical-align:top}\
th{background:#f1f4f8}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}\
pre{white-space:pre-wrap;background:#f7f8fa;padding:8px;border-radius:4px;margin:4px 0}\
blockquote{margin:6px 0;padding:4px 12px;border-left:4px solid #5b7bd5;background:#f5f7fd}\
article.rule{border-top:1px solid #e2e6ee}.missing{color:#b42318}.passed{color:#067647}.failed{color:#b42318}\
.error{color:#b42318}.deny{color:#b42318;font-weight:600}.allow{color:#067647;font-weight:600}.muted{color:#5a6474}\
svg .tick{stroke:#d8dde6}svg .year{font-size:12px;fill:#5a6474;text-anchor:middle}svg .quarter{font-size:10px}\
svg .name{font-size:13px;text-anchor:end;fill:#1d2330}svg .bar{fill:#5b7bd5}svg .bar.open-end,svg .bar.open-start{fill:#8fa6e6}\
svg .days{font-size:12px;fill:#fff}nav ol{columns:2}";

pub use crate::report::markup::escape;

pub fn html(audit: &Audit<'_>) -> String {
    let p = audit.program;
    let m = &p.manifest;
    let mut out = String::new();
    let title = format!("Audit report: {} {}", m.name, m.version);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    summary(audit, &mut out);
    contents(audit, &mut out);
    timeline_section(audit, &mut out);
    let _ = writeln!(out, "<section id=\"rules\">\n<h2>Rules</h2>");
    for (index, rule) in audit.rules() {
        rule_section(audit, index, rule, &mut out);
    }
    out.push_str("</section>\n");
    scenarios(audit, &mut out);
    sources(p, &mut out);
    out.push_str("</body>\n</html>\n");
    out
}

fn summary(audit: &Audit<'_>, out: &mut String) {
    let p = audit.program;
    let m = &p.manifest;
    let _ = writeln!(out, "<header>\n<h1>Audit report of <code>{}</code> {}</h1>", escape(&m.name), escape(&m.version));
    if !m.description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&m.description));
    }
    let prov = audit.provenance;
    let revision = match (&prov.revision, prov.modified) {
        (Some(r), false) => format!("<code>{}</code>", escape(r)),
        (Some(r), true) => format!("<code>{}</code> with changes not committed", escape(r)),
        (None, _) => "not in a git repository".to_string(),
    };
    let ids: std::collections::HashSet<&str> = p.rules.iter().map(|r| r.id.as_str()).collect();
    let dated = dated_ids(p);
    let rules = if dated.is_empty() {
        format!("{}, every one in force every day", ids.len())
    } else {
        format!("{}, of which dated: {}", ids.len(), dated.join(", "))
    };
    let t = tally(audit);
    let coverage = audit.summary().map_or_else(
        || "not measured".to_string(),
        |s| format!("{} % of branch ways ({} of {})", s.percent_text(), s.seen, s.total),
    );
    let rows = [
        ("Pack", format!("<code>{}</code> {}, from {}", escape(&m.name), escape(&m.version), escape(&prov.origin))),
        ("Revision", revision),
        ("Date", prov.date.as_deref().map_or_else(|| "not given".to_string(), escape)),
        ("Rules", rules),
        ("Outputs", p.outputs.len().to_string()),
        ("Parameters", p.params.len().to_string()),
        ("Scenarios", {
            // A count in red only when it is not zero.
            let marked = |n: usize, class: &str, what: &str| {
                format!("<span class=\"{}\">{n} {what}</span>", if n > 0 { class } else { "muted" })
            };
            format!(
                "{} evaluated: {}, {}, {} without expectations, {}",
                audit.run.results.len(),
                marked(t[0], "passed", "passed"),
                marked(t[1], "failed", "failed"),
                t[2],
                marked(t[3], "error", "with errors")
            )
        }),
        ("Coverage", coverage),
        (
            "Sources",
            p.documents
                .iter()
                .map(|d| format!("<a href=\"#{}\">{}</a>", source_anchor(d, None), escape(&d.id)))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    out.push_str("<table class=\"summary\">\n");
    for (k, v) in rows {
        let _ = writeln!(out, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    out.push_str("</table>\n</header>\n");
}

/// The rules with days in force, each version by its id and days, in source order.
fn dated_ids(p: &Program) -> Vec<String> {
    p.rules_in_source_order()
        .into_iter()
        .filter_map(|i| p.rules.get(i))
        .filter(|r| r.in_force.is_some())
        .map(|r| format!("<a href=\"#{}\">{}</a>", rule_anchor(r), escape(&r.versioned_id())))
        .collect()
}

/// Passed, failed, unchecked, errors.
fn tally(audit: &Audit<'_>) -> [usize; 4] {
    let mut t = [0; 4];
    for r in &audit.run.results {
        let slot = match super::Audit::result_status(r) {
            "passed" => 0,
            "failed" => 1,
            "unchecked" => 2,
            _ => 3,
        };
        if let Some(n) = t.get_mut(slot) {
            *n += 1;
        }
    }
    t
}

fn contents(audit: &Audit<'_>, out: &mut String) {
    out.push_str("<nav id=\"contents\">\n<h2>Contents</h2>\n<p><a href=\"#timeline\">What is in force when</a> · <a href=\"#rules\">Rules</a> · <a href=\"#scenarios\">Scenarios</a> · <a href=\"#sources\">Sources</a></p>\n<ol>\n");
    for (_, rule) in audit.rules() {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a> {}</li>",
            rule_anchor(rule),
            escape(&rule.versioned_id()),
            escape(&rule.title)
        );
    }
    out.push_str("</ol>\n</nav>\n");
}

fn timeline_section(audit: &Audit<'_>, out: &mut String) {
    out.push_str("<section id=\"timeline\">\n<h2>What is in force when</h2>\n");
    let dated = audit.dated();
    match timeline::svg(&dated) {
        Some(svg) => {
            out.push_str(&svg);
            out.push('\n');
            let every = audit.program.rules.iter().filter(|r| r.in_force.is_none()).count();
            let _ = writeln!(out, "<p>The other {every} rules, and every other parameter, are in force every day. Both ends of a period are days in force.</p>");
        }
        None => out.push_str("<p>Every rule and parameter is in force every day.</p>\n"),
    }
    out.push_str("</section>\n");
}

fn rule_section(audit: &Audit<'_>, index: usize, rule: &Rule, out: &mut String) {
    let p = audit.program;
    let _ = writeln!(
        out,
        "<article class=\"rule\" id=\"{}\">\n<h3>{} <small>{}</small></h3>",
        rule_anchor(rule),
        escape(&rule.id),
        escape(&rule.title)
    );
    let place = p.sources.get(rule.file).map_or(String::new(), |f| {
        let (line, col) = super::super::location::line_col(f, rule.id_span.start);
        format!("{}:{line}:{col}", f.name)
    });
    let days = rule.in_force.map_or_else(|| "every day".to_string(), |d| d.to_string());
    let _ =
        writeln!(out, "<p class=\"muted\">In force {}; defined in <code>{}</code>.</p>", escape(&days), escape(&place));
    if !rule.doc.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&rule.doc.join(" ")));
    }
    out.push_str("<h4>Source</h4>\n");
    for q in audit.quotes(rule) {
        match q.found {
            Some((doc, section)) => {
                let (text, cut) = crate::citation::passage(doc, section);
                let heading = section.map_or_else(|| doc.id.clone(), |s| format!("{} § {}", doc.id, s.title));
                let anchor = source_anchor(doc, section);
                let more = if cut { " (continues in the source)" } else { "" };
                let _ = writeln!(
                    out,
                    "<blockquote cite=\"#{anchor}\"><p><code>{}</code>: {}</p><pre>{}</pre><p><a href=\"#{anchor}\">In the source{more}</a></p></blockquote>",
                    escape(&q.text),
                    escape(&heading),
                    escape(&text)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<p class=\"missing\"><code>{}</code>: not in the pack's sources</p>",
                    escape(&q.text)
                );
            }
        }
    }
    params(audit, rule, out);
    effects(p, rule, out);
    proving(audit, index, out);
    coverage(audit, index, rule, out);
    out.push_str("</article>\n");
}

fn params(audit: &Audit<'_>, rule: &Rule, out: &mut String) {
    let p = audit.program;
    out.push_str("<h4>Parameters it reads</h4>\n");
    if rule.params.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>\n");
        return;
    }
    out.push_str("<table><tr><th>Parameter</th><th>Value</th><th>In force</th></tr>\n");
    for name in &rule.params {
        let Some(param) = p.params.iter().find(|x| x.name == *name) else { continue };
        if param.versions.is_empty() {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>every day</td></tr>",
                escape(name),
                escape(&p.param_text(param))
            );
        }
        for (period, value) in &param.versions {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(name),
                escape(&display(value, &param.ty, &p.schema)),
                escape(&period.to_string())
            );
        }
    }
    out.push_str("</table>\n");
}

fn effects(p: &Program, rule: &Rule, out: &mut String) {
    let outputs: Vec<String> =
        rule.writes().filter_map(|o| p.outputs.get(o)).map(|o| format!("<code>{}</code>", escape(&o.name))).collect();
    let count =
        |k: EffectKind| rule.body.iter().filter(|s| matches!(s, Stmt::Effect { kind, .. } if *kind == k)).count();
    let _ = writeln!(
        out,
        "<p>Writes {}; {} deny, {} warn, {} note statements.</p>",
        if outputs.is_empty() { "no output".to_string() } else { outputs.join(", ") },
        count(EffectKind::Deny),
        count(EffectKind::Warn),
        count(EffectKind::Note)
    );
}

fn proving(audit: &Audit<'_>, index: usize, out: &mut String) {
    let scenarios = audit.proving(index);
    let _ = writeln!(out, "<h4>Scenarios that prove it ({})</h4>", scenarios.len());
    if scenarios.is_empty() {
        out.push_str("<p class=\"missing\">No scenario applies this rule.</p>\n");
        return;
    }
    out.push_str("<table><tr><th>Scenario</th><th>As of</th><th>Decision</th><th>This rule found</th><th>Expectations</th></tr>\n");
    for &i in scenarios {
        let Some(r) = audit.run.results.get(i) else { continue };
        let Ok(ev) = &r.result else { continue };
        let found = findings_of(&ev.outcome, index);
        let status = super::Audit::result_status(r);
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td class=\"{d}\">{d}</td><td>{}</td><td class=\"{status}\">{status}</td></tr>",
            scenario_anchor(i),
            escape(r.name.as_deref().unwrap_or("(unnamed)")),
            ev.scenario.as_of,
            escape(&found),
            d = ev.outcome.decision.as_str(),
        );
    }
    out.push_str("</table>\n");
}

/// The findings of one rule in an outcome: `deny: message; note: message`.
fn findings_of(o: &Outcome, index: usize) -> String {
    let mut parts = Vec::new();
    for (kind, list) in [("deny", &o.denials), ("warn", &o.warnings), ("note", &o.notes)] {
        parts.extend(list.iter().filter(|f| f.rule == index).map(|f| format!("{kind}: {}", f.message)));
    }
    if parts.is_empty() {
        "applied, nothing to say".to_string()
    } else {
        parts.join("; ")
    }
}

fn coverage(audit: &Audit<'_>, index: usize, rule: &Rule, out: &mut String) {
    let points = audit.points(index);
    if audit.coverage().is_none() {
        return;
    }
    let s = crate::coverage::Summary::of(points);
    let _ =
        writeln!(out, "<h4>Coverage</h4>\n<p>{} of {} branch ways seen ({} %).</p>", s.seen, s.total, s.percent_text());
    let missing: Vec<String> = points
        .iter()
        .filter(|pt| !pt.is_covered())
        .map(|pt| {
            let place = audit.program.sources.get(rule.file).map_or(String::new(), |f| {
                let (line, col) = super::super::location::line_col(f, pt.span.start);
                format!("{}:{line}:{col}", f.name)
            });
            format!(
                "<li class=\"missing\"><code>{}</code>: {}</li>",
                escape(&place),
                escape(&crate::report::coverage::missing(pt))
            )
        })
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "<ul>{}</ul>", missing.join(""));
    }
}

fn scenarios(audit: &Audit<'_>, out: &mut String) {
    let p = audit.program;
    let _ = writeln!(out, "<section id=\"scenarios\">\n<h2>Scenarios ({})</h2>", audit.run.results.len());
    out.push_str("<table><tr><th>#</th><th>Scenario</th><th>File</th><th>As of</th><th>Decision</th><th>Expectations</th><th>Rules applied</th></tr>\n");
    for (i, r) in audit.run.results.iter().enumerate() {
        row(audit, p, i, r, out);
    }
    out.push_str("</table>\n</section>\n");
}

fn row(audit: &Audit<'_>, p: &Program, i: usize, r: &ScenarioResult, out: &mut String) {
    let status = super::Audit::result_status(r);
    let (as_of, decision) = match &r.result {
        Ok(ev) => (ev.scenario.as_of.to_string(), ev.outcome.decision.as_str()),
        Err(_) => (String::new(), "error"),
    };
    let applied: Vec<String> = audit
        .applied
        .get(i)
        .map(|rules| {
            rules
                .iter()
                .filter_map(|&x| p.rules.get(x))
                .map(|rule| format!("<a href=\"#{}\">{}</a>", rule_anchor(rule), escape(&rule.id)))
                .collect()
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr id=\"{}\"><td>{}</td><td>{}</td><td><code>{}</code></td><td>{as_of}</td><td class=\"{decision}\">{decision}</td><td class=\"{status}\">{status}</td><td>{}</td></tr>",
        scenario_anchor(i),
        i + 1,
        escape(r.name.as_deref().unwrap_or("(unnamed)")),
        escape(&r.file.name),
        applied.join(", ")
    );
}

fn sources(p: &Program, out: &mut String) {
    out.push_str("<section id=\"sources\">\n<h2>Sources</h2>\n");
    if p.documents.is_empty() {
        out.push_str("<p class=\"muted\">The pack carries no source documents (<code>sources/*.md</code>).</p>\n");
    }
    for doc in &p.documents {
        let _ = writeln!(
            out,
            "<article id=\"{}\">\n<h3>{} <small><code>{}</code></small></h3>",
            source_anchor(doc, None),
            escape(&doc.id),
            escape(&doc.file.name)
        );
        for section in &doc.sections {
            let level = (section.level + 3).min(6);
            let _ = writeln!(
                out,
                "<div id=\"{}\"><h{level}>{} <small class=\"muted\">#{}</small></h{level}><pre>{}</pre></div>",
                source_anchor(doc, Some(section)),
                escape(&section.title),
                escape(&section.anchor),
                escape(own_text(doc, section))
            );
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}
