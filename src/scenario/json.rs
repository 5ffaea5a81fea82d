//! Scenarios written in JSON: a file holds one scenario (an object) or a list of
//! them (an array); a JSON Lines file holds one scenario per line. The reader builds
//! the same tree of nodes with byte spans as YAML does, without recursion, and keeps
//! a number's text as written, so the schema decides its type and exactness.

mod typed;

pub use typed::Read;

use super::error::ScenarioError;
use super::tree::{first_key, Document, Kind, Node, Stopped, MAX_DEPTH, MAX_NODES};
use super::Syntax;
use crate::ast::Span;
use crate::program::Program;
use crate::source::{Note, SourceFile};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// Reads a `.json` file: one scenario, or an array of scenarios handed to `each` one
/// at a time. A syntax error stops the file, as in YAML; the scenarios it kept from
/// being read are counted by their `"scenario":` keys, as YAML's by their `---`.
pub fn parse<'f>(file: &'f SourceFile, mut each: impl FnMut(Document<'f>)) -> Option<Stopped> {
    let mut r = Reader::new(file, 0, file.text.len());
    r.skip_ws();
    let read = if r.peek() == Some(b'[') {
        r.pos += 1;
        r.documents(&mut each)
    } else {
        r.document().map(&mut each)
    };
    match read {
        Ok(()) => r.end("the end of the file").err().map(|error| Stopped { error, unread: 0 }),
        Err(error) => {
            let after = file.text.get(r.pos..).unwrap_or("");
            let following =
                after.match_indices("\"scenario\"").filter(|(i, m)| after[i + m.len()..].trim_start().starts_with(':'));
            Some(Stopped { error, unread: 1 + following.count() })
        }
    }
}

/// What reading one line of JSON Lines gave.
pub enum Line<'f> {
    /// A scenario read straight into its values (see [`Read`]).
    Typed(Box<Read>),
    /// The tree of a line that must be typed the full way (it may hold a problem).
    Tree(Document<'f>),
}

/// Reads a JSON Lines text: each line that is not blank is one scenario, read on its
/// own, so a bad line is that scenario's error and the next line is read. Given the
/// program, a line is read straight into its values where it can be, and as a tree
/// otherwise; without it, as a tree.
pub fn parse_lines<'f>(
    file: &'f SourceFile,
    range: Range<usize>,
    program: Option<&Program>,
    mut each: impl FnMut(Line<'f>),
) {
    let text = file.text.as_bytes();
    let mut start = range.start;
    let stop = range.end.min(text.len());
    // One reader for all the lines: its stacks are made once.
    let mut r = Reader::new(file, start, start);
    while start < stop {
        let end = crate::scan::find(&text[start..stop], b'\n').map_or(stop, |i| start + i);
        r.line(start, end);
        r.skip_ws();
        if r.pos < end {
            if let Some(read) = program.and_then(|p| r.typed_scenario(p)) {
                each(Line::Typed(Box::new(read)));
            } else {
                r.line(start, end);
                r.skip_ws();
                match r.document().and_then(|doc| r.end("the end of the line").map(|()| doc)) {
                    Ok(doc) => each(Line::Tree(doc)),
                    Err(e) => each(Line::Tree(Document { root: None, errors: vec![e] })),
                }
            }
        }
        start = end + 1;
    }
}

/// Reads a text that holds one JSON value (an input record, say), with its problems.
pub fn parse_value(file: &SourceFile) -> Result<Node<'_>, Vec<ScenarioError>> {
    let mut r = Reader::new(file, 0, file.text.len());
    r.skip_ws();
    let doc = r.document().map_err(|e| vec![e])?;
    r.end("the end of the text").map_err(|e| vec![e])?;
    match doc.root {
        Some(root) if doc.errors.is_empty() => Ok(root),
        _ => Err(doc.errors),
    }
}

/// The tree of a `serde_json::Value`, for typing as if it had been read from text.
/// Its spans are empty: problems are named by the path of the field.
pub fn node_of<'v>(value: &'v serde_json::Value, file: &SourceFile) -> Result<Node<'v>, ScenarioError> {
    node_at(value, file, 0)
}

