//! GitHub Actions workflow commands: `::error file=...,line=...,col=...::message`,
//! so that each problem shows on the changed line of the pull request.

use super::super::cases::Report;
use super::super::problem::Level;
use std::fmt::Write;

/// Data of a workflow command: `%`, CR and LF encoded.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: also `:` and `,` encoded.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for p in report.problems() {
        let command = match p.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut props = vec![format!("title={}", property(&p.code))];
        if let Some((at, _)) = &p.at {
            props.push(format!("file={}", property(&at.file)));
            props.push(format!("line={}", at.line));
            props.push(format!("col={}", at.column));
            props.push(format!("endLine={}", at.end_line));
            if at.end_line == at.line {
                props.push(format!("endColumn={}", at.end_column));
            }
        }
        let mut message = p.text();
        for (at, label) in &p.related {
            let _ = write!(message, "\n{}:{}:{}: {label}", at.file, at.line, at.column);
        }
        if let Some(h) = &p.help {
            let _ = write!(message, "\nhelp: {h}");
        }
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    let mut summary = format!("entitle {} of {}: {}", report.command, report.pack_text(), report.counts_text());
    if let Some(c) = &report.coverage {
        let _ = write!(summary, "; {}", c.text());
    }
    let _ = writeln!(out, "::notice title=entitle {}::{}", report.command, data(&summary));
    out
}
