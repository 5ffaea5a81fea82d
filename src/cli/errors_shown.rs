//! Errors of scenarios on stderr: each file's first few drawn in full, the rest
//! counted; an evaluation error that many scenarios meet at one place drawn once.

use super::Out;
use crate::error::Error;
use crate::report::TestFailure;
use crate::run::Run;
use miette::Diagnostic;
use std::collections::HashMap;
use std::io::{self, Write};

/// Draws the errors of `run` (a whole run, or a piece of one) on stderr; `shown`
/// keeps count per file across pieces.
pub(super) fn report_errors(out: &Out, run: &Run, shown: &mut Shown) -> io::Result<()> {
    for (file, e) in &run.file_errors {
        shown.show(out, &file.name, e)?;
    }
    // An evaluation error met by many scenarios at the same place of a rule is
    // drawn once, followed by the names of the others.
    let mut same: HashMap<(u8, &str, usize, &str), Vec<&str>> = HashMap::new();
    for r in &run.results {
        for e in r.result.as_ref().err().into_iter().flatten() {
            if let Error::Eval(ev) = e {
                same.entry(ev.same_as_key()).or_default().push(ev.scenario());
            }
        }
    }
    for r in &run.results {
        for e in r.result.as_ref().err().into_iter().flatten() {
            let Error::Eval(ev) = e else {
                shown.show(out, &r.file.name, e)?;
                continue;
            };
            let Some(scenarios) = same.remove(&ev.same_as_key()) else {
                continue;
            };
            let drawn = shown.show(out, &r.file.name, e)?;
            if let [_, others @ ..] = scenarios.as_slice() {
                if drawn && !others.is_empty() {
                    let names: Vec<String> = others.iter().take(5).map(|n| format!("`{n}`")).collect();
                    let more = others.len().saturating_sub(5);
                    let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
                    writeln!(
                        io::stderr().lock(),
                        "  the same in {} more scenario{}: {}{tail}",
                        others.len(),
                        if others.len() == 1 { "" } else { "s" },
                        names.join(", ")
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// Failed expectations, drawn like errors: each file's first few in full.
pub(super) fn report_failures(out: &Out, failures: &[TestFailure], shown: &mut Shown) -> io::Result<()> {
    for failure in failures {
        shown.show(out, failure.src.name(), failure)?;
    }
    Ok(())
}

/// At most this many diagnostics are drawn per file; the others are counted, so
/// that a file of a million broken documents is reported in seconds.
const SHOWN_PER_FILE: usize = 50;

/// How many diagnostics each file has had drawn.
#[derive(Default)]
pub(super) struct Shown {
    per_file: HashMap<String, usize>,
}

impl Shown {
    /// Draws `e` unless its file has had its share; says whether it drew it.
    fn show(&mut self, out: &Out, file: &str, e: &dyn Diagnostic) -> io::Result<bool> {
        let count = match self.per_file.get_mut(file) {
            Some(count) => count,
            None => self.per_file.entry(file.to_string()).or_default(),
        };
        *count += 1;
        let drawn = *count <= SHOWN_PER_FILE;
        if drawn {
            out.diagnostic(e)?;
        }
        Ok(drawn)
    }

    /// Counts, per file, what was not drawn.
    pub(super) fn finish(self) -> io::Result<()> {
        let mut hidden: Vec<(String, usize)> = self
            .per_file
            .into_iter()
            .filter(|(_, n)| *n > SHOWN_PER_FILE)
            .map(|(f, n)| (f, n - SHOWN_PER_FILE))
            .collect();
        hidden.sort();
        for (file, n) in hidden {
            writeln!(
                io::stderr().lock(),
                "{n} more problem{} in {file} not shown (the first {SHOWN_PER_FILE} are above; `--format json` lists all)",
                if n == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}