fn node_at<'v>(value: &'v serde_json::Value, file: &SourceFile, depth: usize) -> Result<Node<'v>, ScenarioError> {
    use serde_json::Value as J;
    let span = Span::new(0, 0);
    let scalar = |text: Cow<'v, str>, plain: bool| Ok(Node { kind: Kind::Scalar { text, plain }, span });
    if depth >= MAX_DEPTH && matches!(value, J::Array(_) | J::Object(_)) {
        let help = Some("scenario input is never this deep".to_string());
        return Err(ScenarioError::Limit {
            what: "nesting depth".into(),
            limit: MAX_DEPTH,
            src: file.named(),
            span: (0, 0).into(),
            help,
        });
    }
    match value {
        J::Null => scalar(Cow::Borrowed("null"), true),
        J::Bool(b) => scalar(Cow::Borrowed(if *b { "true" } else { "false" }), true),
        // serde_json writes a number as it was read (an integer), or a float as the
        // shortest text that reads back to it: `0.1`, not 0.1000000000000000055...
        J::Number(n) => scalar(Cow::Owned(n.to_string()), true),
        J::String(t) => scalar(Cow::Borrowed(t), false),
        J::Array(items) => {
            let items = items.iter().map(|v| node_at(v, file, depth + 1)).collect::<Result<_, _>>()?;
            Ok(Node { kind: Kind::Seq(items), span })
        }
        J::Object(members) => {
            let mut entries = Vec::with_capacity(members.len());
            for (k, v) in members {
                let key = Node { kind: Kind::Scalar { text: Cow::Borrowed(k), plain: false }, span };
                entries.push((key, node_at(v, file, depth + 1)?));
            }
            Ok(Node { kind: Kind::Map(entries), span })
        }
    }
}

