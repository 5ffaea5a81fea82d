//! `entitle explain`: why each scenario was decided as it was. The denials,
//! warnings and notes first, each with the values that decided it and, for a
//! denial, what would lift it; then every rule in evaluation order, applied ones
//! rendered over their source with a label on each decision point.

use super::diagnostics::Renderer;
use super::json::{error_to_json, value_to_json};
use super::json_value::{json, Json, Map};
use super::location::line_col;
use super::trace_text::{expr_text, shown_list, value_text, way_text};
use crate::ast::EffectKind;
use crate::outcome::{Finding, Outcome};
use crate::program::{Program, Rule, Stmt};
use crate::run::Explained;
use crate::source::Src;
use crate::trace::{RuleTrace, Shown, Step, StepKind};
use miette::{Diagnostic, LabeledSpan, Severity};
use std::fmt::Write;

/// The finding each taken effect step produced: the n-th taken step of a kind in a
/// rule is the n-th finding of that kind from that rule.
pub(crate) fn finding<'o>(outcome: &'o Outcome, rule: &RuleTrace, step: &Step) -> Option<&'o Finding> {
    let StepKind::Effect(kind) = step.kind else {
        return None;
    };
    let nth = rule
        .steps
        .iter()
        .take_while(|s| s.statement != step.statement)
        .filter(|s| s.taken && s.kind == step.kind)
        .count();
    findings(outcome, kind).iter().filter(|f| f.rule == rule.rule).nth(nth)
}

fn findings(outcome: &Outcome, kind: EffectKind) -> &[Finding] {
    match kind {
        EffectKind::Deny => &outcome.denials,
        EffectKind::Warn => &outcome.warnings,
        EffectKind::Note => &outcome.notes,
    }
}

fn kind_word(kind: EffectKind) -> &'static str {
    match kind {
        EffectKind::Deny => "deny",
        EffectKind::Warn => "warn",
        EffectKind::Note => "note",
    }
}

/// The values that decided a step: its condition, or for an unconditional one the guard.
fn deciding<'t>(rule: &'t RuleTrace, step: &'t Step) -> &'t [Shown] {
    if step.condition.is_empty() {
        &rule.guard
    } else {
        &step.condition
    }
}

/// The rules (versions) not in force on `day`, in source order.
fn not_in_force(program: &Program, day: chrono::NaiveDate) -> impl Iterator<Item = &Rule> {
    program
        .rules_in_source_order()
        .into_iter()
        .filter_map(|i| program.rules.get(i))
        .filter(move |r| !r.in_force_on(day))
}

fn place(program: &Program, rule: &Rule) -> String {
    program.sources.get(rule.file).map_or_else(String::new, |f| {
        let (line, column) = line_col(f, rule.id_span.start);
        format!("{}:{line}:{column}", f.name)
    })
}

pub fn human(program: &Program, items: &[Explained], renderer: &Renderer) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        scenario_human(program, item, renderer, &mut out);
    }
    out
}

fn scenario_human(program: &Program, item: &Explained, renderer: &Renderer, out: &mut String) {
    let m = &program.manifest;
    let _ = writeln!(out, "{}: {}", item.file.name, item.scenario.name);
    let as_of = item.scenario.as_of;
    match &item.outcome {
        Ok(o) => {
            let _ = writeln!(out, "as of {as_of}, decided by {} {}: {}", m.name, m.version, o.decision.as_str());
            findings_human(program, item, o, out);
            if !o.outputs.is_empty() {
                let _ = writeln!(out, "\noutputs:");
            }
            for (i, v) in &o.outputs {
                if let Some(def) = program.outputs.get(*i) {
                    let _ = writeln!(out, "  {} = {}", def.name, value_text(program, v, &def.ty));
                }
            }
        }
        Err(_) => {
            let _ = writeln!(out, "as of {as_of}, under {} {}: not decided, evaluation failed", m.name, m.version);
        }
    }
    let applied = item.trace.rules.iter().filter(|r| r.applied).count();
    let on = program.rules_on.unwrap_or(as_of);
    let resting: Vec<String> = not_in_force(program, on).map(|r| r.versioned_id().into_owned()).collect();
    let in_force = program.rules.len() - resting.len();
    let _ = writeln!(out, "\nrules in evaluation order ({applied} of {in_force} applied):");
    for rt in &item.trace.rules {
        let Some(rule) = program.rules.get(rt.rule) else {
            continue;
        };
        if rt.applied {
            let _ = writeln!(out, "{}", renderer.render(&RuleSnippet::applied(program, rule, rt, item)).trim_end());
        } else {
            let values = shown_list(program, rule.file, &rt.guard);
            let _ = writeln!(out, "  - {} not applied ({}): {values}", rule.versioned_id(), place(program, rule));
        }
    }
    if !resting.is_empty() {
        let _ = writeln!(out, "not in force on {on}: {}", resting.join(", "));
    }
    let dated: Vec<String> = dated_values(program, item, on)
        .map(|(name, period, text)| format!("params.{name} = {text} (in force {period})"))
        .collect();
    if !dated.is_empty() {
        let _ = writeln!(out, "dated values read on {on}: {}", dated.join("; "));
    }
    let traced = item.trace.rules.len();
    if let Err(e) = &item.outcome {
        let _ = writeln!(out, "{}", renderer.render(e).trim_end());
        let rest = in_force.saturating_sub(traced);
        let _ = writeln!(out, "  ({rest} rules after it were not evaluated)");
    }
}

