//! Scenario files: YAML documents typed by the pack's schema, with their expectations.

mod direct;
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
use std::ops::Range;

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
    pub name_span: Option<Span>,
    /// The name's hash and line, worked out with the rest of the document (on any
    /// thread) so that checking names in order only looks them up.
    pub name_key: Option<NameKey>,
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
    /// The line breaks in the part of the file read, for counting the lines of the
    /// next part (see [`Names::passed`]).
    pub line_breaks: usize,
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

/// Types an input record (the `input` of a scenario) written as JSON text; problems
/// are located in the text.
pub fn input_from_json(file: &SourceFile, program: &Program) -> Result<Vec<Option<Value>>, Vec<ScenarioError>> {
    let root = json::parse_value(file)?;
    type_input(file, &root, program)
}

/// Types an input record given as a `serde_json::Value`; problems name the field.
pub fn input_from_value(
    value: &serde_json::Value,
    program: &Program,
) -> Result<Vec<Option<Value>>, Vec<ScenarioError>> {
    if let Some(parts) = direct::input(value, program) {
        return Ok(parts);
    }
    let file = SourceFile::new("input", "");
    let root = json::node_of(value, &file).map_err(|e| vec![e])?;
    type_input(&file, &root, program)
}

fn type_input(
    file: &SourceFile,
    root: &tree::Node,
    program: &Program,
) -> Result<Vec<Option<Value>>, Vec<ScenarioError>> {
    let mut typer = typing::Typer { file, program, errors: Vec::new() };
    match typer.input(root) {
        Some(parts) if typer.errors.is_empty() => Ok(parts),
        _ => Err(typer.errors),
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
    let mut loaded = load_piece(file, 0..file.text.len(), syntax, program);
    let mut names = Names::default();
    names.piece(file);
    for doc in &mut loaded.documents {
        names.check(file, doc);
    }
    if loaded.documents.is_empty() && loaded.errors.is_empty() {
        loaded.errors.push(ScenarioError::Empty { src: file.named(), span: (0, 0).into() });
    }
    loaded
}

/// Parses and types the documents of `file` that lie in `range` (whole documents:
/// a stretch of YAML documents, of JSON lines, or the whole file). Names are not
/// compared across documents here: see [`Names`].
pub fn load_piece(file: &SourceFile, range: Range<usize>, syntax: Syntax, program: &Program) -> ScenarioFile {
    let mut documents = Vec::new();
    let typed = |doc: tree::Document| -> Document {
        let mut typer = typing::Typer { file, program, errors: doc.errors };
        let Some(root) = doc.root else {
            return Document { name: None, name_span: None, name_key: None, result: Err(typer.errors) };
        };
        let name = typing::Typer::name_of(&root);
        let scenario = typer.scenario(&root);
        let result = match scenario {
            Some(s) if typer.errors.is_empty() => Ok(Box::new(s)),
            _ => Err(typer.errors),
        };
        let (name, name_span) = name.map_or((None, None), |(n, s)| (Some(n), Some(s)));
        Document { name, name_span, name_key: None, result }
    };
    let each = |doc: tree::Document| documents.push(typed(doc));
    let stopped = match syntax {
        Syntax::Yaml => yaml::parse(file, range.clone(), each),
        Syntax::Json => json::parse(file, each),
        Syntax::JsonLines => {
            json::parse_lines(file, range.clone(), Some(program), |line| {
                documents.push(match line {
                    json::Line::Tree(doc) => typed(doc),
                    json::Line::Typed(read) => {
                        let json::Read { scenario, name_span } = *read;
                        let (name, name_span) = (Some(scenario.name.clone()), Some(name_span));
                        Document { name, name_span, name_key: None, result: Ok(Box::new(scenario)) }
                    }
                })
            });
            None
        }
    };
    let line_breaks = key_names(file, range, &mut documents);
    let (mut errors, mut unread) = (Vec::new(), 0);
    if let Some(stopped) = stopped {
        errors.push(stopped.error);
        unread = stopped.unread;
    }
    ScenarioFile { file: file.clone(), documents, errors, unread, line_breaks }
}

/// Each document of a scenario file as plain data, for tools that check scenario
/// files against a schema (`entitle schema`): YAML read as its core schema reads it
/// (plain `3`, `true`, `null` are a number, a boolean, null; everything else text),
/// JSON as written. A document that does not parse is `None`.
pub fn documents_as_json(file: &SourceFile, syntax: Syntax) -> Vec<Option<serde_json::Value>> {
    let mut out = Vec::new();
    let mut each =
        |doc: tree::Document| out.push(doc.root.as_ref().filter(|_| doc.errors.is_empty()).map(tree::to_json));
    match syntax {
        Syntax::Yaml => {
            yaml::parse(file, 0..file.text.len(), &mut each);
        }
        Syntax::Json => {
            json::parse(file, &mut each);
        }
        Syntax::JsonLines => json::parse_lines(file, 0..file.text.len(), None, |line| match line {
            json::Line::Tree(doc) => each(doc),
            // Lines are read straight into typed values only when a program is given.
            json::Line::Typed(_) => {}
        }),
    }
    out
}

/// A scenario name's 128-bit hash and its place: the line breaks between the
/// start of the part of the file read and the name.
#[derive(Debug, Clone, Copy)]
pub struct NameKey {
    hash: u128,
    breaks: usize,
}

/// Keys the names of the documents read from `range` of a file, counting lines from
/// one name to the next; returns the line breaks in the whole range. Pieces of a
/// file are read on any thread: each counts within its own range only.
fn key_names(file: &SourceFile, range: Range<usize>, documents: &mut [Document]) -> usize {
    let text = file.text.as_bytes();
    let (mut from, mut breaks) = (range.start, 0);
    for doc in documents {
        let (Some(name), Some(span)) = (&doc.name, doc.name_span) else {
            continue;
        };
        breaks += text.get(from..span.start).map_or(0, crate::source::line_breaks);
        from = span.start.max(from);
        doc.name_key = Some(NameKey { hash: name_hash(name), breaks });
    }
    breaks + text.get(from..range.end.min(text.len())).map_or(0, crate::source::line_breaks)
}

/// The scenario names of one file seen so far, to find a name used twice. Names are
/// kept as 128-bit hashes with where they were first used, so that a stream of a
/// million scenarios does not hold a million names (nor the texts they were in).
#[derive(Default)]
pub struct Names {
    seen: HashMap<u128, First, KeyIsHash>,
    /// The text being checked, and how many texts came before it.
    text: Option<std::sync::Arc<str>>,
    texts: u32,
    /// The line breaks in the parts of the text checked before this one.
    breaks_before: usize,
}

/// The map's keys are already hashes: they are used as they are.
#[derive(Default, Clone, Copy)]
struct KeyIsHash;

impl std::hash::BuildHasher for KeyIsHash {
    type Hasher = TakeKey;
    fn build_hasher(&self) -> TakeKey {
        TakeKey(0)
    }
}

struct TakeKey(u64);

impl std::hash::Hasher for TakeKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

/// Sixteen bytes: a million names take some 34 MB with the map's own room.
struct First {
    /// Which text it was in: it is pointed at while that text is the one checked.
    text: u32,
    start: u32,
    end: u32,
    line: u32,
}

impl Names {
    /// Starts on the next part of the file, read from `file`: a text of its own (a
    /// JSON Lines piece, whose first line it knows), or the next range of the text
    /// before (a YAML file read in pieces).
    pub fn piece(&mut self, file: &SourceFile) {
        if !self.text.as_ref().is_some_and(|t| std::sync::Arc::ptr_eq(t, &file.text)) {
            self.text = Some(std::sync::Arc::clone(&file.text));
            self.texts = self.texts.wrapping_add(1);
            self.breaks_before = 0;
        }
    }

    /// The part begun with [`Names::piece`] is done; it held `breaks` line breaks.
    pub fn passed(&mut self, breaks: usize) {
        self.breaks_before += breaks;
    }

    /// Turns `doc` into an error when its name was used before in the file.
    pub fn check(&mut self, file: &SourceFile, doc: &mut Document) {
        let (Some(name), Some(span), Some(key)) = (&doc.name, doc.name_span, doc.name_key) else {
            return;
        };
        let Some(first) = self.seen.get(&key.hash) else {
            let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            let line = small(file.first_line + 1 + self.breaks_before + key.breaks);
            let first = First { text: self.texts, start: small(span.start), end: small(span.end), line };
            self.seen.insert(key.hash, first);
            return;
        };
        let same_text = first.text == self.texts;
        let related = if same_text {
            vec![Note {
                message: "first used here".into(),
                src: file.named(),
                span: Span::new(first.start as usize, first.end as usize).into(),
                label: "first".into(),
            }]
        } else {
            Vec::new()
        };
        let label = if same_text {
            "second use".to_string()
        } else {
            format!("second use; the first is on line {}", first.line)
        };
        let error = ScenarioError::DuplicateScenario {
            name: name.clone(),
            src: file.named(),
            span: span.into(),
            label,
            related,
        };
        match &mut doc.result {
            Ok(_) => doc.result = Err(vec![error]),
            Err(errors) => errors.push(error),
        }
    }
}

/// Two 64-bit hashes of a name, with fixed keys so that runs are alike.
fn name_hash(name: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        salt.hash(&mut h);
        name.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario node as the JSON an embedder would send: plain scalars that read
    /// as whole numbers or booleans become those, everything else text.
    fn to_json(node: &tree::Node) -> serde_json::Value {
        use serde_json::Value as J;
        match &node.kind {
            tree::Kind::Scalar { text, plain: true } => match text.as_ref() {
                "true" => J::Bool(true),
                "false" => J::Bool(false),
                t => t.parse::<i64>().map_or_else(|_| J::String(t.to_string()), J::from),
            },
            tree::Kind::Scalar { text, .. } => J::String(text.to_string()),
            tree::Kind::Seq(items) => J::Array(items.iter().map(to_json).collect()),
            tree::Kind::Map(entries) => {
                J::Object(entries.iter().map(|(k, v)| (k.key_text().unwrap_or("").to_string(), to_json(v))).collect())
            }
        }
    }

    /// The YAML files under `dir`, at any depth.
    pub(super) fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                yaml_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }

    /// A line read straight (the scenario and its name's place), and the full way
    /// (the scenario, or the number of errors).
    type BothWays = (Option<(Scenario, Span)>, Result<Scenario, usize>);

    /// Reads a JSON Lines text both ways: straight into values where that path takes
    /// the line, and as a tree typed the full way. Returns, per line, the scenario read
    /// straight (with its name's place) and what the full way gives.
    fn both_ways(file: &SourceFile, program: &Program) -> Vec<BothWays> {
        let mut straight = Vec::new();
        json::parse_lines(file, 0..file.text.len(), Some(program), |line| {
            straight.push(match line {
                json::Line::Typed(read) => Some((read.scenario, read.name_span)),
                json::Line::Tree(_) => None,
            })
        });
        let mut full = Vec::new();
        json::parse_lines(file, 0..file.text.len(), None, |line| {
            let json::Line::Tree(doc) = line else { return };
            let mut typer = typing::Typer { file, program, errors: doc.errors };
            let scenario = doc.root.as_ref().and_then(|root| typer.scenario(root));
            full.push(match scenario {
                Some(s) if typer.errors.is_empty() => Ok(s),
                _ => Err(typer.errors.len()),
            });
        });
        straight.into_iter().zip(full).collect()
    }

    /// Every example document as a JSON line.
    fn example_lines() -> Vec<String> {
        let mut files = Vec::new();
        yaml_files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), &mut files);
        let mut lines = Vec::new();
        for path in files {
            let yaml = SourceFile::new(path.display().to_string(), std::fs::read_to_string(&path).unwrap_or_default());
            yaml::parse(&yaml, 0..yaml.text.len(), |doc| {
                if let Some(root) = &doc.root {
                    lines.push(to_json(root).to_string());
                }
            });
        }
        lines
    }

    /// Every example scenario, written as a JSON line, reads the same straight into
    /// values as through the tree: its values, spans and expectations.
    #[test]
    fn a_json_line_reads_alike_straight_and_through_the_tree() {
        let program = crate::embedded::default_pack().build().unwrap_or_else(|e| panic!("{e:?}"));
        let mut text = example_lines().join("\n");
        text.push('\n');
        let file = SourceFile::new("all.jsonl", text);
        let (mut straight_ones, mut right) = (0, 0);
        for (straight, full) in both_ways(&file, &program) {
            right += usize::from(full.is_ok());
            let Some((scenario, name_span)) = straight else { continue };
            straight_ones += 1;
            let full = full.unwrap_or_else(|n| panic!("{n} errors the full way for {}", scenario.name));
            assert_eq!(format!("{scenario:?}"), format!("{full:?}"));
            assert_eq!(file.text.get(name_span.start + 1..name_span.end - 1), Some(scenario.name.as_str()));
        }
        assert!(right > 200 && straight_ones == right, "{straight_ones} of {right} read straight");
    }

    /// The example scenarios as JSON lines, changed at random in their text (blanks,
    /// escapes, numbers written otherwise, a key added, a value removed or made null,
    /// a character dropped): whatever is read straight reads as through the tree.
    #[test]
    fn changed_json_lines_read_alike_straight_or_through_the_tree() {
        let program = crate::embedded::default_pack().build().unwrap_or_else(|e| panic!("{e:?}"));
        let lines = example_lines();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let mut changed = String::new();
        for round in 0..8 {
            for line in &lines {
                let mut text = line.clone();
                for _ in 0..1 + next(3) {
                    let at = next(text.len());
                    let Some(here) = text.get(at..at + 1) else { continue };
                    let change = match ((round + next(7)) % 7, here) {
                        (0, "," | ":" | "{" | "[") => format!("{here}{}", [" ", "\t", "\r", "  "][next(4)]),
                        (1, "\"")
                            if text
                                .get(at + 1..at + 2)
                                .is_some_and(|c| c.chars().all(|c| c.is_ascii_alphanumeric())) =>
                        {
                            let c = text.as_bytes()[at + 1];
                            text.replace_range(at + 1..at + 2, &format!("\\u{c:04x}"));
                            continue;
                        }
                        (2, d) if d.chars().all(|c| c.is_ascii_digit()) => {
                            [format!("{d}.0"), format!("0{d}"), format!("{d}e0"), format!("-{d}")][next(4)].clone()
                        }
                        (3, "{") => "{\"extra\": 1, ".to_string(),
                        (4, ":") => ": null, \"z\":".to_string(),
                        (5, _) => String::new(),
                        (6, ",") => ", \"scenario\": \"again\",".to_string(),
                        _ => continue,
                    };
                    text.replace_range(at..at + 1, &change);
                }
                changed.push_str(&text);
                changed.push('\n');
            }
        }
        let file = SourceFile::new("changed.jsonl", changed);
        let (mut straight_ones, mut compared) = (0, 0);
        for (straight, full) in both_ways(&file, &program) {
            compared += 1;
            let Some((scenario, _)) = straight else { continue };
            straight_ones += 1;
            let full = full.unwrap_or_else(|n| panic!("{n} errors the full way, none straight: {}", scenario.name));
            assert_eq!(format!("{scenario:?}"), format!("{full:?}"));
        }
        assert!(compared > 1500 && straight_ones * 4 > compared, "{straight_ones} of {compared} read straight");
    }

    /// A pack of its own, small: an enumeration, a required field, a text and a
    /// number with a minimum.
    fn small_program() -> Program {
        let file = |name: &str, text: &str| (name.to_string(), SourceFile::new(format!("t/{name}"), text.to_string()));
        let schema = "[enums]\naction = [\"go\", \"stop\"]\n\n[input.request]\n\
                      action = { type = \"action\", required = true }\nname = \"string\"\n\n\
                      [input.part]\nseats = { type = \"int\", min = 1 }\n";
        let sources = crate::pack::PackSources {
            files: vec![
                file("pack.toml", "[pack]\nname = \"t\"\nversion = \"1\"\n"),
                file("schema.toml", schema),
                file("params.toml", ""),
                file("rules/t.policy", "rule A \"a\" cites \"x#y\" when request.action == go { deny \"no\" }"),
            ],
        };
        sources.build().unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// A line with any problem is left to the full way, which reports it.
    #[test]
    fn a_json_line_with_a_problem_is_read_through_the_tree() {
        let program = small_program();
        let good = r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go"}}}"#;
        let bad = [
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "fly"}}}"#,
            r#"{"scenario": "s", "as_of": "2021-13-01", "input": {"request": {"action": "go"}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": null}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go", "action": "x"}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"actoin": "go"}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go",}}}"#,
            r#"{"scenario": "s", "input": {"request": {"action": "go"}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go"}}, "extra": 1}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go"}}, "expect": {"decision": "maybe"}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go"}}} x"#,
            r#"{"scenario": null, "as_of": "2021-10-01", "input": {"request": {"action": "go"}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go", "name": null}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"request": {"action": "go", "action": "go"}}}"#,
            r#"{"scenario": "s", "as_of": "2021-10-01", "input": {"part": {"seats": 0}, "request": {"action": "go"}}}"#,
        ];
        let text = std::iter::once(good).chain(bad).collect::<Vec<_>>().join("\n");
        let file = SourceFile::new("t.jsonl", text);
        let read = both_ways(&file, &program);
        assert_eq!(read.len(), 1 + bad.len());
        assert!(read[0].0.is_some() && read[0].1.is_ok());
        for (i, (straight, full)) in read.iter().enumerate().skip(1) {
            assert!(straight.is_none(), "line {i} was read straight");
            assert!(full.is_err(), "line {i} has no problem the full way");
        }
    }

    /// The direct reading of a `serde_json::Value` gives what the full typing gives,
    /// on every example input it takes on.
    #[test]
    fn the_direct_reading_agrees_with_the_full_typing() {
        let program = crate::embedded::default_pack().build().unwrap_or_else(|e| panic!("{e:?}"));
        let mut files = Vec::new();
        yaml_files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), &mut files);
        let (mut direct_ones, mut all) = (0, 0);
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let file = SourceFile::new(path.display().to_string(), text);
            yaml::parse(&file, 0..file.text.len(), |doc| {
                let Some(tree::Kind::Map(entries)) = doc.root.as_ref().map(|r| &r.kind) else { return };
                let Some((_, input)) = entries.iter().find(|(k, _)| k.key_text() == Some("input")) else { return };
                let json = to_json(input);
                let full = type_input(&file, input, &program).ok();
                all += 1;
                if let Some(direct) = direct::input(&json, &program) {
                    direct_ones += 1;
                    assert_eq!(Some(direct), full, "{}: {json}", file.name);
                }
            });
        }
        assert!(all > 200 && direct_ones * 10 > all * 8, "{direct_ones} of {all} read directly");
    }
}
