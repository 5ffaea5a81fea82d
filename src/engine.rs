//! The front door: a compiled pack that evaluates inputs. Everything an embedding
//! program needs is here, in pipeline order: load a pack into an [`Engine`], read an
//! input (JSON text, a `serde_json::Value`, or fields set by name), evaluate it on a
//! day, read the [`Decided`] outcome by name. The command line is built on it.

use crate::calendar;
use crate::coverage::Coverage;
use crate::error::Error;
use crate::eval;
use crate::number::Number;
use crate::outcome::{Decision, Finding, Outcome};
use crate::pack::PackSources;
use crate::program::{display, Program};
use crate::run::{self, Run, Source, Tally};
use crate::scenario;
use crate::source::SourceFile;
use crate::types::Type;
use crate::value::Value;
use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::path::Path;

impl PackSources {
    /// Loads and compiles the pack, reporting the problems of every file together:
    /// rules are still checked when a parameter or a schema field is wrong.
    pub fn build(&self) -> Result<Program, Vec<Error>> {
        self.build_with_warnings().map(|(program, _)| program)
    }

    /// [`PackSources::build`], with the warnings of a pack that compiles.
    pub fn build_with_warnings(&self) -> Result<(Program, Vec<Error>), Vec<Error>> {
        let (pack, errors) = self.load();
        let mut errors: Vec<Error> = errors.into_iter().map(Error::from).collect();
        let Some(pack) = pack else { return Err(errors) };
        match crate::check::compile(pack) {
            Ok((program, warnings)) if errors.is_empty() => {
                Ok((program, warnings.into_iter().map(Error::from).collect()))
            }
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more.into_iter().map(Error::from));
                Err(errors)
            }
        }
    }
}

/// A compiled pack. Evaluation takes `&self` and holds no lock: one engine serves
/// any number of threads (it is `Send + Sync`; share it by reference or in an `Arc`).
#[derive(Debug)]
pub struct Engine {
    program: Program,
    warnings: Vec<Error>,
}

/// Every problem found, each a diagnostic with its code, its located labels and,
/// where a fix is known, help. Render one with `miette`, or read it as data.
#[derive(Debug)]
pub struct Problems(pub Vec<Error>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => write!(f, "no problem"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more)", rest.len()),
        }
    }
}

impl std::error::Error for Problems {}

impl Problems {
    pub fn iter(&self) -> impl Iterator<Item = &Error> {
        self.0.iter()
    }
}

fn problems<E: Into<Error>>(errors: Vec<E>) -> Problems {
    Problems(errors.into_iter().map(Into::into).collect())
}

impl Engine {
    /// The pack shipped inside `entitle`.
    pub fn shipped() -> Result<Engine, Problems> {
        Engine::from_sources(&crate::embedded::default_pack())
    }

    /// The pack in a folder: its `pack.toml`, `schema.toml`, `params.toml` and rule
    /// files, each checked to be a regular file within the size limit.
    pub fn from_folder(dir: impl AsRef<Path>) -> Result<Engine, Problems> {
        let sources = crate::files::read_pack(dir.as_ref()).map_err(problems)?;
        Engine::from_sources(&sources)
    }

    /// A pack held in memory: file names (relative to the pack) and their texts.
    pub fn from_sources(sources: &PackSources) -> Result<Engine, Problems> {
        sources.build_with_warnings().map(|(program, warnings)| Engine { program, warnings }).map_err(Problems)
    }

    /// What `check` warns of in a pack that compiles: parameters and schema fields
    /// that no rule reads. Each is a diagnostic of severity warning.
    pub fn warnings(&self) -> &[Error] {
        &self.warnings
    }

    /// This engine deciding every scenario by the rules and parameter values in force
    /// on `day` instead of on the scenario's own date (which stays its "today"): the
    /// question "what if the rules of that day applied?". `None` undoes it.
    pub fn with_rules_of(mut self, day: Option<Date>) -> Engine {
        self.program.rules_on = day.map(|d| d.0);
        self
    }

    /// The compiled program, for the reporters and for reading its rules.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The pack's name and version, as its manifest gives them.
    pub fn pack(&self) -> (&str, &str) {
        (&self.program.manifest.name, &self.program.manifest.version)
    }

    /// Reads an input record (the `input` of a scenario) from JSON text. Numbers are
    /// read exactly from their text; problems are located by line and column.
    pub fn input_from_json(&self, text: &str) -> Result<Input, Problems> {
        let file = SourceFile::new("input.json", text);
        scenario::input_from_json(&file, &self.program).map(|parts| Input { parts }).map_err(problems)
    }

