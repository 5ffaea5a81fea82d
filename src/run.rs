//! Evaluating scenario files against a compiled program: every document of every
//! file gets a result, good or bad, so one bad scenario hides nothing.

use crate::coverage::Coverage;
use crate::error::Error;
use crate::eval::{self, EvalError};
use crate::outcome::Outcome;
use crate::program::Program;
use crate::scenario::{self, Mismatch, Scenario, ScenarioFile};
use crate::source::{Note, SourceFile};
use crate::trace::{Trace, Tracer};

#[derive(Debug)]
pub struct ScenarioResult {
    pub file: SourceFile,
    pub name: Option<String>,
    /// Boxed: a run holds one result per document, and most of a result's size is
    /// the evaluated scenario.
    pub result: Result<Box<Evaluated>, Vec<Error>>,
}

#[derive(Debug)]
pub struct Evaluated {
    pub scenario: Scenario,
    pub outcome: Outcome,
    /// `None` when the scenario has no `expect` block.
    pub mismatches: Option<Vec<Mismatch>>,
    /// Recorded for a scenario that failed its expectations, to show what decided.
    pub trace: Option<Trace>,
}

#[derive(Debug, Default)]
pub struct Run {
    pub results: Vec<ScenarioResult>,
    /// Problems of whole files: unreadable, not YAML, over a limit.
    pub file_errors: Vec<(SourceFile, Error)>,
    /// Recorded only when asked for: it costs an observer call per decision point.
    pub coverage: Option<Coverage>,
    /// Scenario documents that were not read (after a YAML syntax error).
    pub unread: usize,
}

impl Run {
    /// A run that records rule coverage.
    pub fn with_coverage(program: &Program) -> Self {
        Run { coverage: Some(Coverage::new(program)), ..Run::default() }
    }

    /// Evaluates the documents of a file, on all cores when there are many; the
    /// results keep the documents' order.
    pub fn add_file(&mut self, program: &Program, loaded: ScenarioFile) {
        use rayon::prelude::*;
        let ScenarioFile { file, documents, errors, unread } = loaded;
        self.unread += unread;
        let recording = self.coverage.is_some();
        let parts: Vec<(Vec<ScenarioResult>, Option<Coverage>)> = documents
            .into_par_iter()
            .with_min_len(DOCUMENTS_PER_TASK)
            .fold(
                || (Vec::new(), recording.then(|| Coverage::new(program))),
                |(mut out, mut coverage), doc| {
                    out.push(evaluate_document(program, &file, doc, coverage.as_mut()));
                    (out, coverage)
                },
            )
            .collect();
        for (results, coverage) in parts {
            self.results.extend(results);
            if let (Some(total), Some(part)) = (&mut self.coverage, coverage) {
                total.merge(&part);
            }
        }
        self.file_errors.extend(errors.into_iter().map(|e| (file.clone(), Error::from(e))));
    }

    /// Appends `later`, a run over the files after this run's, of the same program.
    pub fn append(&mut self, later: Run) {
        self.results.extend(later.results);
        self.file_errors.extend(later.file_errors);
        self.unread += later.unread;
        if let (Some(mine), Some(theirs)) = (&mut self.coverage, &later.coverage) {
            mine.merge(theirs);
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.file_errors.is_empty() || self.unread > 0 || self.results.iter().any(|r| r.result.is_err())
    }

    pub fn failed(&self) -> usize {
        self.results
            .iter()
            .filter(|r| matches!(&r.result, Ok(e) if e.mismatches.as_ref().is_some_and(|m| !m.is_empty())))
            .count()
    }
}

/// Fewer documents than this are not worth a task of their own.
const DOCUMENTS_PER_TASK: usize = 256;

/// Evaluates one document, recording coverage when asked; a failed expectation is
/// evaluated once more with a tracer, to show what decided.
fn evaluate_document(
    program: &Program,
    file: &SourceFile,
    doc: scenario::Document,
    coverage: Option<&mut Coverage>,
) -> ScenarioResult {
    let result = doc.result.map_err(|errors| errors.into_iter().map(Error::from).collect()).and_then(|s| {
        let outcome = match coverage {
            Some(c) => {
                let outcome = eval::evaluate_observed(program, s.as_of, &s.input, &s.name, c);
                c.scenario_done();
                outcome
            }
            None => eval::evaluate(program, s.as_of, &s.input, &s.name),
        }
        .map_err(|e| {
            let note = scenario_note(program, file, &s, &e);
            vec![Error::from(e.in_scenario(note))]
        })?;
        let mismatches = s.expect.as_ref().map(|e| scenario::check(program, &outcome, e));
        // Failures are rare: evaluating once more with a tracer keeps the common path lean.
        let trace = mismatches.as_ref().filter(|m| !m.is_empty()).map(|_| {
            let mut tracer = Tracer::new(program);
            let _ = eval::evaluate_observed(program, s.as_of, &s.input, &s.name, &mut tracer);
            tracer.take()
        });
        Ok(Box::new(Evaluated { scenario: *s, outcome, mismatches, trace }))
    });
    ScenarioResult { file: file.clone(), name: doc.name, result }
}

/// Where in its file a scenario met an evaluation error: the part of the input that
/// lacks a field (or the input, when the part is absent), else the scenario's name.
fn scenario_note(program: &Program, file: &SourceFile, s: &Scenario, e: &EvalError) -> Note {
    let note = |message: String, span: crate::ast::Span, label: String| Note {
        message,
        src: file.named(),
        span: span.into(),
        label,
    };
    let Some(field) = e.missing_field() else {
        return note(format!("in scenario `{}`", s.name), s.name_span, "this scenario".into());
    };
    let field = field.strip_prefix("input.").unwrap_or(field);
    let (part, rest) = field.split_once('.').unwrap_or((field, ""));
    let index = program.schema.record(program.schema.input).and_then(|r| r.fields.iter().position(|f| f.name == part));
    match index.and_then(|i| s.part_spans.get(i).copied().flatten()) {
        Some(span) if !rest.is_empty() => {
            note(format!("scenario `{}` gives `{part}` without `{rest}`", s.name), span, format!("no `{rest}` here"))
        }
        _ => {
            note(format!("scenario `{}` gives no `{part}`", s.name), s.input_span, format!("no `{part}` in this input"))
        }
    }
}

/// One scenario evaluated with its trace, for `explain`.
#[derive(Debug)]
pub struct Explained {
    pub file: SourceFile,
    pub scenario: Scenario,
    pub outcome: Result<Outcome, Error>,
    /// Up to the rule that failed, when evaluation failed.
    pub trace: Trace,
}

/// Evaluates every scenario of `loaded` (named `only`, when given) with a trace.
/// Documents that could not be read are left out: their errors are in `loaded`.
pub fn explain(program: &Program, loaded: &ScenarioFile, only: Option<&str>, tracer: &mut Tracer) -> Vec<Explained> {
    let mut out = Vec::new();
    for doc in &loaded.documents {
        let Ok(s) = &doc.result else {
            continue;
        };
        if only.is_some_and(|n| n != s.name) {
            continue;
        }
        let outcome = eval::evaluate_observed(program, s.as_of, &s.input, &s.name, tracer).map_err(|e| {
            let note = scenario_note(program, &loaded.file, s, &e);
            Error::from(e.in_scenario(note))
        });
        out.push(Explained { file: loaded.file.clone(), scenario: (**s).clone(), outcome, trace: tracer.take() });
    }
    out
}
