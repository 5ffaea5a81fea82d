//! Scenario files: YAML documents typed by the pack's schema, with their expectations.

mod error;
mod expect;
mod json;
mod tree;
mod typing;
mod yaml;

pub use error::ScenarioError;
pub use expect::{check, Mismatch};
pub use tree::{MAX_DEPTH, MAX_NODES};

use crate::ast::Span;
use crate::outcome::Decision;
use crate::program::Program;
use crate::source::{Note, SourceFile};
use crate::value::Value;
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub name_span: Span,
    pub span: Span,
    pub as_of: NaiveDate,
    /// The parts of the input, in the schema's order; `None` where absent.
    pub input: Vec<Option<Value>>,
    /// Where the input is written, and each part of it (in the schema's order), so
    /// that an evaluation error can point into the scenario as well as the rule.
    pub input_span: Span,
    pub part_spans: Vec<Option<Span>>,
    pub expect: Option<Expectations>,
}

#[derive(Debug, Clone)]
pub struct Expectations {
    pub span: Span,
    pub decision: Option<(Decision, Span)>,
    pub denied_by: Option<(Vec<(String, Span)>, Span)>,
    pub warnings: Option<(Vec<(String, Span)>, Span)>,
    /// An extension of the format: the exact set of rule ids that added a note.
    pub notes: Option<(Vec<(String, Span)>, Span)>,
    pub outputs: Vec<ExpectedOutput>,
    /// An extension of the format: outputs that must have no value.
    pub absent_outputs: Vec<(usize, Span)>,
}

#[derive(Debug, Clone)]
pub struct ExpectedOutput {
    pub output: usize,
    pub value: Value,
    /// The decimal places written, for numbers: the computed value is rounded to them.
    pub places: Option<u32>,
    pub span: Span,
}

/// One YAML document of a file: its scenario, or the errors that stop it.
#[derive(Debug)]
pub struct Document {
    /// The scenario's name where it could be read, even when the rest is wrong.
    pub name: Option<String>,
    /// Boxed: a file may hold a million documents, and the scenario is most of one.
    pub result: Result<Box<Scenario>, Vec<ScenarioError>>,
}

#[derive(Debug)]
pub struct ScenarioFile {
    pub file: SourceFile,
    pub documents: Vec<Document>,
    /// Problems of the file as a whole (syntax, encoding).
    pub errors: Vec<ScenarioError>,
    /// Documents a syntax error kept from being read: the one it is in and those
    /// after it.
    pub unread: usize,
}

/// Decodes a file's bytes; non-UTF-8 input is an error located at the first bad byte.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<SourceFile, (SourceFile, ScenarioError)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let file = SourceFile::new(name, String::from_utf8_lossy(e.as_bytes()).into_owned());
            let err = ScenarioError::NotUtf8 { src: file.named(), span: (at, 1).into() };
            Err((file, err))
        }
    }
}

/// The syntax a scenario file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    /// One scenario, or an array of scenarios.
    Json,
    /// JSON Lines: one scenario per line.
    JsonLines,
}

impl Syntax {
    /// The syntax a file's name says (`.json`, `.jsonl`, `.ndjson`, `.yaml`, `.yml`).
    pub fn of_name(name: &str) -> Option<Syntax> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "yaml" | "yml" => Some(Syntax::Yaml),
            "json" => Some(Syntax::Json),
            "jsonl" | "ndjson" => Some(Syntax::JsonLines),
            _ => None,
        }
    }

    /// The syntax a text looks like: JSON Lines when its first two lines are each a
    /// whole object, JSON when it starts with `{` or `[`, YAML otherwise.
    pub fn sniff(text: &str) -> Syntax {
        json::sniff(text)
    }
}

/// Parses and types every scenario of a file, one document at a time, in the syntax
/// its name says (or, failing that, its text looks like).
pub fn load(file: &SourceFile, program: &Program) -> ScenarioFile {
    let syntax = Syntax::of_name(&file.name).unwrap_or_else(|| Syntax::sniff(&file.text));
    load_as(file, syntax, program)
}

/// [`load`] in the syntax given.
pub fn load_as(file: &SourceFile, syntax: Syntax, program: &Program) -> ScenarioFile {
    let mut documents = Vec::new();
    let mut seen: HashMap<String, Span> = HashMap::new();
    let each = |doc: tree::Document| {
        let mut typer = typing::Typer { file, program, errors: doc.errors };
        let Some(root) = doc.root else {
            documents.push(Document { name: None, result: Err(typer.errors) });
            return;
        };
        let name = typing::Typer::name_of(&root);
        if let Some((n, span)) = &name {
            match seen.get(n) {
                Some(first) => {
                    let related = vec![Note {
                        message: "first used here".into(),
                        src: file.named(),
                        span: (*first).into(),
                        label: "first".into(),
                    }];
                    typer.errors.push(ScenarioError::DuplicateScenario {
                        name: n.clone(),
                        src: file.named(),
                        span: (*span).into(),
                        related,
                    });
                }
                None => {
                    seen.insert(n.clone(), *span);
                }
            }
        }
        let scenario = typer.scenario(&root);
        let result = match scenario {
            Some(s) if typer.errors.is_empty() => Ok(Box::new(s)),
            _ => Err(typer.errors),
        };
        documents.push(Document { name: name.map(|(n, _)| n), result });
    };
    let stopped = match syntax {
        Syntax::Yaml => yaml::parse(file, each),
        Syntax::Json => json::parse(file, each),
        Syntax::JsonLines => {
            json::parse_lines(file, each);
            None
        }
    };
    let mut errors = Vec::new();
    let mut unread = 0;
    if let Some(stopped) = stopped {
        errors.push(stopped.error);
        unread = stopped.unread;
    }
    if documents.is_empty() && errors.is_empty() {
        errors.push(ScenarioError::Empty { src: file.named(), span: (0, 0).into() });
    }
    ScenarioFile { file: file.clone(), documents, errors, unread }
}
