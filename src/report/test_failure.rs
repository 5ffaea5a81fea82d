//! A failed expectation as one diagnostic over two files: labels on the `expect`
//! nodes of the scenario, and a related diagnostic per deciding rule with labels on
//! its statements and the values that decided them. Expected and actual side by side
//! in the help.

use super::explain::{guard_label, rule_source, step_label, RuleSnippet};
use super::human::mismatch;
use crate::outcome::Decision;
use crate::program::{Program, Stmt};
use crate::run::Evaluated;
use crate::scenario::Mismatch;
use crate::source::{SourceFile, Src};
use crate::trace::{RuleTrace, StepKind};
use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

/// At most this many deciding rules are shown for one failure.
const MAX_RULES: usize = 4;

#[derive(Debug, Error)]
#[error("scenario `{scenario}` does not meet its expectations")]
pub struct TestFailure {
    pub scenario: String,
    pub src: Src,
    pub mismatches: Vec<Mismatch>,
    rules: Vec<RuleSnippet>,
    side_by_side: String,
}

impl TestFailure {
    pub fn new(program: &Program, file: &SourceFile, ev: &Evaluated, mismatches: Vec<Mismatch>) -> Self {
        let rules = ev.trace.as_ref().map_or_else(Vec::new, |trace| {
            deciding_rules(program, ev, &mismatches)
                .into_iter()
                .filter_map(|(index, parts)| trace.rule(index).and_then(|rt| deciding(program, ev, rt, &parts)))
                .take(MAX_RULES)
                .collect()
        });
        TestFailure {
            scenario: ev.scenario.name.clone(),
            src: file.named(),
            side_by_side: side_by_side(&mismatches),
            mismatches,
            rules,
        }
    }
}

/// What of a rule is relevant to a mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Denials,
    Effect(crate::ast::EffectKind),
    Output(usize),
}

/// The rules that decided the mismatches, by index, each with the parts that did.
fn deciding_rules(program: &Program, ev: &Evaluated, mismatches: &[Mismatch]) -> Vec<(usize, Vec<Part>)> {
    let mut out: Vec<(usize, Vec<Part>)> = Vec::new();
    let mut add = |rule: usize, part: Part| match out.iter_mut().find(|(r, _)| *r == rule) {
        Some((_, parts)) if !parts.contains(&part) => parts.push(part),
        Some(_) => {}
        None => out.push((rule, vec![part])),
    };
    // The version of the rule in force on the scenario's day.
    let on = program.rules_on.unwrap_or(ev.scenario.as_of);
    let by_id = |id: &str| program.rules.iter().position(|r| r.id == id && r.in_force_on(on));
    for m in mismatches {
        match m {
            Mismatch::Decision { actual: Decision::Deny, .. } => {
                ev.outcome.denials.iter().for_each(|f| add(f.rule, Part::Denials));
            }
            Mismatch::Decision { actual: Decision::Allow, .. } => {
                // The rules expected to deny, when the scenario names them.
                let expected = ev.scenario.expect.as_ref().and_then(|e| e.denied_by.as_ref());
                for (id, _) in expected.map(|(ids, _)| ids.as_slice()).unwrap_or_default() {
                    if let Some(r) = by_id(id) {
                        add(r, Part::Denials);
                    }
                }
            }
            Mismatch::Rules { key, missing, unexpected, .. } => {
                let kind = match *key {
                    "warnings" => crate::ast::EffectKind::Warn,
                    "notes" => crate::ast::EffectKind::Note,
                    _ => crate::ast::EffectKind::Deny,
                };
                for id in missing.iter().chain(unexpected) {
                    if let Some(r) = by_id(id) {
                        add(r, Part::Effect(kind));
                    }
                }
            }
            Mismatch::Output { name, .. } | Mismatch::Present { name, .. } => {
                if let Some((o, def)) = program.outputs.iter().enumerate().find(|(_, d)| d.name == *name) {
                    def.writers.iter().for_each(|w| add(*w, Part::Output(o)));
                }
            }
        }
    }
    out
}

fn relevant(parts: &[Part], kind: StepKind) -> bool {
    parts.iter().any(|part| match (*part, kind) {
        (Part::Denials, StepKind::Effect(k)) => k == crate::ast::EffectKind::Deny,
        (Part::Effect(k), StepKind::Effect(s)) => k == s,
        (Part::Output(o), StepKind::Output(s)) => o == s,
        _ => false,
    })
}

fn deciding(program: &Program, ev: &Evaluated, rt: &RuleTrace, parts: &[Part]) -> Option<RuleSnippet> {
    let rule = program.rules.get(rt.rule)?;
    let mut labels = vec![guard_label(program, rule, rt)];
    for step in rt.steps.iter().filter(|s| relevant(parts, s.kind)) {
        labels.extend(step_label(program, rule, rt, step, Some(&ev.outcome)));
    }
    // A relevant statement not reached (the rule did not apply) is still pointed at.
    if !rt.applied {
        for stmt in &rule.body {
            let at = match stmt {
                Stmt::Output { output, value, .. } if relevant(parts, StepKind::Output(*output)) => Some(value.span),
                Stmt::Effect { kind, span, .. } if relevant(parts, StepKind::Effect(*kind)) => Some(*span),
                _ => None,
            };
            if let Some(span) = at {
                labels.push(LabeledSpan::new_with_span(Some("not reached: the rule does not apply".into()), span));
            }
        }
    }
    let heading = format!("{} ({}) decided it", rule.id, rule.title);
    Some(RuleSnippet { heading, src: rule_source(program, rule), labels })
}

/// Expected and actual in two columns, one line per mismatch.
fn side_by_side(mismatches: &[Mismatch]) -> String {
    let rows: Vec<(String, String, String)> = mismatches
        .iter()
        .map(|m| match m {
            Mismatch::Decision { expected, actual, .. } => {
                ("decision".into(), expected.as_str().into(), actual.as_str().into())
            }
            Mismatch::Rules { key, missing, unexpected, .. } => {
                let expected = if missing.is_empty() { "-".into() } else { format!("also {}", missing.join(", ")) };
                let actual = if unexpected.is_empty() { "-".into() } else { format!("also {}", unexpected.join(", ")) };
                ((*key).into(), expected, actual)
            }
            Mismatch::Output { name, expected, actual, .. } => {
                (format!("outputs.{name}"), expected.clone(), actual.clone().unwrap_or_else(|| "(no value)".into()))
            }
            Mismatch::Present { name, actual, .. } => (format!("outputs.{name}"), "(no value)".into(), actual.clone()),
        })
        .collect();
    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0).max("".len());
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0).max("expected".len());
    let mut out = format!("{:<w0$}  {:<w1$}  actual", "", "expected");
    for (k, e, a) in rows {
        out.push_str(&format!("\n{k:<w0$}  {e:<w1$}  {a}"));
    }
    out
}

fn span_of(m: &Mismatch) -> SourceSpan {
    let s = match m {
        Mismatch::Decision { span, .. }
        | Mismatch::Rules { span, .. }
        | Mismatch::Output { span, .. }
        | Mismatch::Present { span, .. } => *span,
    };
    s.into()
}

impl Diagnostic for TestFailure {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("entitle::test::mismatch"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.mismatches.iter().map(|m| LabeledSpan::new_with_span(Some(mismatch(m)), span_of(m)))))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.side_by_side))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.rules.iter().map(|r| r as &dyn Diagnostic)))
    }
}
