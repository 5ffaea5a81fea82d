//! The audit report in Markdown: the same content as the HTML page, the timeline as a
//! table, anchors as GitHub names headings.

use super::{own_text, Audit};
use crate::program::display;
use std::fmt::Write;

/// Text safe inside a table cell, on one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(audit: &Audit<'_>) -> String {
    let p = audit.program;
    let m = &p.manifest;
    let prov = audit.provenance;
    let mut out = String::new();
    let _ = writeln!(out, "# Audit report of `{}` {}\n", m.name, m.version);
    if !m.description.is_empty() {
        let _ = writeln!(out, "{}\n", m.description);
    }
    let revision = match (&prov.revision, prov.modified) {
        (Some(r), false) => format!("`{r}`"),
        (Some(r), true) => format!("`{r}` with changes not committed"),
        (None, _) => "not in a git repository".into(),
    };
    let coverage = audit.summary().map_or_else(
        || "not measured".to_string(),
        |s| format!("{} % of branch ways ({} of {})", s.percent_text(), s.seen, s.total),
    );
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Pack | `{}` {}, from {} |", m.name, m.version, cell(&prov.origin));
    let _ = writeln!(out, "| Revision | {revision} |");
    let _ = writeln!(out, "| Date | {} |", prov.date.as_deref().unwrap_or("not given"));
    let ids: std::collections::HashSet<&str> = p.rules.iter().map(|r| r.id.as_str()).collect();
    let dated = p.rules.iter().filter(|r| r.in_force.is_some()).count();
    let _ = writeln!(out, "| Rules | {} ({dated} dated by `in force`) |", ids.len());
    let _ = writeln!(out, "| Scenarios | {} |", audit.run.results.len());
    let _ = writeln!(out, "| Coverage | {coverage} |");
    out.push_str("\n## What is in force when\n\n");
    let dated = audit.dated();
    if dated.is_empty() {
        out.push_str("Every rule and parameter is in force every day.\n");
    } else {
        out.push_str("| What | From | Until |\n|---|---|---|\n");
        for (what, period) in &dated {
            let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "open".to_string(), |d| d.to_string());
            let _ = writeln!(out, "| `{what}` | {} | {} |", day(period.from), day(period.until));
        }
        out.push_str("\nEvery other rule and parameter is in force every day.\n");
    }
    out.push_str("\n## Rules\n");
    for (index, rule) in audit.rules() {
        let _ = writeln!(
            out,
            "\n### {}\n\n**{}**. In force {}.\n",
            rule.versioned_id(),
            rule.title,
            rule.in_force.map_or_else(|| "every day".to_string(), |d| d.to_string())
        );
        if !rule.doc.is_empty() {
            let _ = writeln!(out, "{}\n", rule.doc.join(" "));
        }
        for q in audit.quotes(rule) {
            match q.found {
                Some((doc, section)) => {
                    let (text, cut) = crate::citation::passage(doc, section);
                    let _ = writeln!(out, "Cites `{}`:\n", q.text);
                    for line in text.lines() {
                        let _ = writeln!(out, "> {line}");
                    }
                    if cut {
                        out.push_str("> …\n");
                    }
                    out.push('\n');
                }
                None => {
                    let _ = writeln!(out, "Cites `{}`: **not in the pack's sources**.\n", q.text);
                }
            }
        }
        for name in &rule.params {
            let Some(param) = audit.param(name) else { continue };
            if param.versions.is_empty() {
                let _ = writeln!(out, "- `params.{name}` = {}", p.param_text(param));
            }
            for (period, value) in &param.versions {
                let _ = writeln!(out, "- `params.{name}` = {} ({period})", display(value, &param.ty, &p.schema));
            }
        }
        let proving = audit.proving(index);
        let _ = writeln!(out, "\nScenarios that prove it: {}.", proving.len());
        for &i in proving {
            let Some(r) = audit.run.results.get(i) else { continue };
            let Ok(ev) = &r.result else { continue };
            let _ = writeln!(
                out,
                "- {} (`{}`, as of {}): {}, {}",
                r.name.as_deref().unwrap_or("(unnamed)"),
                r.file.name,
                ev.scenario.as_of,
                ev.outcome.decision.as_str(),
                Audit::result_status(r)
            );
        }
        if audit.coverage().is_some() {
            let s = crate::coverage::Summary::of(audit.points(index));
            let _ = writeln!(out, "\nCoverage: {} of {} branch ways seen.", s.seen, s.total);
        }
    }
    let _ = writeln!(out, "\n## Scenarios ({})\n", audit.run.results.len());
    out.push_str(
        "| # | Scenario | File | As of | Decision | Expectations | Rules applied |\n|---:|---|---|---|---|---|---|\n",
    );
    for (i, r) in audit.run.results.iter().enumerate() {
        let (as_of, decision) = match &r.result {
            Ok(ev) => (ev.scenario.as_of.to_string(), ev.outcome.decision.as_str()),
            Err(_) => (String::new(), "error"),
        };
        let applied: Vec<&str> = audit
            .applied
            .get(i)
            .map(|rules| rules.iter().filter_map(|&x| p.rules.get(x)).map(|r| r.id.as_str()).collect())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {as_of} | {decision} | {} | {} |",
            i + 1,
            cell(r.name.as_deref().unwrap_or("(unnamed)")),
            cell(&r.file.name),
            Audit::result_status(r),
            applied.join(", ")
        );
    }
    out.push_str("\n## Sources\n");
    for doc in &p.documents {
        let _ = writeln!(out, "\n### {} (`{}`)\n", doc.id, doc.file.name);
        for section in &doc.sections {
            let _ = writeln!(out, "#### {} (`#{}`)\n\n{}\n", section.title, section.anchor, own_text(doc, section));
        }
    }
    out
}
