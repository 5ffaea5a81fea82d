//! Plain-text reports of evaluated scenarios and test results.

use crate::program::display;
use crate::program::Program;
use crate::run::{Evaluated, Tally};
use crate::scenario::Mismatch;
use std::fmt::Write;

pub fn outcome(program: &Program, file: &str, ev: &Evaluated) -> String {
    let mut out = String::new();
    let o = &ev.outcome;
    let _ = writeln!(out, "{file}: {}", ev.scenario.name);
    let _ = writeln!(out, "  as of {}: {}", ev.scenario.as_of, o.decision.as_str());
    for (label, findings) in [("denied by", &o.denials), ("warning from", &o.warnings), ("note from", &o.notes)] {
        for f in findings {
            let id = program.rules.get(f.rule).map_or("?".into(), |r| r.versioned_id());
            let _ = writeln!(out, "  {label} {id}: {}", f.message);
        }
    }
    for (i, v) in &o.outputs {
        if let Some(def) = program.outputs.get(*i) {
            let _ = writeln!(out, "  {} = {}", def.name, display(v, &def.ty, &program.schema));
        }
    }
    out
}

pub fn mismatch(m: &Mismatch) -> String {
    match m {
        Mismatch::Decision { expected, actual, .. } => {
            format!("decision: expected {}, got {}", expected.as_str(), actual.as_str())
        }
        Mismatch::Rules { key, missing, unexpected, .. } => {
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("expected but absent: {}", missing.join(", ")));
            }
            if !unexpected.is_empty() {
                parts.push(format!("present but not expected: {}", unexpected.join(", ")));
            }
            format!("{key}: {}", parts.join("; "))
        }
        Mismatch::Output { name, expected, actual, .. } => match actual {
            Some(a) => format!("outputs.{name}: expected {expected}, got {a}"),
            None => format!("outputs.{name}: expected {expected}, but it has no value"),
        },
        Mismatch::Present { name, actual, .. } => format!("outputs.{name}: expected no value, got {actual}"),
    }
}

/// The counts of a test run, naming the pack and version that decided.
pub fn summary(program: &Program, tally: &Tally) -> String {
    let Tally { passed, failed, errors, unchecked, unread } = *tally;
    let mut s = format!("{} {}: {passed} passed, {failed} failed", program.manifest.name, program.manifest.version);
    if errors > 0 {
        let _ = write!(s, ", {errors} with errors");
    }
    if unchecked > 0 {
        let _ = write!(s, ", {unchecked} without expectations");
    }
    if unread > 0 {
        let _ = write!(s, ", {unread} not read");
    }
    s
}
