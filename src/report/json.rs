//! The JSON document of `eval --format json` (scenarios.md section 2), extended with
//! an `errors` list for scenarios that could not be evaluated.

use crate::error::Error;
use crate::program::Program;
use crate::run::{Run, ScenarioResult};
use crate::source::SourceFile;
use crate::types::Type;
use crate::value::Value;
use miette::Diagnostic;
use serde_json::{json, Map, Value as Json};

pub fn value_to_json(v: &Value, ty: &Type, program: &Program) -> Json {
    match (v, ty) {
        (Value::Bool(b), _) => Json::Bool(*b),
        (Value::Num(n), _) => {
            serde_json::from_str::<serde_json::Number>(&n.to_decimal_string(9)).map_or(Json::Null, Json::Number)
        }
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
        (other, ty) => Json::String(crate::value::display(other, ty, &program.schema)),
    }
}

pub fn error_to_json(file: &SourceFile, e: &Error) -> Json {
    let mut obj = Map::new();
    obj.insert("code".into(), e.code().map_or(Json::Null, |c| Json::String(c.to_string())));
    obj.insert("message".into(), Json::String(e.to_string()));
    // The first label may be in another file than the scenario (a rule's expression).
    let label = e.labels().and_then(|mut l| l.next());
    let at = label.and_then(|l| e.source_code().and_then(|s| s.read_span(&(l.offset(), 0).into(), 0, 0).ok()));
    let name = at.as_ref().and_then(|c| c.name().map(str::to_string)).unwrap_or_else(|| file.name.clone());
    obj.insert("file".into(), Json::String(name));
    if let Some(c) = at {
        obj.insert("line".into(), json!(c.line() + 1));
        obj.insert("column".into(), json!(c.column() + 1));
    }
    if let Some(h) = e.help() {
        obj.insert("help".into(), Json::String(h.to_string()));
    }
    Json::Object(obj)
}

fn result_to_json(program: &Program, r: &ScenarioResult) -> Json {
    let mut obj = Map::new();
    obj.insert("file".into(), Json::String(r.file.name.clone()));
    obj.insert("scenario".into(), r.name.clone().map_or(Json::Null, Json::String));
    match &r.result {
        Ok(ev) => {
            let findings = |fs: &[crate::outcome::Finding]| {
                Json::Array(
                    fs.iter()
                        .map(|f| json!({"rule": program.rules.get(f.rule).map(|r| r.id.as_str()).unwrap_or(""), "message": f.message}))
                        .collect(),
                )
            };
            obj.insert("as_of".into(), Json::String(ev.scenario.as_of.format("%Y-%m-%d").to_string()));
            obj.insert("decision".into(), Json::String(ev.outcome.decision.as_str().into()));
            obj.insert("denials".into(), findings(&ev.outcome.denials));
            obj.insert("warnings".into(), findings(&ev.outcome.warnings));
            obj.insert("notes".into(), findings(&ev.outcome.notes));
            let mut outputs = Map::new();
            for (i, v) in &ev.outcome.outputs {
                if let Some(def) = program.outputs.get(*i) {
                    outputs.insert(def.name.clone(), value_to_json(v, &def.ty, program));
                }
            }
            obj.insert("outputs".into(), Json::Object(outputs));
        }
        Err(errors) => {
            obj.insert("errors".into(), Json::Array(errors.iter().map(|e| error_to_json(&r.file, e)).collect()));
        }
    }
    Json::Object(obj)
}

pub fn run_to_json(program: &Program, run: &Run) -> Json {
    let mut results: Vec<Json> = run.results.iter().map(|r| result_to_json(program, r)).collect();
    for (file, e) in &run.file_errors {
        results.push(json!({"file": file.name, "scenario": Json::Null, "errors": [error_to_json(file, e)]}));
    }
    json!({
        "pack": {"name": program.manifest.name, "version": program.manifest.version},
        "results": results,
    })
}