    /// Reads an input record from a `serde_json::Value`; problems name the field.
    pub fn input_from_value(&self, value: &serde_json::Value) -> Result<Input, Problems> {
        scenario::input_from_value(value, &self.program).map(|parts| Input { parts }).map_err(problems)
    }

    /// Starts an input record whose fields are set by name, each checked against the
    /// schema when [`InputBuilder::build`] is called.
    pub fn input(&self) -> InputBuilder<'_> {
        InputBuilder { engine: self, root: serde_json::Map::new() }
    }

    /// Evaluates `input` on the day `as_of`: every rule that applies, its findings
    /// with their messages, and the outputs.
    pub fn evaluate(&self, input: &Input, as_of: Date) -> Result<Decided<'_>, Problems> {
        let outcome = eval::evaluate(&self.program, as_of.0, &input.parts, "").map_err(|e| Problems(vec![e.into()]))?;
        Ok(Decided { engine: self, outcome })
    }

    /// [`Engine::evaluate`] without writing any message: for a caller that wants the
    /// decision and the outputs (findings name their rules, with empty messages).
    pub fn decide(&self, input: &Input, as_of: Date) -> Result<Decided<'_>, Problems> {
        let outcome =
            eval::evaluate_quietly(&self.program, as_of.0, &input.parts, "").map_err(|e| Problems(vec![e.into()]))?;
        Ok(Decided { engine: self, outcome })
    }

    /// Reads and evaluates an input given as JSON text.
    pub fn evaluate_json(&self, text: &str, as_of: Date) -> Result<Decided<'_>, Problems> {
        self.evaluate(&self.input_from_json(text)?, as_of)
    }

    /// Reads and evaluates an input given as a `serde_json::Value`.
    pub fn evaluate_value(&self, value: &serde_json::Value, as_of: Date) -> Result<Decided<'_>, Problems> {
        self.evaluate(&self.input_from_value(value)?, as_of)
    }

    /// Runs scenario files (their pieces, in order: see [`crate::files::sources`]) on
    /// every core. Each piece's results go to `render` on the pool, which keeps what
    /// it needs; its renderings go to `sink` in order, on this thread. Memory holds
    /// only the pieces in flight. Returns the counts and, when asked, the coverage.
    pub fn run<R: Send, E>(
        &self,
        sources: impl Iterator<Item = Source> + Send,
        coverage: bool,
        render: impl Fn(Run) -> R + Sync,
        sink: impl FnMut(R) -> Result<(), E>,
    ) -> Result<(Tally, Option<Coverage>), E> {
        run::stream(&self.program, coverage, sources, render, sink)
    }

    /// Explains the scenarios of `sources` (only the one named `only`, when given):
    /// every rule in evaluation order, the values that decided, what would lift
    /// each denial.
    pub fn explain(&self, sources: impl Iterator<Item = Source>, only: Option<&str>) -> run::Explanations {
        run::explain_all(&self.program, sources, only)
    }
}

/// An input record, typed by the pack's schema.
#[derive(Debug, Clone)]
pub struct Input {
    parts: Vec<Option<Value>>,
}

/// Builds an input record field by field. Paths name fields from the input's top
/// (`order.seats`); values are checked when the record is built, with
/// the same checks and messages as a scenario's.
pub struct InputBuilder<'e> {
    engine: &'e Engine,
    root: serde_json::Map<String, serde_json::Value>,
}

impl InputBuilder<'_> {
    /// Sets the field at `path` (dot-separated names) to `value`: a whole number, a
    /// `bool`, text (an enumeration's value, a date such as `2021-09-15`, a quantity
    /// such as `30 days`), an [`InputValue::number`] for an exact decimal, or a list.
    pub fn set(mut self, path: &str, value: impl Into<InputValue>) -> Self {
        let mut map = &mut self.root;
        let mut names = path.split('.').peekable();
        while let Some(name) = names.next() {
            if names.peek().is_none() {
                map.insert(name.to_string(), value.into().0);
                break;
            }
            let entry = map.entry(name.to_string()).or_insert_with(|| serde_json::Value::Object(Default::default()));
            if !entry.is_object() {
                *entry = serde_json::Value::Object(Default::default());
            }
            let serde_json::Value::Object(inner) = entry else { break };
            map = inner;
        }
        self
    }

    /// The record, or every problem with the fields set.
    pub fn build(self) -> Result<Input, Problems> {
        self.engine.input_from_value(&serde_json::Value::Object(self.root))
    }
}

/// A value for [`InputBuilder::set`].
#[derive(Debug, Clone)]
pub struct InputValue(serde_json::Value);