/// How a text looks: JSON Lines when its first two lines are each a whole object,
/// JSON when it starts with `{` or `[`, YAML otherwise.
pub fn sniff(text: &str) -> Syntax {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match lines.next() {
        Some(first) if first.starts_with('{') && first.ends_with('}') => {
            if lines.next().is_some_and(|l| l.starts_with('{')) {
                Syntax::JsonLines
            } else {
                Syntax::Json
            }
        }
        Some(first) if first.starts_with('{') || first.starts_with('[') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

/// An open container. Its members so far are on the reader's stacks from `first`
/// on: each container's own vector is made once, at its exact size, when it closes.
enum Frame<'f> {
    Map { start: usize, first: usize, key: Option<Node<'f>>, index: Option<HashMap<String, Span>> },
    Seq { start: usize, first: usize },
}

/// What reading the start of a value gave: a whole value, or an opened container.
enum Started<'f> {
    Value(Node<'f>),
    Opened,
}

struct Reader<'f> {
    file: &'f SourceFile,
    text: &'f [u8],
    pos: usize,
    /// Where this reader's text ends: the file's end, or a line's.
    end: usize,
    stack: Vec<Frame<'f>>,
    /// The members of the open mappings and the items of the open sequences.
    entries: Vec<(Node<'f>, Node<'f>)>,
    items: Vec<Node<'f>>,
    nodes: usize,
    /// Problems of the current document that do not stop it (duplicate keys).
    errors: Vec<ScenarioError>,
}

impl<'f> Reader<'f> {
    fn new(file: &'f SourceFile, pos: usize, end: usize) -> Self {
        let text = file.text.as_bytes();
        let (stack, entries, items, errors) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut r = Reader { file, text, pos, end, stack, entries, items, nodes: 0, errors };
        r.skip_bom();
        r
    }

    /// Moves the reader to a line of the text, from `start` to `end`.
    fn line(&mut self, start: usize, end: usize) {
        self.pos = start;
        self.end = end;
        self.skip_bom();
    }

    fn skip_bom(&mut self) {
        if self.text.get(self.pos..self.pos + 3) == Some(b"\xEF\xBB\xBF".as_slice()) {
            self.pos += 3;
        }
    }

    fn peek(&self) -> Option<u8> {
        if self.pos < self.end {
            self.text.get(self.pos).copied()
        } else {
            None
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn error(&self, message: &str, label: &str, at: usize, help: Option<&str>) -> ScenarioError {
        let len = usize::from(at < self.end);
        ScenarioError::Json {
            message: message.into(),
            src: self.file.named(),
            span: (at, len).into(),
            label: label.into(),
            help: help.map(str::to_string),
        }
    }

    /// What stands at the reader's position, for a message.
    fn found(&self) -> String {
        match self.peek() {
            None if self.end < self.text.len() => "the end of the line".into(),
            None => "the end of the text".into(),
            Some(_) => {
                let rest = &self.text[self.pos..(self.pos + 4).min(self.end)];
                format!("`{}`", String::from_utf8_lossy(rest).chars().next().unwrap_or(' '))
            }
        }
    }

    /// Nothing but blanks may follow the value.
    fn end(&mut self, what: &str) -> Result<(), ScenarioError> {
        self.skip_ws();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error(
                &format!("expected {what} after the value, found {}", self.found()),
                "unexpected text",
                self.pos,
                Some("a JSON file holds one value: a scenario, or an array of scenarios"),
            )),
        }
    }

    /// The elements of a top-level array, each a document of its own.
    fn documents(&mut self, each: &mut impl FnMut(Document<'f>)) -> Result<(), ScenarioError> {
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            let doc = self.document()?;
            each(doc);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        return Err(self.trailing_comma(']', comma));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.expected("`,` or `]`", "between scenarios")),
            }
        }
    }

    fn trailing_comma(&self, close: char, comma: usize) -> ScenarioError {
        self.error(
            &format!("a comma before `{close}`"),
            "nothing follows this comma",
            comma,
            Some("JSON allows no comma after the last item: remove it"),
        )
    }

    fn expected(&self, what: &str, context: &str) -> ScenarioError {
        self.error(&format!("expected {what} {context}, found {}", self.found()), "here", self.pos, None)
    }

    /// One scenario: a value read with fresh budgets. A value over a budget is
    /// passed over to its end, so the next scenario is still read.
    fn document(&mut self) -> Result<Document<'f>, ScenarioError> {
        self.nodes = 0;
        self.stack.clear();
        self.entries.clear();
        self.items.clear();
        match self.value() {
            Ok(Some(root)) => Ok(Document { root: Some(root), errors: std::mem::take(&mut self.errors) }),
            Ok(None) => {
                self.skip_rest()?;
                Ok(Document { root: None, errors: std::mem::take(&mut self.errors) })
            }
            Err(e) => {
                self.errors.clear();
                Err(e)
            }
        }
    }

    /// Reads one value; `None` when a limit stopped it (the error is recorded).
    fn value(&mut self) -> Result<Option<Node<'f>>, ScenarioError> {
        'value: loop {
            let mut node = match self.start_value()? {
                Some(Started::Value(node)) => node,
                Some(Started::Opened) => continue,
                None => return Ok(None),
            };
            loop {
                self.nodes += 1;
                if self.nodes > MAX_NODES {
                    self.limit("the number of JSON values in one scenario", MAX_NODES, node.span.start);
                    return Ok(None);
                }
                let Some(frame) = self.stack.last_mut() else {
                    return Ok(Some(node));
                };
                match frame {
                    Frame::Seq { .. } => self.items.push(node),
                    Frame::Map { first, key, index, .. } => {
                        let Some(k) = key.take() else {
                            return Ok(None);
                        };
                        let entries = self.entries.get(*first..).unwrap_or_default();
                        match k.key_text().and_then(|t| first_key(entries, index, t, k.span)) {
                            Some((name, first)) => self.errors.push(ScenarioError::DuplicateKey {
                                key: name,
                                src: self.file.named(),
                                span: k.span.into(),
                                related: vec![Note {
                                    message: "first occurrence".into(),
                                    src: self.file.named(),
                                    span: first.into(),
                                    label: "first".into(),
                                }],
                            }),
                            None => self.entries.push((k, node)),
                        }
                    }
                }
                self.skip_ws();
                let is_map = matches!(self.stack.last(), Some(Frame::Map { .. }));
                let close = if is_map { b'}' } else { b']' };
                match self.peek() {
                    Some(b',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_ws();
                        if self.peek() == Some(close) {
                            return Err(self.trailing_comma(char::from(close), comma));
                        }
                        if is_map {
                            self.key()?;
                        }
                        continue 'value;
                    }
                    Some(b) if b == close => {
                        self.pos += 1;
                        node = self.close();
                    }
                    _ if is_map => return Err(self.expected("`,` or `}`", "after a member")),
                    _ => return Err(self.expected("`,` or `]`", "after an item")),
                }
            }
        }
    }

    /// Pops the innermost container, ending at the reader's position.
    fn close(&mut self) -> Node<'f> {
        match self.stack.pop() {
            Some(Frame::Map { start, first, .. }) => {
                let entries = self.entries.drain(first.min(self.entries.len())..).collect();
                Node { kind: Kind::Map(entries), span: Span::new(start, self.pos) }
            }
            Some(Frame::Seq { start, first }) => {
                let items = self.items.drain(first.min(self.items.len())..).collect();
                Node { kind: Kind::Seq(items), span: Span::new(start, self.pos) }
            }
            None => Node { kind: Kind::Seq(Vec::new()), span: Span::new(self.pos, self.pos) },
        }
    }

    /// Reads a scalar whole, or opens a container (reading an object's first key).
    /// `None` when the nesting limit is reached.
    fn start_value(&mut self) -> Result<Option<Started<'f>>, ScenarioError> {
        self.skip_ws();
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Err(self.expected("a value", "here"));
        };
        match b {
            b'{' | b'[' => {
                if self.stack.len() >= MAX_DEPTH {
                    self.limit("nesting depth", MAX_DEPTH, start);
                    return Ok(None);
                }
                self.pos += 1;
                self.stack.push(if b == b'{' {
                    Frame::Map { start, first: self.entries.len(), key: None, index: None }
                } else {
                    Frame::Seq { start, first: self.items.len() }
                });
                self.skip_ws();
                let close = if b == b'{' { b'}' } else { b']' };
                if self.peek() == Some(close) {
                    self.pos += 1;
                    return Ok(Some(Started::Value(self.close())));
                }
                if b == b'{' {
                    self.key()?;
                }
                Ok(Some(Started::Opened))
            }
            b'"' => {
                let text = self.string()?;
                Ok(Some(Started::Value(Node {
                    kind: Kind::Scalar { text, plain: false },
                    span: Span::new(start, self.pos),
                })))
            }
            b't' | b'f' | b'n' => {
                for word in ["true", "false", "null"] {
                    if self.text[self.pos..self.end].starts_with(word.as_bytes()) {
                        self.pos += word.len();
                        let kind = Kind::Scalar { text: Cow::Borrowed(word), plain: true };
                        return Ok(Some(Started::Value(Node { kind, span: Span::new(start, self.pos) })));
                    }
                }
                Err(self.bad_value())
            }
            b'-' | b'0'..=b'9' => {
                let text = self.number()?;
                Ok(Some(Started::Value(Node {
                    kind: Kind::Scalar { text, plain: true },
                    span: Span::new(start, self.pos),
                })))
            }
            _ => Err(self.bad_value()),
        }
    }

    fn bad_value(&self) -> ScenarioError {
        let help = match self.peek() {
            Some(b'\'') => Some("JSON strings are written in double quotes"),
            Some(b'}' | b']') => Some("a value is missing here"),
            _ => Some("a JSON value is an object, an array, a string in double quotes, a number, true, false or null"),
        };
        self.error(&format!("expected a value, found {}", self.found()), "not a JSON value", self.pos, help)
    }

    /// Reads an object member's key and its colon, leaving the key in the frame.
    fn key(&mut self) -> Result<(), ScenarioError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() != Some(b'"') {
            let help = match self.peek() {
                Some(b'\'') => "JSON strings are written in double quotes",
                _ => "a key is a string in double quotes: `\"name\": value`",
            };
            return Err(self.error(
                &format!("expected a key, found {}", self.found()),
                "not a key",
                self.pos,
                Some(help),
            ));
        }
        let text = self.string()?;
        let node = Node { kind: Kind::Scalar { text, plain: false }, span: Span::new(start, self.pos) };
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.expected("`:`", "after a key"));
        }
        self.pos += 1;
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some(node);
        }
        Ok(())
    }

    /// A string literal's value; the reader stands on its opening quote.
    /// Borrowed from the text unless it has escapes.
    fn string(&mut self) -> Result<Cow<'f, str>, ScenarioError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        let mut escaped = false;
        loop {
            // To the next quote, backslash or control character at once.
            let rest = self.text.get(self.pos..self.end).unwrap_or(&[]);
            let Some(at) = crate::scan::json_special(rest) else {
                self.pos = self.end;
                return Err(self.error(
                    "a string is not closed",
                    "this string",
                    open,
                    Some("close the string with `\"` on the same line"),
                ));
            };
            self.pos += at;
            match rest[at] {
                b'"' if !escaped => {
                    let text = self.slice(run, self.pos);
                    self.pos += 1;
                    return Ok(Cow::Borrowed(text));
                }
                b'"' => {
                    out.push_str(self.slice(run, self.pos));
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    escaped = true;
                    out.push_str(self.slice(run, self.pos));
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                _ => {
                    return Err(self.error(
                        "a control character in a string",
                        "here",
                        self.pos,
                        Some("write a line break as `\\n` and a tab as `\\t`"),
                    ))
                }
            }
        }
    }

    fn slice(&self, from: usize, to: usize) -> &'f str {
        // Both ends lie next to an ASCII byte of the text, so on character
        // boundaries: slicing checks only that, not the bytes between.
        let text: &'f str = &self.file.text;
        text.get(from..to).unwrap_or("")
    }

    /// Reads one escape sequence, the reader standing on its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), ScenarioError> {
        let at = self.pos;
        self.pos += 1;
        let simple = match self.peek() {
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            self.pos += 1;
            return Ok(());
        }
        let bad = |r: &Self| {
            r.error(
                "an invalid escape sequence",
                "here",
                at,
                Some("JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"),
            )
        };
        if self.peek() != Some(b'u') {
            return Err(bad(self));
        }
        self.pos += 1;
        let first = self.hex4().ok_or_else(|| bad(self))?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if self.text.get(self.pos..self.pos + 2) != Some(b"\\u".as_slice()) {
                return Err(bad(self));
            }
            self.pos += 2;
            let second = self.hex4().filter(|s| (0xDC00..0xE000).contains(s)).ok_or_else(|| bad(self))?;
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        out.push(char::from_u32(code).ok_or_else(|| bad(self))?);
        Ok(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4).filter(|_| self.pos + 4 <= self.end)?;
        let value = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        self.pos += 4;
        Some(value)
    }

    /// A number's text as written, checked against JSON's grammar.
    fn number(&mut self) -> Result<Cow<'f, str>, ScenarioError> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while let Some(b'0'..=b'9') = r.peek() {
                r.pos += 1;
            }
            r.pos - from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = digits(self);
        let bad = |r: &Self, help: &str| r.error("an invalid number", "here", start, Some(help));
        if n == 0 {
            return Err(bad(self, "a number starts with a digit"));
        }
        if n > 1 && self.text[int_start] == b'0' {
            return Err(bad(self, "write the number without leading zeros"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(bad(self, "a decimal point is followed by digits"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(bad(self, "an exponent is followed by digits"));
            }
        }
        Ok(Cow::Borrowed(self.slice(start, self.pos)))
    }

    fn limit(&mut self, what: &str, limit: usize, at: usize) {
        let help = match what {
            "nesting depth" => "scenario input is never this deep",
            _ => "a scenario this large is not a scenario",
        };
        self.errors.push(ScenarioError::Limit {
            what: what.into(),
            limit,
            src: self.file.named(),
            span: (at, 1).into(),
            help: Some(help.into()),
        });
    }

    /// Passes over the rest of a scenario stopped by a limit: to the bracket that
    /// closes its outermost container, minding strings.
    fn skip_rest(&mut self) -> Result<(), ScenarioError> {
        let mut depth = self.stack.len();
        self.stack.clear();
        self.entries.clear();
        self.items.clear();
        if depth == 0 {
            return Ok(());
        }
        let mut in_string = false;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match (in_string, b) {
                (true, b'\\') => self.pos += 1,
                (true, b'"') => in_string = false,
                (true, _) => {}
                (false, b'"') => in_string = true,
                (false, b'{' | b'[') => depth += 1,
                (false, b'}' | b']') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.error("the text ends inside a value", "here", self.pos, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(file: &SourceFile) -> (Vec<Document<'_>>, Option<Stopped>) {
        let mut docs = Vec::new();
        let stopped = parse(file, |d| docs.push(d));
        (docs, stopped)
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.json", text)
    }

    fn scalar<'a>(node: &'a Node<'a>) -> (&'a str, bool) {
        match &node.kind {
            Kind::Scalar { text, plain } => (text, *plain),
            _ => ("", false),
        }
    }

    #[test]
    fn values_keep_their_text_and_spans() {
        let source = file(r#"{"a": 12.50, "b": "x\u00e9\n", "c": [true, null], "d": {}}"#);
        let (docs, stopped) = read(&source);
        assert!(stopped.is_none());
        let Some(Node { kind: Kind::Map(entries), span }) = &docs[0].root else { panic!("no map") };
        assert_eq!((span.start, span.end), (0, 58));
        assert_eq!(scalar(&entries[0].1), ("12.50", true));
        assert_eq!(scalar(&entries[1].1), ("xé\n", false));
        assert_eq!((entries[1].0.span.start, entries[1].0.span.end), (13, 16));
        assert!(matches!(&entries[2].1.kind, Kind::Seq(items) if items.len() == 2));
    }

    #[test]
    fn an_array_is_one_document_per_item() {
        let source = file("[{\"a\": 1}, {\"a\": 2}]");
        let (docs, stopped) = read(&source);
        assert!(stopped.is_none());
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        for (text, message) in [
            ("{\"a\": 1,}", "a comma before `}`"),
            ("{'a': 1}", "expected a key, found `'`"),
            ("{\"a\" 1}", "expected `:` after a key, found `1`"),
            ("[1 2]", "expected `,` or `]` between scenarios, found `2`"),
            ("{\"a\": 01}", "an invalid number"),
            ("{\"a\": \"x}", "a string is not closed"),
            ("{\"a\": tru}", "expected a value, found `t`"),
            ("{} {}", "expected the end of the file after the value, found `{`"),
        ] {
            let source = file(text);
            let (_, stopped) = read(&source);
            let message_of = stopped.map(|s| s.error.to_string()).unwrap_or_default();
            assert!(message_of.ends_with(message), "{text}: {message_of}");
        }
    }

    #[test]
    fn a_document_over_the_depth_limit_is_passed_over() {
        let deep = format!("[{}{}, {{\"ok\": 1}}]", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        let source = file(&deep);
        let (docs, stopped) = read(&source);
        assert!(stopped.is_none());
        assert_eq!(docs.len(), 2);
        assert!(docs[0].root.is_none() && docs[0].errors.len() == 1);
        assert!(docs[1].root.is_some());
    }

    #[test]
    fn lines_are_read_each_on_its_own() {
        let file = SourceFile::new("t.jsonl", "{\"a\": 1}\n\n{\"a\": \n{\"a\": 3}\r\n");
        let mut docs = Vec::new();
        parse_lines(&file, 0..file.text.len(), None, |line| {
            if let Line::Tree(d) = line {
                docs.push(d);
            }
        });
        assert_eq!(docs.len(), 3);
        assert!(docs[0].root.is_some() && docs[1].root.is_none() && docs[2].root.is_some());
    }

    #[test]
    fn sniffing_tells_the_three_apart() {
        assert_eq!(sniff("{\"a\": 1}\n{\"a\": 2}\n"), Syntax::JsonLines);
        assert_eq!(sniff("{\n  \"a\": 1\n}\n"), Syntax::Json);
        assert_eq!(sniff("[{\"a\": 1}]"), Syntax::Json);
        assert_eq!(sniff("scenario: x\n"), Syntax::Yaml);
    }
}
