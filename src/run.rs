//! Evaluating scenario files against a compiled program: every document of every
//! file gets a result, good or bad, so one bad scenario hides nothing.

use crate::coverage::Coverage;
use crate::error::Error;
use crate::eval::{self, EvalError};
use crate::outcome::Outcome;
use crate::pieces::Piece;
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
        let ScenarioFile { file, documents, errors, unread, .. } = loaded;
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

    /// Moves out the results that are errors, and the files' errors, as a run of
    /// their own: what is reported of a piece after its results are written.
    pub fn take_errors(&mut self) -> Run {
        let mut errors = Run { file_errors: std::mem::take(&mut self.file_errors), ..Run::default() };
        if self.results.iter().any(|r| r.result.is_err()) {
            let (bad, good): (Vec<_>, Vec<_>) =
                std::mem::take(&mut self.results).into_iter().partition(|r| r.result.is_err());
            self.results = good;
            errors.results = bad;
        }
        errors
    }

    pub fn has_errors(&self) -> bool {
        !self.file_errors.is_empty() || self.unread > 0 || self.results.iter().any(|r| r.result.is_err())
    }
}

/// One item of a run's input, in order: a piece of scenario text, or a file (or part
/// of one) that could not be read.
pub enum Source {
    Piece(Piece),
    Failed {
        file: SourceFile,
        error: Error,
        /// The scenarios it kept from being read, when known.
        unread: usize,
    },
}

/// The counts of a run so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Evaluated, with expectations met.
    pub passed: usize,
    /// Evaluated, with an expectation not met.
    pub failed: usize,
    /// Scenarios that could not be read, typed or evaluated, and files that could not
    /// be read.
    pub errors: usize,
    /// Evaluated, without an `expect` block.
    pub unchecked: usize,
    pub unread: usize,
}

impl Tally {
    pub fn add(&mut self, run: &Run) {
        for r in &run.results {
            match &r.result {
                Err(_) => self.errors += 1,
                Ok(e) => match &e.mismatches {
                    None => self.unchecked += 1,
                    Some(m) if m.is_empty() => self.passed += 1,
                    Some(_) => self.failed += 1,
                },
            }
        }
        self.errors += run.file_errors.len();
        self.unread += run.unread;
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0 || self.unread > 0
    }

    pub fn merge(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.errors += other.errors;
        self.unchecked += other.unchecked;
        self.unread += other.unread;
    }
}

/// Reads, types and evaluates `sources` a window of pieces at a time, on all cores,
/// and hands each piece's results to `render`, also on all cores; then hands each
/// rendering to `sink` in the order of the sources, on the calling thread, while
/// the next window is evaluated. The output is the same whatever the number of
/// threads, and memory holds only the windows in flight. Returns the counts and,
/// when `coverage` is asked, the coverage.
///
/// `render` owns the piece: what it does not keep is freed on the pool, by the
/// threads that made it, rather than on the writing thread (where freeing another
/// thread's memory contends for the allocator's locks).
pub fn stream<R: Send, E>(
    program: &Program,
    coverage: bool,
    sources: impl Iterator<Item = Source> + Send,
    render: impl Fn(Run) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(Tally, Option<Coverage>), E> {
    let (windows, done) = std::sync::mpsc::sync_channel::<Vec<R>>(WINDOWS_AHEAD);
    let render = &render;
    std::thread::scope(|scope| {
        // Files are read and cut into pieces on a thread of their own, ahead of
        // the window being evaluated, so that the pool does not wait for the disk.
        let (pieces, read) = std::sync::mpsc::sync_channel::<Source>(PIECES_READ_AHEAD);
        scope.spawn(move || {
            for source in sources {
                if pieces.send(source).is_err() {
                    break;
                }
            }
        });
        let producer = scope.spawn(move || produce(program, coverage, read.into_iter(), render, windows));
        let mut written = Ok(());
        'windows: for window in done.iter() {
            for rendered in window {
                written = sink(rendered);
                if written.is_err() {
                    break 'windows;
                }
            }
        }
        // The producer stops at its next window once no one receives.
        drop(done);
        let counted = producer.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        written.map(|()| counted)
    })
}

/// Windows evaluated ahead of the one being written.
const WINDOWS_AHEAD: usize = 2;
/// Pieces read ahead of the window being evaluated (64 KiB each).
const PIECES_READ_AHEAD: usize = 32;

