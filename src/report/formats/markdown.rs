//! A markdown summary for a pull-request comment or a job summary: the counts, a
//! table per file, and each failure or error with its place.

use super::super::cases::{Case, Report, Status};
use std::fmt::Write;

/// Text for a table cell: pipes escaped, on one line.
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Passed => "✅",
        Status::Failed => "❌",
        Status::Errored => "⛔",
        Status::Evaluated => "▫️",
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### entitle {}: {}\n", report.command, report.pack_text());
    let _ = writeln!(out, "**{}**", report.counts_text());
    if let Some(c) = &report.coverage {
        let _ = writeln!(out, "\n{}", c.text());
    }
    if report.command == "eval" {
        eval_table(report, &mut out);
    } else {
        file_table(report, &mut out);
    }
    let bad: Vec<&Case> =
        report.cases.iter().filter(|c| matches!(c.status, Status::Failed | Status::Errored)).collect();
    if !bad.is_empty() {
        let _ = writeln!(out, "\n#### Failures and errors\n");
        for case in bad {
            failure(case, &mut out);
        }
    }
    out
}

/// One row per file: how many of its cases passed, failed, had errors.
fn file_table(report: &Report, out: &mut String) {
    let mut files: Vec<(&str, [usize; 4])> = Vec::new();
    for case in &report.cases {
        let i = match case.status {
            Status::Passed => 0,
            Status::Failed => 1,
            Status::Errored => 2,
            Status::Evaluated => 3,
        };
        match files.iter_mut().find(|(f, _)| *f == case.suite) {
            Some((_, n)) => n[i] += 1,
            None => {
                let mut n = [0; 4];
                n[i] = 1;
                files.push((&case.suite, n));
            }
        }
    }
    let _ = writeln!(out, "\n| | file | passed | failed | errors |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|");
    for (file, n) in files {
        let status = if n[2] > 0 {
            Status::Errored
        } else if n[1] > 0 {
            Status::Failed
        } else {
            Status::Passed
        };
        let _ = writeln!(out, "| {} | `{}` | {} | {} | {} |", mark(status), cell(file), n[0], n[1], n[2]);
    }
}

/// One row per scenario with its decision.
fn eval_table(report: &Report, out: &mut String) {
    let _ = writeln!(out, "\n| | file | scenario | outcome |");
    let _ = writeln!(out, "|---|---|---|---|");
    for case in &report.cases {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            mark(case.status),
            cell(&case.suite),
            cell(&case.name),
            cell(&case.summary)
        );
    }
}

fn failure(case: &Case, out: &mut String) {
    if case.name == case.suite {
        let _ = writeln!(out, "- {} `{}`", mark(case.status), cell(&case.name));
    } else {
        let _ = writeln!(out, "- {} **{}** in `{}`", mark(case.status), cell(&case.name), cell(&case.suite));
    }
    for p in &case.problems {
        let place =
            p.at.as_ref().map_or_else(String::new, |(at, _)| format!(" (`{}:{}:{}`)", at.file, at.line, at.column));
        let _ = writeln!(out, "  - {}{place}", cell(&p.text()));
        for (at, label) in &p.related {
            let _ = writeln!(out, "    - `{}:{}:{}`: {}", at.file, at.line, at.column, cell(label));
        }
    }
}
