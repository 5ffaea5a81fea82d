//! Scenario text cut into pieces that are read, typed and evaluated each on its own,
//! on every core, and let go once reported: a piece is a stretch of whole documents
//! of one file (YAML documents cut at `---` lines, JSON lines). A JSON Lines stream
//! is read a piece at a time, so it has no total size, only a size per line.

use crate::input::InputError;
use crate::scenario::Syntax;
use crate::source::SourceFile;
use std::io::BufRead;
use std::ops::Range;

/// About how much text a piece holds: enough for a task to be worth its overhead,
/// small enough that the pieces in flight hold little.
pub const PIECE_BYTES: usize = 64 * 1024;
/// The longest line of a JSON Lines stream: one scenario.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// A stretch of whole documents of one file.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The file, or for a stream the text of this piece alone (its `first_line` set).
    pub file: SourceFile,
    pub range: Range<usize>,
    pub syntax: Syntax,
    /// Whether this is the file's last piece: the run then closes the file.
    pub last: bool,
}

/// Cuts a file held whole into pieces at document boundaries. A JSON file (one
/// value) is one piece.
pub fn split(file: &SourceFile, syntax: Syntax) -> Vec<Piece> {
    let text = file.text.as_bytes();
    let mut cuts = vec![0];
    if syntax != Syntax::Json {
        let mut last = 0;
        let mut line_start = 0;
        // Directive lines (`%YAML 1.2`) belong to the document whose `---` follows them.
        let mut directives: Option<usize> = None;
        while line_start < text.len() {
            let line_end = crate::scan::find(&text[line_start..], b'\n').map_or(text.len(), |i| line_start + i + 1);
            let line = &text[line_start..line_end];
            let starts_at = match syntax {
                Syntax::JsonLines => Some(line_start),
                _ if line.first() == Some(&b'%') => {
                    directives.get_or_insert(line_start);
                    None
                }
                _ if line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n')) => {
                    Some(directives.take().unwrap_or(line_start))
                }
                _ => {
                    directives = None;
                    None
                }
            };
            if let Some(at) = starts_at.filter(|at| at - last >= PIECE_BYTES) {
                cuts.push(at);
                last = at;
            }
            line_start = line_end;
        }
    }
    cuts.push(text.len());
    let n = cuts.len() - 1;
    cuts.windows(2)
        .enumerate()
        .map(|(i, w)| Piece { file: file.clone(), range: w[0]..w[1], syntax, last: i + 1 == n })
        .collect()
}

/// Reads a JSON Lines stream a piece at a time. A line over [`MAX_LINE_BYTES`] is
/// passed over unread and reported with its number.
pub struct LineStream<R> {
    name: String,
    reader: R,
    /// Lines read so far.
    line: usize,
    done: bool,
    /// The error of a line met after the lines of the piece just returned.
    pending: Option<InputError>,
}

/// What kept part of a stream from being read, and how many scenarios (lines) it
/// kept from being read.
pub type StreamError = (InputError, usize);

impl<R: BufRead> LineStream<R> {
    pub fn new(name: impl Into<String>, reader: R) -> Self {
        LineStream { name: name.into(), reader, line: 0, done: false, pending: None }
    }

    /// The next piece, or the error of a line that could not be read; `None` at the
    /// end. The last piece is marked `last`; an empty stream gives one empty piece.
    pub fn next_piece(&mut self) -> Option<Result<Piece, StreamError>> {
        if let Some(e) = self.pending.take() {
            return Some(Err((e, 1)));
        }
        if self.done {
            return None;
        }
        let first_line = self.line;
        let mut bytes = Vec::with_capacity(PIECE_BYTES + 4096);
        while bytes.len() < PIECE_BYTES {
            match read_line(&mut self.reader, &mut bytes) {
                Ok(Line::End) => {
                    self.done = true;
                    break;
                }
                Ok(Line::Read) => self.line += 1,
                Ok(Line::TooLong) => {
                    self.line += 1;
                    let e = InputError::LineTooLong { path: self.name.clone(), line: self.line, limit: MAX_LINE_BYTES };
                    if bytes.is_empty() {
                        return Some(Err((e, 1)));
                    }
                    self.pending = Some(e);
                    break;
                }
                Err(e) => {
                    self.done = true;
                    let e = InputError::Read { path: self.name.clone(), reason: e.to_string().to_lowercase() };
                    return Some(Err((e, 0)));
                }
            }
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let bytes = e.as_bytes();
                let at = e.utf8_error().valid_up_to();
                let line = first_line + bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
                let lines = self.line - first_line;
                let e = InputError::NotUtf8Line { path: self.name.clone(), line, from: first_line + 1, to: self.line };
                return Some(Err((e, lines)));
            }
        };
        let len = text.len();
        let file = SourceFile::part(self.name.as_str(), text, first_line);
        Some(Ok(Piece { file, range: 0..len, syntax: Syntax::JsonLines, last: self.done }))
    }
}

enum Line {
    Read,
    End,
    TooLong,
}

/// Appends one line (with its `\n`) to `out`, or passes over a line longer than the
/// limit without holding it.
fn read_line(reader: &mut impl BufRead, out: &mut Vec<u8>) -> std::io::Result<Line> {
    let start = out.len();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(if out.len() > start { Line::Read } else { Line::End });
        }
        let (take, found) = match crate::scan::find(buf, b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if out.len() - start + take > MAX_LINE_BYTES {
            reader.consume(take);
            out.truncate(start);
            if !found {
                skip_line(reader)?;
            }
            return Ok(Line::TooLong);
        }
        out.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if found {
            return Ok(Line::Read);
        }
    }
}

fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        match crate::scan::find(buf, b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(text: &str, syntax: Syntax) -> Vec<String> {
        let file = SourceFile::new("t", text);
        let pieces = split(&file, syntax);
        assert!(pieces.last().is_some_and(|p| p.last) && pieces.iter().filter(|p| p.last).count() == 1);
        assert_eq!(pieces.iter().map(|p| p.range.len()).sum::<usize>(), text.len());
        pieces.iter().skip(1).map(|p| text[p.range.clone()].lines().next().unwrap_or("").to_string()).collect()
    }

    #[test]
    fn yaml_is_cut_at_document_markers_with_their_directives() {
        let doc = format!("scenario: x\nnote: |\n  {}\n  --- not a marker\n", "y".repeat(1000));
        for directive in ["", "%YAML 1.2\n"] {
            let text: String = (0..200).map(|_| format!("{directive}---\n{doc}")).collect();
            let starts = cuts(&text, Syntax::Yaml);
            assert!(starts.len() >= 2, "{}", starts.len());
            let expected = if directive.is_empty() { "---" } else { "%YAML 1.2" };
            assert!(starts.iter().all(|s| s == expected), "{starts:?}");
        }
    }

    #[test]
    fn json_lines_are_cut_at_lines_and_json_not_at_all() {
        let text: String =
            (0..2_000).map(|i| format!("{{\"scenario\": \"s{i}\", \"pad\": \"{}\"}}\n", "z".repeat(60))).collect();
        let starts = cuts(&text, Syntax::JsonLines);
        assert!(!starts.is_empty() && starts.iter().all(|s| s.starts_with("{\"scenario\"")), "{starts:?}");
        assert!(cuts(&text, Syntax::Json).is_empty());
    }
}