fn findings_human(program: &Program, item: &Explained, o: &Outcome, out: &mut String) {
    for rt in &item.trace.rules {
        let Some(rule) = program.rules.get(rt.rule) else {
            continue;
        };
        for step in rt.steps.iter().filter(|s| s.taken) {
            let StepKind::Effect(kind) = step.kind else {
                continue;
            };
            let Some(f) = finding(o, rt, step) else {
                continue;
            };
            let label = match kind {
                EffectKind::Deny => "denied by",
                EffectKind::Warn => "warning from",
                EffectKind::Note => "note from",
            };
            let _ = writeln!(out, "\n{label} {} \"{}\": {}", rule.versioned_id(), rule.title, f.message);
            if kind != EffectKind::Deny {
                continue;
            }
            if !rule.doc.is_empty() {
                let _ = writeln!(out, "  the rule: {}", rule.doc.join(" "));
            }
            let because = shown_list(program, rule.file, deciding(rt, step));
            if !because.is_empty() {
                let _ = writeln!(out, "  because: {because}");
            }
            for (i, way) in step.lifted_by.iter().enumerate() {
                let lead = if i == 0 { "  it would not apply if" } else { "                    or" };
                let _ = writeln!(out, "{lead}: {}", way_text(program, rule.file, way));
            }
            if step.lifted_by.is_empty() {
                let _ = writeln!(out, "  nothing in the scenario's input lifts it while the rule applies");
            }
        }
    }
}

/// A rule over its source with labels on its decision points: an applied rule in
/// `explain`, the deciding rule of a failing test.
#[derive(Debug, thiserror::Error)]
#[error("{heading}")]
pub(crate) struct RuleSnippet {
    pub heading: String,
    pub src: Src,
    pub labels: Vec<LabeledSpan>,
}

impl RuleSnippet {
    /// An applied rule, a label on the guard and each statement.
    fn applied(program: &Program, rule: &Rule, rt: &RuleTrace, item: &Explained) -> Self {
        let outcome = item.outcome.as_ref().ok();
        let mut labels = vec![guard_label(program, rule, rt)];
        labels.extend(rt.steps.iter().filter_map(|step| step_label(program, rule, rt, step, outcome)));
        let heading = format!("{} applied: {}", rule.versioned_id(), rule.title);
        RuleSnippet { heading, src: rule_source(program, rule), labels }
    }
}

pub(crate) fn rule_source(program: &Program, rule: &Rule) -> Src {
    program.sources.get(rule.file).map_or_else(|| crate::source::SourceFile::new("?", "").named(), |f| f.named())
}

/// A label on the rule's guard with the values that decided it.
pub(crate) fn guard_label(program: &Program, rule: &Rule, rt: &RuleTrace) -> LabeledSpan {
    let values = shown_list(program, rule.file, &rt.guard);
    match (&rule.guard, rt.applied) {
        (Some(g), true) => LabeledSpan::new_with_span(Some(format!("applies: {values}")), g.span),
        (Some(g), false) => LabeledSpan::new_with_span(Some(format!("does not apply: {values}")), g.span),
        (None, _) => LabeledSpan::new_with_span(Some("applies to every scenario".into()), rule.id_span),
    }
}

