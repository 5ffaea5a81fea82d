//! The plain subset of YAML that scenario files are written in, read without the
//! full parser: block mappings of `key: value` lines, block sequences of `- value`
//! lines, flow mappings and sequences on one line, plain scalars of a few safe
//! characters, and quoted strings without escapes. It builds the same tree, with the
//! same spans, as the full parser does. A piece with anything else (block scalars, a
//! mapping inside a block sequence, anchors, tags, escapes, a flow collection over
//! several lines, a tab, a duplicate key, an empty document, a limit reached) is left
//! whole to the full parser, which reads it and reports what is wrong. Tests compare
//! both ways on every example and on lines that look alike.

use crate::ast::Span;
use crate::scenario::tree::{first_key, Document, Kind, Node, MAX_DEPTH, MAX_NODES};
use std::borrow::Cow;

/// The documents of `text` (a stretch of whole documents starting at `base` in its
/// file), when all of them are in the subset.
pub fn documents(text: &str, base: usize) -> Option<Vec<Document<'_>>> {
    let mut r = Subset { text, bytes: text.as_bytes(), base, pos: 0, nodes: 0 };
    let mut docs = Vec::new();
    // A marker followed by no content opens an empty document, which YAML reads as
    // a null: left to the full parser.
    let mut after_marker = false;
    loop {
        r.skip_blank_lines()?;
        if r.pos >= r.bytes.len() {
            return (!after_marker).then_some(docs);
        }
        if r.at_marker() {
            if after_marker {
                return None;
            }
            r.pos += 3;
            r.end_of_line()?;
            after_marker = true;
            continue;
        }
        after_marker = false;
        r.nodes = 0;
        let indent = r.column();
        if indent != 0 {
            return None;
        }
        let root = r.block_map(0, 0)?;
        docs.push(Document { root: Some(root), errors: Vec::new() });
    }
}

struct Subset<'f> {
    text: &'f str,
    bytes: &'f [u8],
    /// Where `text` starts in its file: spans are the file's.
    base: usize,
    pos: usize,
    nodes: usize,
}