impl InputValue {
    /// An exact number from its decimal text (`12.50`), read as a scenario reads it.
    pub fn number(text: &str) -> InputValue {
        match text.parse::<serde_json::Number>() {
            Ok(n) if !text.contains(['e', 'E']) => InputValue(serde_json::Value::Number(n)),
            // Not a plain decimal: given as text, so that typing reports it.
            _ => InputValue(serde_json::Value::String(text.to_string())),
        }
    }
}

impl From<i64> for InputValue {
    fn from(n: i64) -> Self {
        InputValue(n.into())
    }
}

impl From<i32> for InputValue {
    fn from(n: i32) -> Self {
        InputValue(n.into())
    }
}

impl From<bool> for InputValue {
    fn from(b: bool) -> Self {
        InputValue(b.into())
    }
}

impl From<&str> for InputValue {
    fn from(s: &str) -> Self {
        InputValue(s.into())
    }
}

impl From<Date> for InputValue {
    fn from(d: Date) -> Self {
        InputValue(d.to_string().into())
    }
}

impl<T: Into<InputValue>> From<Vec<T>> for InputValue {
    fn from(items: Vec<T>) -> Self {
        InputValue(serde_json::Value::Array(items.into_iter().map(|i| i.into().0).collect()))
    }
}

/// A calendar day, so that an embedder need not name `chrono`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// The day, when it exists (no 30 February).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    /// Reads `YYYY-MM-DD`, with the same checks (and messages) as a scenario's dates.
    pub fn parse(text: &str) -> Result<Date, String> {
        calendar::parse_date(text).map(Date).map_err(|e| e.explain())
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u32 {
        self.0.month()
    }

    pub fn day(self) -> u32 {
        self.0.day()
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

impl From<Date> for NaiveDate {
    fn from(d: Date) -> Self {
        d.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The outcome of one evaluation, read by name.
#[derive(Debug, Clone)]
pub struct Decided<'e> {
    engine: &'e Engine,
    outcome: Outcome,
}

/// A denial, warning or note: the rule that made it and its message (empty when
/// evaluated with [`Engine::decide`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub rule: &'a str,
    pub message: &'a str,
}

impl<'e> Decided<'e> {
    pub fn decision(&self) -> Decision {
        self.outcome.decision
    }

    pub fn is_allowed(&self) -> bool {
        self.outcome.decision == Decision::Allow
    }

    pub fn denials(&self) -> impl Iterator<Item = Found<'_>> {
        self.found(&self.outcome.denials)
    }

    pub fn warnings(&self) -> impl Iterator<Item = Found<'_>> {
        self.found(&self.outcome.warnings)
    }

    pub fn notes(&self) -> impl Iterator<Item = Found<'_>> {
        self.found(&self.outcome.notes)
    }

    fn found<'a>(&'a self, findings: &'a [Finding]) -> impl Iterator<Item = Found<'a>> {
        let rules = &self.engine.program.rules;
        findings.iter().map(|f| Found { rule: rules.get(f.rule).map_or("", |r| r.id.as_str()), message: &f.message })
    }

    /// The output of this name, when it has a value.
    pub fn output(&self, name: &str) -> Option<Output<'_>> {
        self.outputs().find(|o| o.name == name)
    }

    /// The outputs with a value, in the order the pack declares them.
    pub fn outputs(&self) -> impl Iterator<Item = Output<'_>> {
        let program = &self.engine.program;
        self.outcome.outputs.iter().filter_map(move |(i, value)| {
            let def = program.outputs.get(*i)?;
            Some(Output { name: &def.name, value, ty: &def.ty, program })
        })
    }

    /// The outcome as the stages hold it, for the reporters.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }
}

/// An output's value, with accessors by kind; `Display` writes it as reports do.
#[derive(Debug, Clone, Copy)]
pub struct Output<'a> {
    pub name: &'a str,
    value: &'a Value,
    ty: &'a Type,
    program: &'a Program,
}

impl Output<'_> {
    /// An exact number (money and months included).
    pub fn as_number(&self) -> Option<Number> {
        match self.value {
            Value::Num(n) | Value::Months(n) => Some(*n),
            Value::Days(d) => Some(Number::from_int(*d)),
            _ => None,
        }
    }

    pub fn as_date(&self) -> Option<Date> {
        match self.value {
            Value::Date(d) => Some(Date(*d)),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Text, and an enumeration's value by its name.
    pub fn as_str(&self) -> Option<&str> {
        match (self.value, self.ty) {
            (Value::Str(s), _) => Some(s),
            (Value::Enum(v), Type::Enum(e)) => {
                self.program.schema.enums.get(*e).and_then(|e| e.variants.get(*v as usize)).map(String::as_str)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Output<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display(self.value, self.ty, &self.program.schema))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn an_engine_serves_many_threads() {
        assert_send_sync::<Engine>();
        assert_send_sync::<Input>();
    }
}