/// A label on one statement of an applied rule: its value, or whether and why its
/// condition held, with the message it produced.
pub(crate) fn step_label(
    program: &Program,
    rule: &Rule,
    rt: &RuleTrace,
    step: &Step,
    outcome: Option<&Outcome>,
) -> Option<LabeledSpan> {
    let stmt = rule.body.get(step.statement)?;
    let file = rule.file;
    let value = step.value.as_ref().map(|v| value_text(program, &v.value, &v.ty));
    let from = |values: &[Shown]| {
        if values.is_empty() {
            String::new()
        } else {
            format!(" from {}", shown_list(program, file, values))
        }
    };
    let (span, text) = match stmt {
        Stmt::Let { name, value: e, .. } => {
            (e.span, format!("{name} = {}{}", value.unwrap_or_default(), from(&step.inputs)))
        }
        Stmt::Output { output, value: e, condition } => {
            let name = program.outputs.get(*output).map_or("?", |o| o.name.as_str());
            let span = condition.as_ref().map_or(e.span, |c| e.span.to(c.span));
            if step.taken {
                (span, format!("{name} = {}{}", value.unwrap_or_default(), from(&step.inputs)))
            } else {
                (span, format!("not written: {}", shown_list(program, file, &step.condition)))
            }
        }
        Stmt::Effect { kind, span, condition, .. } => {
            // One line to label: the condition, or the statement's first line.
            let at = condition.as_ref().map_or_else(|| first_line(program, file, *span), |c| c.span);
            if !step.taken {
                return Some(LabeledSpan::new_with_span(
                    Some(format!("held back: {}", shown_list(program, file, &step.condition))),
                    at,
                ));
            }
            let message = outcome.and_then(|o| finding(o, rt, step)).map(|f| f.message.as_str());
            let verb = match kind {
                EffectKind::Deny => "denies",
                EffectKind::Warn => "warns",
                EffectKind::Note => "notes",
            };
            let because = if step.condition.is_empty() {
                String::new()
            } else {
                format!(" as {}", shown_list(program, file, &step.condition))
            };
            let message = message.map_or_else(String::new, |m| format!(": {m}"));
            (at, format!("{verb}{because}{message}"))
        }
    };
    Some(LabeledSpan::new_with_span(Some(text), span))
}

fn first_line(program: &Program, file: usize, span: crate::ast::Span) -> crate::ast::Span {
    let text = program.sources.get(file).and_then(|f| f.text.get(span.start..span.end)).unwrap_or("");
    let len = text.find('\n').unwrap_or(text.len());
    crate::ast::Span::new(span.start, span.start + text.get(..len).unwrap_or("").trim_end().len())
}