/// The evaluating side of [`stream`]: windows of pieces, in order, to `windows`.
fn produce<R: Send>(
    program: &Program,
    coverage: bool,
    mut sources: impl Iterator<Item = Source>,
    render: &(impl Fn(Run) -> R + Sync),
    windows: std::sync::mpsc::SyncSender<Vec<R>>,
) -> (Tally, Option<Coverage>) {
    use rayon::prelude::*;
    let width = rayon::current_num_threads().max(1) * PIECES_PER_THREAD;
    let mut tally = Tally::default();
    let mut total = coverage.then(|| Coverage::new(program));
    let mut file = FileState::default();
    loop {
        let window: Vec<Source> = sources.by_ref().take(width).collect();
        if window.is_empty() {
            break;
        }
        let mut loaded: Vec<Loaded> = window
            .into_par_iter()
            .map(|source| match source {
                Source::Piece(p) => {
                    Loaded::Piece(scenario::load_piece(&p.file, p.range.clone(), p.syntax, program), p.last)
                }
                Source::Failed { file, error, unread } => Loaded::Failed(file, error, unread),
            })
            .collect();
        for l in &mut loaded {
            if let Loaded::Piece(piece, last) = l {
                file.admit(piece, *last);
            }
        }
        let parts: Vec<(Tally, Option<Coverage>, R)> = loaded
            .into_par_iter()
            .map(|l| {
                let mut part = if coverage { Run::with_coverage(program) } else { Run::default() };
                match l {
                    Loaded::Piece(piece, _) => part.add_file(program, piece),
                    Loaded::Failed(file, error, unread) => {
                        part.file_errors.push((file, error));
                        part.unread += unread;
                    }
                }
                let mut counted = Tally::default();
                counted.add(&part);
                let covered = part.coverage.take();
                (counted, covered, render(part))
            })
            .collect();
        let mut rendered = Vec::with_capacity(parts.len());
        for (counted, covered, r) in parts {
            tally.merge(&counted);
            if let (Some(total), Some(c)) = (&mut total, covered) {
                total.merge(&c);
            }
            rendered.push(r);
        }
        if windows.send(rendered).is_err() {
            break;
        }
    }
    (tally, total)
}

/// Pieces taken per thread at a time: enough to keep every core busy while the
/// results of the window are written.
const PIECES_PER_THREAD: usize = 8;

enum Loaded {
    Piece(ScenarioFile, bool),
    Failed(SourceFile, Error, usize),
}

/// What the run knows of the file its pieces come from: names used, whether a
/// syntax error stopped it, whether it held anything.
#[derive(Default)]
struct FileState {
    /// The file's name: a file whose stream broke off before its last piece is
    /// closed when the next file's first piece comes.
    name: Option<std::sync::Arc<str>>,
    names: scenario::Names,
    stopped: bool,
    seen_anything: bool,
}

impl FileState {
    fn admit(&mut self, piece: &mut ScenarioFile, last: bool) {
        if self.name.as_ref().is_some_and(|n| *n != piece.file.name) {
            *self = FileState::default();
        }
        if self.name.is_none() {
            self.name = Some(std::sync::Arc::clone(&piece.file.name));
        }
        if self.stopped {
            // Counted as unread where the syntax error stopped the file.
            piece.documents.clear();
            piece.errors.clear();
            piece.unread = 0;
        }
        self.names.piece(&piece.file);
        for doc in &mut piece.documents {
            self.names.check(&piece.file, doc);
        }
        self.names.passed(piece.line_breaks);
        self.seen_anything |= !piece.documents.is_empty() || !piece.errors.is_empty();
        self.stopped |= piece.unread > 0;
        if last {
            if !self.seen_anything {
                piece.errors.push(scenario::ScenarioError::Empty { src: piece.file.named(), span: (0, 0).into() });
            }
            *self = FileState::default();
        }
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

/// What `explain` found in its sources: each scenario explained, the names of all
/// scenarios read, and the errors of what could not be read or typed.
#[derive(Debug, Default)]
pub struct Explanations {
    pub items: Vec<Explained>,
    pub names: Vec<String>,
    pub errors: Vec<Error>,
}

/// Explains every scenario of `sources` (only the one named `only`, when given), one
/// piece at a time, with the same checks as a run.
pub fn explain_all(program: &Program, sources: impl Iterator<Item = Source>, only: Option<&str>) -> Explanations {
    let mut out = Explanations::default();
    let mut tracer = Tracer::new(program);
    let mut file = FileState::default();
    for source in sources {
        match source {
            Source::Piece(p) => {
                let mut loaded = scenario::load_piece(&p.file, p.range.clone(), p.syntax, program);
                file.admit(&mut loaded, p.last);
                out.names.extend(loaded.documents.iter().filter_map(|d| d.name.clone()));
                out.items.extend(explain(program, &loaded, only, &mut tracer));
                let document_errors = loaded.documents.into_iter().filter_map(|d| d.result.err()).flatten();
                out.errors.extend(loaded.errors.into_iter().chain(document_errors).map(Error::from));
            }
            Source::Failed { error, .. } => out.errors.push(error),
        }
    }
    out
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

/// For each result of `run` (by index), the rules that applied to its scenario, in
/// evaluation order; none for a scenario that could not be read.
pub fn rules_applied(program: &Program, run: &Run) -> Vec<Vec<usize>> {
    run.results
        .iter()
        .map(|r| match &r.result {
            Ok(ev) => crate::coverage::rules_applied(program, ev.scenario.as_of, &ev.scenario.input),
            Err(_) => Vec::new(),
        })
        .collect()
}