impl<'f> Subset<'f> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// Whether a document marker (`---` alone on its line) starts here.
    fn at_marker(&self) -> bool {
        self.bytes[self.pos..].starts_with(b"---")
            && matches!(self.bytes.get(self.pos + 3), None | Some(b'\n' | b'\r' | b' '))
    }

    /// The column of the first byte of the current line that is not a space; the
    /// reader moves to it.
    fn column(&mut self) -> usize {
        let line_start = self.bytes[..self.pos].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        self.pos - line_start
    }

    /// Passes over blank lines and comment lines, to the start of the next line with
    /// content (or the end). `None` on a tab or a directive.
    fn skip_blank_lines(&mut self) -> Option<()> {
        loop {
            let line = self.pos;
            while self.peek() == Some(b' ') {
                self.pos += 1;
            }
            match self.peek() {
                None => return Some(()),
                Some(b'\n') => self.pos += 1,
                Some(b'\r') if self.bytes.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
                Some(b'#') => self.skip_comment(),
                Some(b'\t' | b'%' | b'\r') => return None,
                Some(_) => {
                    self.pos = line;
                    return Some(());
                }
            }
        }
    }

    fn skip_comment(&mut self) {
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.pos += 1;
        }
    }

    /// Spaces, then an optional comment, then the end of the line (passed over).
    fn end_of_line(&mut self) -> Option<()> {
        let before = self.pos;
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'#') if self.pos > before || self.bytes.get(before.wrapping_sub(1)) == Some(&b' ') => {
                self.skip_comment()
            }
            None | Some(b'\n') | Some(b'\r') => {}
            _ => return None,
        }
        match self.peek() {
            None => Some(()),
            Some(b'\n') => {
                self.pos += 1;
                Some(())
            }
            Some(b'\r') if self.bytes.get(self.pos + 1) == Some(&b'\n') => {
                self.pos += 2;
                Some(())
            }
            _ => None,
        }
    }

    /// A block mapping whose keys stand at column `indent`; the reader is on its
    /// first key. It ends where the next token after it starts (a key further left,
    /// a document marker) or at the end of the text.
    fn block_map(&mut self, indent: usize, depth: usize) -> Option<Node<'f>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let mut entries: Vec<(Node<'f>, Node<'f>)> = Vec::new();
        let mut index = None;
        loop {
            let key = self.key()?;
            if self.peek() != Some(b':') {
                return None;
            }
            self.pos += 1;
            let value = match self.peek() {
                Some(b' ') => {
                    while self.peek() == Some(b' ') {
                        self.pos += 1;
                    }
                    if matches!(self.peek(), Some(b'#' | b'\n' | b'\r') | None) {
                        self.nested(indent, depth)?
                    } else {
                        let value = self.inline_value(depth)?;
                        self.end_of_line()?;
                        value
                    }
                }
                Some(b'\n' | b'\r') | None => self.nested(indent, depth)?,
                _ => return None,
            };
            if first_key(&entries, &mut index, key.key_text()?, key.span).is_some() {
                return None;
            }
            entries.push((key, value));
            if !self.another_at(indent)? {
                break;
            }
        }
        self.count()?;
        Some(Node { kind: Kind::Map(entries), span: self.span(start, self.pos) })
    }

    /// Moves to the next line with content: whether it holds another entry of the
    /// block whose entries stand at column `indent` (the reader then on it), or the
    /// block has ended there (at a line further left, a document marker, the end);
    /// `None` for a line further right.
    fn another_at(&mut self, indent: usize) -> Option<bool> {
        self.skip_blank_lines()?;
        if self.pos >= self.bytes.len() || self.at_marker() {
            return Some(false);
        }
        match self.column() {
            column if column < indent => Some(false),
            column if column == indent => Some(true),
            _ => None,
        }
    }

    /// The value of a key whose line ends after the colon: a block mapping or
    /// sequence on the lines below, further right.
    fn nested(&mut self, indent: usize, depth: usize) -> Option<Node<'f>> {
        self.end_of_line()?;
        self.skip_blank_lines()?;
        if self.pos >= self.bytes.len() || self.at_marker() {
            return None;
        }
        let column = self.column();
        if column <= indent {
            return None;
        }
        if self.peek() == Some(b'-') {
            return self.block_seq(column, depth + 1);
        }
        self.block_map(column, depth + 1)
    }

    /// A block sequence whose `- ` stand at column `indent`, each item a value on the
    /// rest of its line; the reader is on its first `-`. It ends as a block mapping
    /// does.
    fn block_seq(&mut self, indent: usize, depth: usize) -> Option<Node<'f>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let mut items = Vec::new();
        loop {
            if self.peek() != Some(b'-') || self.bytes.get(self.pos + 1) != Some(&b' ') {
                return None;
            }
            self.pos += 1;
            self.spaces();
            items.push(self.inline_value(depth)?);
            self.end_of_line()?;
            if !self.another_at(indent)? {
                break;
            }
        }
        self.count()?;
        Some(Node { kind: Kind::Seq(items), span: self.span(start, self.pos) })
    }

    /// A key: a plain scalar of letters, digits, `_` and `-`, starting with a letter
    /// or `_`.
    fn key(&mut self) -> Option<Node<'f>> {
        let start = self.pos;
        match self.peek()? {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {}
            _ => return None,
        }
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-') = self.peek() {
            self.pos += 1;
        }
        self.count()?;
        let text = self.text.get(start..self.pos)?;
        Some(Node { kind: Kind::Scalar { text: Cow::Borrowed(text), plain: true }, span: self.span(start, self.pos) })
    }

    /// A value on the rest of a block mapping's line.
    fn inline_value(&mut self, depth: usize) -> Option<Node<'f>> {
        match self.peek()? {
            b'{' | b'[' => self.flow(depth + 1),
            b'"' | b'\'' => self.quoted(),
            _ => self.plain(false),
        }
    }

    /// A flow mapping or sequence, closed on the same line.
    fn flow(&mut self, depth: usize) -> Option<Node<'f>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let open = self.peek()?;
        let close = if open == b'{' { b'}' } else { b']' };
        self.pos += 1;
        let (mut entries, mut items, mut index) = (Vec::new(), Vec::new(), None);
        self.spaces();
        if self.peek() != Some(close) {
            loop {
                if open == b'{' {
                    let key = self.key()?;
                    if self.peek() != Some(b':') {
                        return None;
                    }
                    self.pos += 1;
                    if self.peek() != Some(b' ') {
                        return None;
                    }
                    self.spaces();
                    let value = self.flow_value(depth)?;
                    if first_key(&entries, &mut index, key.key_text()?, key.span).is_some() {
                        return None;
                    }
                    entries.push((key, value));
                } else {
                    items.push(self.flow_value(depth)?);
                }
                self.spaces();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        self.spaces();
                        if self.peek() == Some(close) {
                            return None;
                        }
                    }
                    b if b == close => break,
                    _ => return None,
                }
            }
        }
        self.pos += 1;
        self.count()?;
        let kind = if open == b'{' { Kind::Map(entries) } else { Kind::Seq(items) };
        Some(Node { kind, span: self.span(start, self.pos) })
    }

    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    fn flow_value(&mut self, depth: usize) -> Option<Node<'f>> {
        match self.peek()? {
            b'{' | b'[' => self.flow(depth + 1),
            b'"' | b'\'' => self.quoted(),
            _ => self.plain(true),
        }
    }

    /// A quoted string on one line, without escapes (nor `''` in single quotes).
    fn quoted(&mut self) -> Option<Node<'f>> {
        let start = self.pos;
        let quote = self.peek()?;
        self.pos += 1;
        let from = self.pos;
        loop {
            match self.peek()? {
                b if b == quote => break,
                b'\\' if quote == b'"' => return None,
                b'\n' | b'\r' | b'\t' => return None,
                _ => self.pos += 1,
            }
        }
        let text = self.text.get(from..self.pos)?;
        self.pos += 1;
        if quote == b'\'' && self.peek() == Some(b'\'') {
            return None;
        }
        self.count()?;
        Some(Node { kind: Kind::Scalar { text: Cow::Borrowed(text), plain: false }, span: self.span(start, self.pos) })
    }

    /// A plain scalar of letters, digits, spaces and `_ . / + -` (and, outside flow
    /// collections, `:` not followed by a space); a leading `-` must be followed by
    /// a digit. It ends before trailing spaces, a comment, the line's end, and in a
    /// flow collection before `,` and its closing bracket.
    fn plain(&mut self, in_flow: bool) -> Option<Node<'f>> {
        let start = self.pos;
        match self.peek()? {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'/' | b'+' => {}
            b'-' if self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) => {}
            _ => return None,
        }
        let mut end = self.pos;
        loop {
            match self.peek() {
                Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'/' | b'+' | b'-') => {
                    self.pos += 1;
                    end = self.pos;
                }
                Some(b' ') => {
                    // The run of spaces is passed over at once: inside the scalar
                    // when something of it follows.
                    let after = self.bytes[self.pos..]
                        .iter()
                        .position(|&b| b != b' ')
                        .map_or(self.bytes.len(), |n| self.pos + n);
                    match self.bytes.get(after) {
                        None | Some(b'\n' | b'\r' | b'#') => break,
                        Some(b',' | b']' | b'}') if in_flow => break,
                        Some(_) => self.pos = after,
                    }
                }
                Some(b':') if !in_flow => {
                    if matches!(self.bytes.get(self.pos + 1), None | Some(b' ' | b'\n' | b'\r')) {
                        return None;
                    }
                    self.pos += 1;
                    end = self.pos;
                }
                Some(b',' | b']' | b'}') if in_flow => break,
                None | Some(b'\n' | b'\r') => break,
                _ => return None,
            }
        }
        self.pos = end;
        self.count()?;
        let text = self.text.get(start..end)?;
        Some(Node { kind: Kind::Scalar { text: Cow::Borrowed(text), plain: true }, span: self.span(start, end) })
    }
}
