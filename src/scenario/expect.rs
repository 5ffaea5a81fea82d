//! Comparison of an outcome with a scenario's `expect` block.

use super::Expectations;
use crate::ast::Span;
use crate::outcome::{Decision, Finding, Outcome};
use crate::program::display;
use crate::program::Program;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    Decision {
        expected: Decision,
        actual: Decision,
        span: Span,
    },
    Rules {
        key: &'static str,
        missing: Vec<String>,
        unexpected: Vec<String>,
        span: Span,
    },
    Output {
        name: String,
        expected: String,
        actual: Option<String>,
        span: Span,
    },
    /// An output listed in `absent_outputs` has a value.
    Present {
        name: String,
        actual: String,
        span: Span,
    },
}

/// Every difference between `outcome` and `expect`; empty when the scenario passes.
pub fn check(program: &Program, outcome: &Outcome, expect: &Expectations) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if let Some((expected, span)) = expect.decision {
        if expected != outcome.decision {
            out.push(Mismatch::Decision { expected, actual: outcome.decision, span });
        }
    }
    for (key, expected, actual) in [
        ("denied_by", &expect.denied_by, &outcome.denials),
        ("warnings", &expect.warnings, &outcome.warnings),
        ("notes", &expect.notes, &outcome.notes),
    ] {
        let Some((ids, span)) = expected else {
            continue;
        };
        // Most scenarios pass: their ids are compared in place, and the lists of a
        // mismatch are made only for one that fails.
        let actual_ids = || actual.iter().filter_map(|f| program.rules.get(f.rule).map(|r| r.id.as_str()));
        let all_found = ids.iter().all(|(id, _)| actual_ids().any(|a| a == id));
        if all_found && actual_ids().all(|a| ids.iter().any(|(e, _)| e == a)) {
            continue;
        }
        let actual = rule_ids(program, actual);
        let missing: Vec<String> = ids.iter().map(|(id, _)| id.clone()).filter(|id| !actual.contains(id)).collect();
        let unexpected: Vec<String> = actual.iter().filter(|id| !ids.iter().any(|(e, _)| e == *id)).cloned().collect();
        if !missing.is_empty() || !unexpected.is_empty() {
            out.push(Mismatch::Rules { key, missing, unexpected, span: *span });
        }
    }
    for e in &expect.outputs {
        let Some(def) = program.outputs.get(e.output) else {
            continue;
        };
        let actual = outcome.outputs.iter().find(|(i, _)| *i == e.output).map(|(_, v)| v);
        let matches = actual.is_some_and(|a| same(a, &e.value, e.places));
        if !matches {
            out.push(Mismatch::Output {
                name: def.name.clone(),
                expected: display(&e.value, &def.ty, &program.schema),
                actual: actual.map(|a| display(a, &def.ty, &program.schema)),
                span: e.span,
            });
        }
    }
    for (output, span) in &expect.absent_outputs {
        let Some(def) = program.outputs.get(*output) else {
            continue;
        };
        if let Some((_, v)) = outcome.outputs.iter().find(|(i, _)| i == output) {
            let actual = display(v, &def.ty, &program.schema);
            out.push(Mismatch::Present { name: def.name.clone(), actual, span: *span });
        }
    }
    out
}

fn rule_ids(program: &Program, findings: &[Finding]) -> Vec<String> {
    let mut ids: Vec<String> =
        findings.iter().filter_map(|f| program.rules.get(f.rule).map(|r| r.id.clone())).collect();
    ids.dedup();
    ids
}

/// Numbers compare exactly after rounding the computed value to the places written.
fn same(actual: &Value, expected: &Value, places: Option<u32>) -> bool {
    match (actual, expected, places) {
        (Value::Num(a), Value::Num(e), Some(p)) => {
            let more_places = a.decimal_places().is_none_or(|ap| ap > p);
            let a = if more_places { a.round_half_even(p).unwrap_or(*a) } else { *a };
            a == *e
        }
        (a, e, _) => a == e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Number;

    #[test]
    fn numbers_round_to_the_places_written() {
        let third = Value::Num(Number::ratio(10, 3).unwrap_or(Number::ZERO));
        let written = |s: &str| Value::Num(Number::parse_decimal(s).unwrap_or(Number::ZERO));
        assert!(same(&third, &written("3.33"), Some(2)));
        assert!(!same(&third, &written("3.34"), Some(2)));
        assert!(same(&written("2.5"), &written("2"), Some(0)));
        assert!(!same(&written("3.5"), &written("3"), Some(0)));
        assert!(!same(&written("3"), &written("3.5"), Some(1)));
    }
}
