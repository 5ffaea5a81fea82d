//! Source files as the library sees them: a name and the full text. Diagnostics
//! carry a cheap clone of the named source; line and column are computed only by
//! the reporters, from a line index built once per file (on first use), so that a
//! file with many diagnostics is not scanned from its start for each of them.

use miette::{Diagnostic, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: Arc<str>,
    pub text: Arc<str>,
    lines: Arc<LineIndex>,
    /// Lines of the file before `text`, when `text` is a part of it read on its own
    /// (a stretch of a long stream): reported line numbers count them.
    pub first_line: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceFile::part(name, text, 0)
    }

    /// A part of the file `name` that starts after its first `first_line` lines.
    pub fn part(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>, first_line: usize) -> Self {
        SourceFile { name: name.into(), text: text.into(), lines: Arc::default(), first_line }
    }

    pub fn named(&self) -> Src {
        Src {
            name: Arc::clone(&self.name),
            text: Arc::clone(&self.text),
            lines: Arc::clone(&self.lines),
            first_line: self.first_line,
        }
    }

    /// The 1-based number in the whole file of the line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.first_line + self.line_starts().partition_point(|s| *s <= offset).max(1)
    }

    /// The offsets where the file's lines start, computed once.
    pub fn line_starts(&self) -> &[usize] {
        self.lines.starts(&self.text)
    }
}

/// The offsets where lines start, with miette's idea of a line break (`\n`, `\r\n`
/// and a lone `\r`), so that snippets cut from it match miette's own.
#[derive(Debug, Default)]
struct LineIndex(OnceLock<Box<[usize]>>);

impl LineIndex {
    fn starts(&self, text: &str) -> &[usize] {
        self.0.get_or_init(|| {
            let bytes = text.as_bytes();
            let mut starts = vec![0];
            for (i, b) in bytes.iter().enumerate() {
                match b {
                    b'\n' => starts.push(i + 1),
                    b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                    _ => {}
                }
            }
            starts.into_boxed_slice()
        })
    }
}

/// Line breaks in `bytes` as the line index counts them: `\n`, `\r\n` and a lone `\r`.
pub fn line_breaks(bytes: &[u8]) -> usize {
    let feeds = crate::scan::count(bytes, b'\n');
    // A carriage return is rare: looked for at memchr's speed before pairs are read.
    if !bytes.contains(&b'\r') {
        return feeds;
    }
    let lone_cr =
        bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count() + usize::from(bytes.last() == Some(&b'\r'));
    feeds + lone_cr
}

/// A named source for diagnostics: the file's text and its shared line index.
#[derive(Clone)]
pub struct Src {
    name: Arc<str>,
    text: Arc<str>,
    lines: Arc<LineIndex>,
    first_line: usize,
}

impl Src {
    /// The file's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl std::fmt::Debug for Src {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Src").field("name", &self.name).finish_non_exhaustive()
    }
}

impl SourceCode for Src {
    /// miette's own reading, on the few lines around the span that the index finds.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = &self.text;
        let starts = self.lines.starts(text);
        let line_of = |offset: usize| starts.partition_point(|s| *s <= offset).saturating_sub(1);
        // One line more than the context: miette reads an empty span at the very
        // start of its input differently from one anywhere else.
        let first = line_of(span.offset()).saturating_sub(before + 1);
        let last = line_of(span.offset() + span.len()) + after + 2;
        let from = starts.get(first).copied().unwrap_or(0);
        let to = starts.get(last).copied().unwrap_or(text.len());
        let window = text.as_bytes().get(from..to).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let c = window.read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            c.data(),
            SourceSpan::new((c.span().offset() + from).into(), c.span().len()),
            c.line() + first + self.first_line,
            c.column(),
            c.line_count() + first + self.first_line,
        )))
    }
}

/// A second location that explains an error: the parameter in the TOML, the first
/// declaration of a duplicate, the next step of a cycle.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(severity(Advice))]
pub struct Note {
    pub message: String,
    #[source_code]
    pub src: Src,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
}

/// The candidate closest to `name` by edit distance, when it is close enough to be
/// the intended spelling.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean_within(name, candidates, (name.chars().count() / 3).clamp(1, 3))
}

/// The closest candidate at most `limit` edits away, as a suggestion.
pub fn did_you_mean_within<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Option<String> {
    candidates
        .into_iter()
        .filter_map(|c| Some((crate::text::typo_distance_within(name, c, limit)?, c)))
        .filter(|(_, c)| *c != name)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span of a text with every kind of line break reads as miette reads it
    /// from the whole text.
    #[test]
    fn snippets_match_miettes_reading_of_the_whole_text() {
        let text = "one\ntwo\r\nthree\rfour\n\nsix é\nseven";
        let src = SourceFile::new("t", text).named();
        for start in 0..=text.len() {
            for len in [0, 1, 5] {
                let span = SourceSpan::new(start.into(), len);
                for context in [0, 1, 2] {
                    let ours = src.read_span(&span, context, context);
                    let theirs = text.read_span(&span, context, context);
                    match (ours, theirs) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(a.data(), b.data(), "{start} {len} {context}");
                            assert_eq!(
                                (a.span(), a.line(), a.column(), a.line_count()),
                                (b.span(), b.line(), b.column(), b.line_count()),
                                "{start} {len} {context}"
                            );
                            assert_eq!(a.name(), Some("t"));
                        }
                        (a, b) => assert_eq!(a.is_err(), b.is_err(), "{start} {len} {context}"),
                    }
                }
            }
        }
    }

    #[test]
    fn line_breaks_are_counted_as_the_line_index_counts_them() {
        for text in ["a\nb\r\nc\rd\n\ne", "\r", "\r\n", "x\r", ""] {
            let file = SourceFile::new("t", text);
            assert_eq!(line_breaks(text.as_bytes()) + 1, file.line_of(text.len()), "{text:?}");
        }
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["active_seats", "ends_on", "kind"];
        assert_eq!(did_you_mean("activ_seats", names).as_deref(), Some("did you mean `active_seats`?"));
        assert_eq!(did_you_mean("zzz", names), None);
    }
}
