//! The model the machine formats share: one case per scenario (or, for `check`,
//! per pack file), its status, and the problems found, located.

use super::human::mismatch;
use super::problem::{problem, Problem};
use super::TestFailure;
use crate::coverage::{Coverage, Summary};
use crate::error::Error;
use crate::number::Number;
use crate::program::Program;
use crate::run::{Run, ScenarioResult};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    Errored,
    /// Evaluated with nothing to check: `eval`, or a scenario without `expect`.
    Evaluated,
}

#[derive(Debug, Clone)]
pub struct Case {
    /// The file the case belongs to: its test suite.
    pub suite: String,
    /// Unique within its suite.
    pub name: String,
    pub status: Status,
    /// One line: the decision and the rules that denied, or what failed.
    pub summary: String,
    /// Every line of what failed, for a failure's body.
    pub details: Vec<String>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone)]
pub struct CoverageLine {
    pub summary: Summary,
    pub minimum: Option<Number>,
}

impl CoverageLine {
    pub fn below_minimum(&self) -> bool {
        self.minimum.is_some_and(|m| !self.summary.meets(m))
    }

    pub fn text(&self) -> String {
        let s = &self.summary;
        let mut text = format!("rule coverage {}% ({} of {} ways seen)", s.percent_text(), s.seen, s.total);
        if let Some(m) = self.minimum {
            let verdict = if self.below_minimum() { "below" } else { "meets" };
            text.push_str(&format!(", {verdict} the minimum of {}%", m.to_decimal_string(9)));
        }
        text
    }
}

#[derive(Debug)]
pub struct Report {
    /// `check`, `eval` or `test`.
    pub command: &'static str,
    /// Name and version, when the pack could be read.
    pub pack: Option<(String, String)>,
    pub cases: Vec<Case>,
    pub coverage: Option<CoverageLine>,
    /// The failed expectations as diagnostics, for stderr; their problems are in `cases`.
    pub failures: Vec<TestFailure>,
    /// Scenario documents that were not read (after a YAML syntax error).
    pub unread: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub errored: usize,
    pub evaluated: usize,
}

impl Report {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for case in &self.cases {
            match case.status {
                Status::Passed => c.passed += 1,
                Status::Failed => c.failed += 1,
                Status::Errored => c.errored += 1,
                Status::Evaluated => c.evaluated += 1,
            }
        }
        c
    }

    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.cases.iter().flat_map(|c| &c.problems)
    }

    /// "partner-benefits 1.0.0", or "the pack" when it could not be read.
    pub fn pack_text(&self) -> String {
        self.pack.as_ref().map_or_else(|| "the pack".into(), |(n, v)| format!("{n} {v}"))
    }

    /// The counts in words: "212 passed, 1 failed".
    pub fn counts_text(&self) -> String {
        let c = self.counts();
        let mut parts = Vec::new();
        if self.command == "check" || self.pack.is_none() {
            let files = |n: usize| if n == 1 { "1 file".to_string() } else { format!("{n} files") };
            return match self.pack.as_ref().filter(|_| c.failed + c.errored == 0) {
                Some(_) => format!("{} valid", files(c.passed)),
                None => format!("{} with errors", files(c.failed + c.errored)),
            };
        }
        if self.command == "test" {
            parts.push(format!("{} passed", c.passed));
            parts.push(format!("{} failed", c.failed));
        }
        if c.errored > 0 {
            parts.push(format!("{} with errors", c.errored));
        }
        if c.evaluated > 0 {
            let what = if self.command == "test" { "without expectations" } else { "evaluated" };
            parts.push(format!("{} {what}", c.evaluated));
        }
        if self.unread > 0 {
            parts.push(format!("{} not read", self.unread));
        }
        parts.join(", ")
    }
}

/// The report of `check` (or of `eval` and `test` on a pack that does not build):
/// one case per pack file, failed with the errors found in it.
pub fn for_pack(command: &'static str, program: Option<&Program>, files: &[String], errors: &[&Error]) -> Report {
    let problems: Vec<Problem> = errors.iter().map(|e| problem(*e, "")).collect();
    let mut cases: Vec<Case> = files
        .iter()
        .map(|f| {
            let mine: Vec<Problem> =
                problems.iter().filter(|p| p.at.as_ref().is_some_and(|(at, _)| at.file == *f)).cloned().collect();
            file_case(f, mine)
        })
        .collect();
    let elsewhere: Vec<Problem> =
        problems.into_iter().filter(|p| !p.at.as_ref().is_some_and(|(at, _)| files.contains(&at.file))).collect();
    if !elsewhere.is_empty() {
        cases.push(file_case("(pack)", elsewhere));
    }
    let pack = program.map(|p| (p.manifest.name.clone(), p.manifest.version.clone()));
    Report { command, pack, cases, coverage: None, failures: Vec::new(), unread: 0 }
}

