//! The JSON document of `eval --format json` (scenarios.md section 2), extended with
//! an `errors` list for scenarios that could not be evaluated.

use super::cases::CoverageLine;
use super::human::mismatch;
use super::json_value::{json, Json, Map, Writer};
use super::location::line_col;
use crate::error::Error;
use crate::program::Program;
use crate::run::{Run, ScenarioResult, Tally};
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

/// The document of `eval` and `test` written as the results come, a piece of the run
/// at a time: the same text as the whole document pretty-printed, or with `lines`,
/// JSON Lines (one result per line, nothing else).
pub struct ResultsWriter {
    lines: bool,
    checked: bool,
    written: usize,
}

impl ResultsWriter {
    pub fn new(lines: bool, checked: bool) -> Self {
        ResultsWriter { lines, checked, written: 0 }
    }

    /// The text before the first result.
    pub fn head(&self, program: &Program) -> String {
        if self.lines {
            return String::new();
        }
        let mut out = String::from("{\n  \"pack\": ");
        json!({"name": &program.manifest.name, "version": &program.manifest.version}).write(&mut out, Some(1));
        out.push_str(",\n  \"results\": [");
        out
    }

    /// The results of one piece of the run, and its files' errors, with how many
    /// there are: rendered anywhere, placed in order by [`ResultsWriter::place`].
    pub fn render(&self, program: &Program, run: &Run) -> (String, usize) {
        let mut out = String::with_capacity(run.results.len() * 512);
        let depth = if self.lines { None } else { Some(2) };
        let mut n = 0;
        let mut next = |out: &mut String| {
            if !self.lines && n > 0 {
                out.push_str(",\n    ");
            }
            n += 1;
        };
        for r in &run.results {
            next(&mut out);
            write_result(&mut out, depth, program, r, self.checked);
            if self.lines {
                out.push('\n');
            }
        }
        for (file, e) in &run.file_errors {
            next(&mut out);
            file_error_json(file, e).write(&mut out, depth);
            if self.lines {
                out.push('\n');
            }
        }
        (out, n)
    }

    /// What goes before a rendered piece of `items` results, in the order written.
    pub fn place(&mut self, items: usize) -> &'static str {
        let before = match (self.lines, items, self.written) {
            (true, _, _) | (_, 0, _) => "",
            (false, _, 0) => "\n    ",
            (false, _, _) => ",\n    ",
        };
        self.written += items;
        before
    }

    /// The text after the last result: for `test`, the counts and the coverage.
    pub fn tail(&self, tally: &Tally, coverage: Option<&CoverageLine>) -> String {
        if self.lines {
            return String::new();
        }
        let mut out = String::from(if self.written == 0 { "]" } else { "\n  ]" });
        if self.checked {
            let summary = json!({"passed": tally.passed, "failed": tally.failed, "errors": tally.errors, "unchecked": tally.unchecked});
            out.push_str(",\n  \"summary\": ");
            summary.write(&mut out, Some(1));
            if let Some(cov) = coverage {
                out.push_str(",\n  \"coverage\": ");
                coverage_json(cov).write(&mut out, Some(1));
            }
        }
        out.push_str("\n}\n");
        out
    }
}

fn coverage_json(cov: &CoverageLine) -> Json {
    json!({
        "seen": cov.summary.seen,
        "total": cov.summary.total,
        "percent": cov.summary.percent_text(),
        "minimum": cov.minimum.map(|m| m.to_decimal_string(9)),
        "below_minimum": cov.below_minimum(),
    })
}

fn file_error_json(file: &SourceFile, e: &Error) -> Json {
    json!({"file": &*file.name, "scenario": null, "errors": [error_to_json(&file.name, e)]})
}

/// One result, written as the object of `results` at depth `indent`.
fn write_result(out: &mut String, indent: Option<usize>, program: &Program, r: &ScenarioResult, checked: bool) {
    let mut obj = Writer::object(out, indent);
    obj.string("file", &r.file.name);
    match &r.name {
        Some(name) => obj.string("scenario", name),
        None => obj.value("scenario", &Json::Null),
    }
    match &r.result {
        Ok(ev) => {
            let mut day = String::with_capacity(10);
            crate::program::write_date(&mut day, ev.scenario.as_of);
            obj.string("as_of", &day);
            obj.string("decision", ev.outcome.decision.as_str());
            for (key, findings) in
                [("denials", &ev.outcome.denials), ("warnings", &ev.outcome.warnings), ("notes", &ev.outcome.notes)]
            {
                let (o, depth) = obj.key(key);
                let mut list = Writer::array(o, depth);
                for f in findings {
                    let (o, depth) = list.item();
                    let mut item = Writer::object(o, depth);
                    let rule = program.rules.get(f.rule);
                    item.string("rule", rule.map_or("", |r| r.id.as_str()));
                    item.string("message", &f.message);
                    // Which version decided, for a rule dated `in force`.
                    if let Some(p) = rule.and_then(|r| r.in_force.as_ref()) {
                        item.value("in_force", &super::json_value::period(p));
                    }
                    item.end();
                }
                list.end();
            }
            {
                let (o, depth) = obj.key("outputs");
                let mut outputs = Writer::object(o, depth);
                for (i, v) in &ev.outcome.outputs {
                    if let Some(def) = program.outputs.get(*i) {
                        outputs.value(&def.name, &value_to_json(v, &def.ty, program));
                    }
                }
                outputs.end();
            }
            if checked {
                let (status, mismatches) = match &ev.mismatches {
                    None => ("unchecked", Vec::new()),
                    Some(m) if m.is_empty() => ("passed", Vec::new()),
                    Some(m) => ("failed", m.iter().map(|m| mismatch_to_json(&r.file, m)).collect()),
                };
                obj.string("status", status);
                obj.value("mismatches", &Json::Array(mismatches));
            }
        }
        Err(errors) => {
            if checked {
                obj.string("status", "error");
            }
            let errors = errors.iter().map(|e| error_to_json(&r.file.name, e)).collect();
            obj.value("errors", &Json::Array(errors));
        }
    }
    obj.end();
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

/// `check`'s document: the pack and its size when valid, every error otherwise.
pub fn check_to_json(program: Option<&Program>, errors: &[Error], warnings: &[Error]) -> Json {
    let warnings: Vec<Json> = warnings.iter().map(|e| error_to_json("", e)).collect();
    match program {
        Some(p) => json!({
            "pack": {"name": &p.manifest.name, "version": &p.manifest.version},
            "valid": true,
            "rules": p.rules.len(),
            "outputs": p.outputs.len(),
            "errors": [],
            "warnings": warnings,
        }),
        None => json!({
            "pack": Json::Null,
            "valid": false,
            "errors": errors.iter().map(|e| error_to_json("", e)).collect::<Vec<_>>(),
            "warnings": warnings,
        }),
    }
}