impl Diagnostic for RuleSnippet {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn shown_json(program: &Program, file: usize, values: &[Shown]) -> Json {
    Json::Array(
        values
            .iter()
            .map(
                |s| json!({"expr": expr_text(program, file, s.span), "value": value_to_json(&s.value, &s.ty, program)}),
            )
            .collect(),
    )
}

fn step_json(program: &Program, rule: &Rule, rt: &RuleTrace, step: &Step, item: &Explained) -> Json {
    let file = rule.file;
    let mut obj = Map::new();
    let (kind, name) = match step.kind {
        StepKind::Let => (
            "let",
            rule.body.get(step.statement).and_then(|s| match s {
                Stmt::Let { name, .. } => Some(name.clone()),
                _ => None,
            }),
        ),
        StepKind::Output(o) => ("output", program.outputs.get(o).map(|d| d.name.clone())),
        StepKind::Effect(k) => (kind_word(k), None),
    };
    obj.insert("kind", json!(kind));
    if let Some(n) = name {
        obj.insert("name", json!(n));
    }
    let at = rule.body.get(step.statement).map(|s| match s {
        Stmt::Let { value, .. } | Stmt::Output { value, .. } => value.span,
        Stmt::Effect { span, .. } => *span,
    });
    if let (Some(at), Some(f)) = (at, program.sources.get(file)) {
        let (line, column) = line_col(f, at.start);
        obj.insert("line", json!(line));
        obj.insert("column", json!(column));
    }
    obj.insert("taken", json!(step.taken));
    obj.insert("condition", shown_json(program, file, &step.condition));
    obj.insert("inputs", shown_json(program, file, &step.inputs));
    if let Some(v) = &step.value {
        obj.insert("value", value_to_json(&v.value, &v.ty, program));
    }
    if let Some(f) = item.outcome.as_ref().ok().and_then(|o| finding(o, rt, step)) {
        obj.insert("message", json!(&f.message));
    }
    if matches!(step.kind, StepKind::Effect(EffectKind::Deny)) && step.taken {
        let ways: Vec<Json> = step
            .lifted_by
            .iter()
            .map(|way| {
                let changes: Vec<Json> = way
                    .iter()
                    .map(|c| {
                        json!({
                            "subject": expr_text(program, file, c.subject),
                            "relation": format!("{:?}", c.relation).to_lowercase(),
                            "value": c.target.as_ref().map_or(Json::Null, |t| value_to_json(&t.value, &t.ty, program)),
                            "text": super::trace_text::change_text(program, file, c),
                        })
                    })
                    .collect();
                json!({"changes": changes, "text": way_text(program, file, way)})
            })
            .collect();
        obj.insert("lifted_by", Json::Array(ways));
    }
    Json::Object(obj)
}

fn scenario_json(program: &Program, item: &Explained) -> Json {
    let mut obj = Map::new();
    obj.insert("file", json!(&*item.file.name));
    obj.insert("scenario", json!(&item.scenario.name));
    obj.insert("as_of", json!(item.scenario.as_of.to_string()));
    match &item.outcome {
        Ok(o) => {
            obj.insert("decision", json!(o.decision.as_str()));
            let mut outputs = Map::new();
            for (i, v) in &o.outputs {
                if let Some(def) = program.outputs.get(*i) {
                    outputs.insert(def.name.clone(), value_to_json(v, &def.ty, program));
                }
            }
            obj.insert("outputs", Json::Object(outputs));
        }
        Err(e) => {
            obj.insert("errors", json!([error_to_json(&item.file.name, e)]));
        }
    }
    let rules: Vec<Json> = item
        .trace
        .rules
        .iter()
        .filter_map(|rt| {
            let rule = program.rules.get(rt.rule)?;
            let f = program.sources.get(rule.file)?;
            let (line, column) = line_col(f, rule.id_span.start);
            let steps: Vec<Json> = rt.steps.iter().map(|s| step_json(program, rule, rt, s, item)).collect();
            let mut r = json!({
                "rule": &rule.id,
                "title": &rule.title,
                "doc": rule.doc.join(" "),
                "file": &*f.name,
                "line": line,
                "column": column,
                "applied": rt.applied,
                "guard": shown_json(program, rule.file, &rt.guard),
                "statements": steps,
            });
            if let (Some(p), Json::Object(o)) = (&rule.in_force, &mut r) {
                o.insert("in_force", super::json_value::period(p));
            }
            Some(r)
        })
        .collect();
    obj.insert("rules", Json::Array(rules));
    let on = program.rules_on.unwrap_or(item.scenario.as_of);
    let resting: Vec<Json> = not_in_force(program, on)
        .map(|r| json!({"rule": &r.id, "in_force": r.in_force.as_ref().map_or(Json::Null, super::json_value::period)}))
        .collect();
    if !resting.is_empty() {
        obj.insert("not_in_force", Json::Array(resting));
    }
    let dated: Vec<Json> = dated_values(program, item, on)
        .map(|(name, period, text)| json!({"param": name, "value": text, "in_force": super::json_value::period(&period)}))
        .collect();
    if !dated.is_empty() {
        obj.insert("dated_values", Json::Array(dated));
    }
    Json::Object(obj)
}

/// The dated parameters the rules that ran read, each with its value in force on
/// `day`, its days and the value's text, in the order of params.toml.
fn dated_values<'p>(
    program: &'p Program,
    item: &Explained,
    day: chrono::NaiveDate,
) -> impl Iterator<Item = (&'p str, crate::calendar::Period, String)> {
    let read: std::collections::HashSet<&str> = item
        .trace
        .rules
        .iter()
        .filter_map(|rt| program.rules.get(rt.rule))
        .flat_map(|r| r.params.iter().map(String::as_str))
        .collect();
    program.params.iter().filter(move |p| read.contains(p.name.as_str())).filter_map(move |p| {
        let (period, value) = p.versions.iter().find(|(period, _)| period.contains(day))?;
        Some((p.name.as_str(), *period, crate::program::display(value, &p.ty, &program.schema)))
    })
}

pub fn json(program: &Program, items: &[Explained]) -> Json {
    json!({
        "pack": {"name": &program.manifest.name, "version": &program.manifest.version},
        "scenarios": items.iter().map(|i| scenario_json(program, i)).collect::<Vec<_>>(),
    })
}
