//! The JSON document of `eval --format json` (scenarios.md section 2), extended with
//! an `errors` list for scenarios that could not be evaluated.

use super::cases::Report;
use super::human::mismatch;
use super::json_value::{json, Json, Map};
use super::location::line_col;
use crate::error::Error;
use crate::program::Program;
use crate::run::{Run, ScenarioResult};
use crate::scenario::Mismatch;
use crate::source::SourceFile;
use crate::types::Type;
use crate::value::Value;
use miette::Diagnostic;

pub fn value_to_json(v: &Value, ty: &Type, program: &Program) -> Json {
    match (v, ty) {
        (Value::Bool(b), _) => Json::Bool(*b),
        (Value::Num(n), _) => Json::Number(n.to_decimal_string(9)),
        (Value::List(items), Type::List(inner)) => {
            Json::Array(items.iter().map(|i| value_to_json(i, inner, program)).collect())
        }
        (Value::Record(fields), Type::Record(id)) => {
            let mut m = Map::new();
            if let Some(def) = program.schema.record(*id) {
                for (f, v) in def.fields.iter().zip(fields.iter()) {
                    if let Some(v) = v {
                        m.insert(f.name.clone(), value_to_json(v, &f.ty, program));
                    }
                }
            }
            Json::Object(m)
        }
        (other, ty) => Json::String(crate::program::display(other, ty, &program.schema)),
    }
}

/// An error as data; `fallback` names the file when the error has no source.
pub fn error_to_json(fallback: &str, e: &Error) -> Json {
    let mut obj = Map::new();
    obj.insert("code", e.code().map_or(Json::Null, |c| Json::String(c.to_string())));
    obj.insert("message", Json::String(e.to_string()));
    // The first label may be in another file than the scenario (a rule's expression).
    let label = e.labels().and_then(|mut l| l.next());
    let at = label.and_then(|l| e.source_code().and_then(|s| s.read_span(&(l.offset(), 0).into(), 0, 0).ok()));
    let name = at.as_ref().and_then(|c| c.name().map(str::to_string)).unwrap_or_else(|| fallback.to_string());
    obj.insert("file", Json::String(name));
    if let Some(c) = at {
        obj.insert("line", json!(c.line() + 1));
        obj.insert("column", json!(c.column() + 1));
    }
    if let Some(h) = e.help() {
        obj.insert("help", Json::String(h.to_string()));
    }
    Json::Object(obj)
}

fn result_to_json(program: &Program, r: &ScenarioResult, checked: bool) -> Json {
    let mut obj = Map::new();
    obj.insert("file", Json::String(r.file.name.to_string()));
    obj.insert("scenario", r.name.clone().map_or(Json::Null, Json::String));
    match &r.result {
        Ok(ev) => {
            let findings = |fs: &[crate::outcome::Finding]| {
                Json::Array(
                    fs.iter()
                        .map(|f| json!({"rule": program.rules.get(f.rule).map(|r| r.id.as_str()).unwrap_or(""), "message": &f.message}))
                        .collect(),
                )
            };
            obj.insert("as_of", Json::String(ev.scenario.as_of.format("%Y-%m-%d").to_string()));
            obj.insert("decision", Json::String(ev.outcome.decision.as_str().into()));
            obj.insert("denials", findings(&ev.outcome.denials));
            obj.insert("warnings", findings(&ev.outcome.warnings));
            obj.insert("notes", findings(&ev.outcome.notes));
            let mut outputs = Map::new();
            for (i, v) in &ev.outcome.outputs {
                if let Some(def) = program.outputs.get(*i) {
                    outputs.insert(def.name.clone(), value_to_json(v, &def.ty, program));
                }
            }
            obj.insert("outputs", Json::Object(outputs));
            if checked {
                let (status, mismatches) = match &ev.mismatches {
                    None => ("unchecked", Vec::new()),
                    Some(m) if m.is_empty() => ("passed", Vec::new()),
                    Some(m) => ("failed", m.iter().map(|m| mismatch_to_json(&r.file, m)).collect()),
                };
                obj.insert("status", json!(status));
                obj.insert("mismatches", Json::Array(mismatches));
            }
        }
        Err(errors) => {
            if checked {
                obj.insert("status", json!("error"));
            }
            obj.insert("errors", Json::Array(errors.iter().map(|e| error_to_json(&r.file.name, e)).collect()));
        }
    }
    Json::Object(obj)
}

fn mismatch_to_json(file: &SourceFile, m: &Mismatch) -> Json {
    let (key, expected, actual, span) = match m {
        Mismatch::Decision { expected, actual, span } => {
            ("decision".to_string(), json!(expected.as_str()), json!(actual.as_str()), span)
        }
        Mismatch::Rules { key, missing, unexpected, span } => {
            (key.to_string(), json!({"missing": missing}), json!({"unexpected": unexpected}), span)
        }
        Mismatch::Output { name, expected, actual, span } => {
            (format!("outputs.{name}"), json!(expected), json!(actual), span)
        }
        Mismatch::Present { name, actual, span } => (format!("outputs.{name}"), Json::Null, json!(actual), span),
    };
    let (line, column) = line_col(file, span.start);
    json!({"key": key, "expected": expected, "actual": actual, "message": mismatch(m), "line": line, "column": column})
}

pub fn run_to_json(program: &Program, run: &Run) -> Json {
    Json::Object(results_to_json(program, run, false))
}

/// `eval`'s document with each result's status and mismatches, the counts and,
/// when recorded, the rule coverage.
pub fn test_to_json(program: &Program, run: &Run, report: &Report) -> Json {
    let mut doc = results_to_json(program, run, true);
    let c = report.counts();
    doc.insert(
        "summary",
        json!({"passed": c.passed, "failed": c.failed, "errors": c.errored, "unchecked": c.evaluated}),
    );
    if let Some(cov) = &report.coverage {
        doc.insert(
            "coverage",
            json!({
                "seen": cov.summary.seen,
                "total": cov.summary.total,
                "percent": cov.summary.percent_text(),
                "minimum": cov.minimum.map(|m| m.to_decimal_string(9)),
                "below_minimum": cov.below_minimum(),
            }),
        );
    }
    Json::Object(doc)
}

/// `check`'s document: the pack and its size when valid, every error otherwise.
pub fn check_to_json(program: Option<&Program>, errors: &[Error]) -> Json {
    match program {
        Some(p) => json!({
            "pack": {"name": &p.manifest.name, "version": &p.manifest.version},
            "valid": true,
            "rules": p.rules.len(),
            "outputs": p.outputs.len(),
            "errors": [],
        }),
        None => json!({
            "pack": Json::Null,
            "valid": false,
            "errors": errors.iter().map(|e| error_to_json("", e)).collect::<Vec<_>>(),
        }),
    }
}

fn results_to_json(program: &Program, run: &Run, checked: bool) -> Map {
    let mut results: Vec<Json> = run.results.iter().map(|r| result_to_json(program, r, checked)).collect();
    for (file, e) in &run.file_errors {
        results.push(json!({"file": &*file.name, "scenario": Json::Null, "errors": [error_to_json(&file.name, e)]}));
    }
    let mut doc = Map::new();
    doc.insert("pack", json!({"name": &program.manifest.name, "version": &program.manifest.version}));
    doc.insert("results", Json::Array(results));
    doc
}