fn file_case(file: &str, problems: Vec<Problem>) -> Case {
    let errors = problems.iter().filter(|p| p.level == super::problem::Level::Error).count();
    let warnings = problems.len() - errors;
    let status = if errors == 0 { Status::Passed } else { Status::Failed };
    let count = |n: usize, what: &str| if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") };
    let summary = match (errors, warnings) {
        (0, 0) => "valid".to_string(),
        (0, w) => format!("valid, {}", count(w, "warning")),
        (e, 0) => count(e, "error"),
        (e, w) => format!("{}, {}", count(e, "error"), count(w, "warning")),
    };
    let details = problems.iter().map(Problem::text).collect();
    Case { suite: file.to_string(), name: file.to_string(), status, summary, details, problems }
}

/// The report of `eval` (`checked` false) or `test` over a run.
pub fn for_run(program: &Program, run: &Run, command: &'static str, min_coverage: Option<Number>) -> Report {
    let checked = command == "test";
    let mut cases: Vec<Case> = Vec::new();
    let mut failures = Vec::new();
    let mut taken = HashSet::new();
    for (index, r) in run.results.iter().enumerate() {
        let base = r.name.clone().unwrap_or_else(|| format!("(document {})", index + 1));
        let name = unique(&mut taken, &r.file.name, base);
        cases.push(result_case(program, r, name, checked, &mut failures));
    }
    for (file, e) in &run.file_errors {
        let name = unique(&mut taken, &file.name, "(file)".into());
        let p = problem(e, &file.name);
        let details = vec![p.text()];
        cases.push(Case {
            suite: file.name.to_string(),
            name,
            status: Status::Errored,
            summary: e.to_string(),
            details,
            problems: vec![p],
        });
    }
    let coverage = coverage_line(program, run, min_coverage);
    let pack = Some((program.manifest.name.clone(), program.manifest.version.clone()));
    Report { command, pack, cases, coverage, failures, unread: run.unread }
}

/// The report of `test` without its cases: the failures and the coverage line, all
/// that the human format needs (a run of a million errors builds no case for them).
pub fn failures_of(program: &Program, run: &Run, min_coverage: Option<Number>) -> Report {
    let failures = run
        .results
        .iter()
        .filter_map(|r| {
            let ev = r.result.as_ref().ok()?;
            let m = ev.mismatches.as_ref().filter(|m| !m.is_empty())?;
            Some(TestFailure::new(program, &r.file, ev, m.clone()))
        })
        .collect();
    let coverage = coverage_line(program, run, min_coverage);
    let pack = Some((program.manifest.name.clone(), program.manifest.version.clone()));
    Report { command: "test", pack, cases: Vec::new(), coverage, failures, unread: run.unread }
}

fn coverage_line(program: &Program, run: &Run, minimum: Option<Number>) -> Option<CoverageLine> {
    run.coverage.as_ref().map(|c| CoverageLine::of(program, c, minimum))
}

impl CoverageLine {
    pub fn of(program: &Program, coverage: &Coverage, minimum: Option<Number>) -> CoverageLine {
        CoverageLine { summary: Summary::of(&coverage.points(program)), minimum }
    }
}

/// `base`, or `base (2)`, ... when the suite already has a case of that name;
/// `taken` holds the (suite, name) pairs given out so far.
fn unique(taken: &mut HashSet<(String, String)>, suite: &str, base: String) -> String {
    let mut name = base.clone();
    let mut i = 2;
    while !taken.insert((suite.to_string(), name.clone())) {
        name = format!("{base} ({i})");
        i += 1;
    }
    name
}

fn result_case(
    program: &Program,
    r: &ScenarioResult,
    name: String,
    checked: bool,
    failures: &mut Vec<TestFailure>,
) -> Case {
    let suite = r.file.name.to_string();
    match &r.result {
        Err(errors) => {
            let problems: Vec<Problem> = errors.iter().map(|e| problem(e, &r.file.name)).collect();
            let details = problems.iter().map(Problem::text).collect();
            let summary = errors.first().map(ToString::to_string).unwrap_or_default();
            Case { suite, name, status: Status::Errored, summary, details, problems }
        }
        Ok(ev) => {
            let o = &ev.outcome;
            let denied: Vec<&str> =
                o.denials.iter().filter_map(|f| program.rules.get(f.rule).map(|r| r.id.as_str())).collect();
            let mut summary = o.decision.as_str().to_string();
            if !denied.is_empty() {
                summary.push_str(&format!(" by {}", denied.join(", ")));
            }
            match ev.mismatches.as_ref().filter(|_| checked) {
                None => Case { suite, name, status: Status::Evaluated, summary, details: Vec::new(), problems: vec![] },
                Some(m) if m.is_empty() => {
                    Case { suite, name, status: Status::Passed, summary, details: Vec::new(), problems: vec![] }
                }
                Some(m) => {
                    let failure = TestFailure::new(program, &r.file, ev, m.clone());
                    let details = m.iter().map(mismatch).collect::<Vec<_>>();
                    let summary = details.join("; ");
                    let problems = vec![problem(&failure, "")];
                    failures.push(failure);
                    Case { suite, name, status: Status::Failed, summary, details, problems }
                }
            }
        }
    }
}
