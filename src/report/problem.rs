//! A diagnostic flattened for machine formats (SARIF, GitHub annotations, JUnit,
//! markdown): code, message, and file, line and column of its labels.

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode, SourceSpan};

/// 1-based start and end of a labelled span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub code: String,
    pub level: Level,
    pub message: String,
    /// Where it is, with the primary label's text; `None` for a problem of no file
    /// (a folder without scenarios) when no file is known.
    pub at: Option<(Place, Option<String>)>,
    /// The other labels, and those of related diagnostics (in other files too).
    pub related: Vec<(Place, String)>,
    pub help: Option<String>,
}

impl Problem {
    /// The message with the primary label, on one line: what annotations show.
    pub fn text(&self) -> String {
        let mut text = self.message.clone();
        if let Some((_, Some(label))) = &self.at {
            if !label.is_empty() && !self.message.contains(label.as_str()) {
                text = format!("{text}: {label}");
            }
        }
        text
    }
}

fn place(src: &dyn SourceCode, span: SourceSpan, fallback: &str) -> Option<Place> {
    let start = src.read_span(&(span.offset(), 0).into(), 0, 0).ok()?;
    let end = src.read_span(&(span.offset() + span.len(), 0).into(), 0, 0).ok();
    let file = start.name().map_or_else(|| fallback.to_string(), str::to_string);
    let (line, column) = (start.line() + 1, start.column() + 1);
    let (end_line, end_column) = end.map_or((line, column), |e| (e.line() + 1, e.column() + 1));
    Some(Place { file, line, column, end_line, end_column })
}

fn labels(d: &dyn Diagnostic) -> Vec<LabeledSpan> {
    d.labels().map(Iterator::collect).unwrap_or_default()
}

/// `d` as a problem; `file` names the place when the diagnostic has no source.
pub fn problem(d: &dyn Diagnostic, file: &str) -> Problem {
    let level = match d.severity() {
        Some(Severity::Warning) => Level::Warning,
        Some(Severity::Advice) => Level::Note,
        _ => Level::Error,
    };
    let code = d.code().map_or_else(|| "entitle".to_string(), |c| c.to_string());
    let mut at = None;
    let mut related = Vec::new();
    if let Some(src) = d.source_code() {
        let mut all = labels(d);
        // The primary label first, where one is marked.
        if let Some(i) = all.iter().position(LabeledSpan::primary) {
            let p = all.remove(i);
            all.insert(0, p);
        }
        for (i, l) in all.iter().enumerate() {
            let Some(p) = place(src, *l.inner(), file) else {
                continue;
            };
            let text = l.label().map(str::to_string);
            if i == 0 {
                at = Some((p, text));
            } else {
                related.push((p, text.unwrap_or_default()));
            }
        }
    }
    for r in d.related().into_iter().flatten() {
        let src = r.source_code().or(d.source_code());
        for l in labels(r) {
            if let Some(p) = src.and_then(|s| place(s, *l.inner(), file)) {
                let text = l.label().map_or_else(|| r.to_string(), |t| format!("{r}: {t}"));
                related.push((p, text));
            }
        }
    }
    if at.is_none() {
        at = Some((Place { file: file.to_string(), line: 1, column: 1, end_line: 1, end_column: 1 }, None))
            .filter(|_| !file.is_empty());
    }
    Problem { code, level, message: d.to_string(), at, related, help: d.help().map(|h| h.to_string()) }
}
