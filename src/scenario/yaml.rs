//! A YAML document as a tree of nodes with byte spans, built from the parser's
//! events without recursion. Scalars keep their raw text and style: the schema, not
//! YAML's own inference, decides their type.

mod subset;

use super::error::ScenarioError;
use super::tree::{first_key, Document, Kind, Node, Stopped, MAX_DEPTH, MAX_NODES};
use crate::ast::Span;
use crate::source::{Note, SourceFile};
use granit_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::HashMap;
use std::ops::Range;

enum Frame<'a> {
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<(Node<'a>, Node<'a>)>,
        key: Option<Node<'a>>,
        index: Option<HashMap<String, Span>>,
        /// The key read is a merge key, already reported: its value is dropped.
        merging: bool,
    },
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node<'a>>,
    },
}

/// Parses `file` one document at a time, handing each to `each` as soon as it is
/// complete, so that no more than one document's tree is held. Returns the syntax
/// error that stopped it, if one did.
///
/// Only the documents in `range` are read (whole documents: a stretch cut at `---`
/// lines); the scenarios a syntax error keeps from being read are counted to the end
/// of the file.
pub fn parse<'f>(file: &'f SourceFile, range: Range<usize>, each: impl FnMut(Document<'f>)) -> Option<Stopped> {
    let text: &str = file.text.get(range.clone()).unwrap_or("");
    if let Some(documents) = subset::documents(text, range.start) {
        documents.into_iter().for_each(each);
        return None;
    }
    parse_fully(file, range, each)
}

/// [`parse`] by the full YAML parser.
fn parse_fully<'f>(file: &'f SourceFile, range: Range<usize>, mut each: impl FnMut(Document<'f>)) -> Option<Stopped> {
    let text: &str = file.text.get(range.clone()).unwrap_or("");
    let mut b = Builder {
        file,
        text,
        base: range.start,
        errors: Vec::new(),
        stack: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        root: None,
        skipping: false,
    };
    let mut in_document = false;
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        match event {
            Ok((event, span)) => {
                let span = b.span(span.start, span.end);
                match event {
                    Event::DocumentStart(..) => {
                        b.start_document();
                        in_document = true;
                    }
                    Event::DocumentEnd => {
                        in_document = false;
                        let root = if b.skipping { None } else { b.root.take() };
                        if root.is_some() || !b.errors.is_empty() {
                            each(Document { root, errors: std::mem::take(&mut b.errors) });
                        }
                    }
                    event if !b.skipping => b.event(event, span),
                    _ => {}
                }
            }
            Err(e) => {
                let at = b.offset(e.marker());
                let message = e.to_string();
                let message = message.split(" at ").next().unwrap_or(&message).trim().to_string();
                // A document stopped by a limit before the syntax error is reported
                // with its own errors; otherwise it counts as not read.
                let reported = in_document && !b.errors.is_empty();
                if reported {
                    each(Document { root: None, errors: std::mem::take(&mut b.errors) });
                }
                let after = file.text.get(at..).unwrap_or("");
                let following = after.lines().skip(1).filter(|l| l.starts_with("---")).count();
                let unread = usize::from(in_document && !reported) + following;
                let help = match (unread, following) {
                    (0, _) => None,
                    (_, 0) => Some("YAML cannot be read past a syntax error: this scenario was not read".to_string()),
                    (n, f) if n == f => Some(format!(
                        "YAML cannot be read past a syntax error: the {f} scenarios after it were not read"
                    )),
                    (_, f) => Some(format!(
                        "YAML cannot be read past a syntax error: this scenario and the {f} after it were not read"
                    )),
                };
                let error = ScenarioError::Yaml { message, src: file.named(), span: (at, 0).into(), help };
                return Some(Stopped { error, unread });
            }
        }
    }
    None
}

struct Builder<'f> {
    file: &'f SourceFile,
    /// The part of the file being read, and where it starts in the file.
    text: &'f str,
    base: usize,
    /// Problems of the current document.
    errors: Vec<ScenarioError>,
    stack: Vec<Frame<'f>>,
    /// Anchored nodes by anchor id, with their node counts.
    anchors: Vec<Option<(Node<'f>, usize)>>,
    /// Nodes of the current document.
    nodes: usize,
    root: Option<Node<'f>>,
    /// A limit stopped the current document: its events are passed over.
    skipping: bool,
}

impl<'f> Builder<'f> {
    fn offset(&self, m: &Marker) -> usize {
        let local = m
            .byte_offset()
            .unwrap_or_else(|| self.text.char_indices().nth(m.index()).map_or(self.text.len(), |(b, _)| b));
        self.base + local
    }

    fn span(&self, start: Marker, end: Marker) -> Span {
        Span::new(self.offset(&start), self.offset(&end))
    }

    fn start_document(&mut self) {
        self.anchors.clear();
        self.stack.clear();
        self.root = None;
        self.nodes = 0;
        self.skipping = false;
    }

    /// Records a limit reached in the current document, whose remaining events are
    /// then passed over; the next document starts afresh.
    fn limit(&mut self, what: &str, limit: usize, span: Span, help: &str) {
        self.errors.push(ScenarioError::Limit {
            what: what.into(),
            limit,
            src: self.file.named(),
            span: (span.start, 1).into(),
            help: Some(help.into()),
        });
        self.skipping = true;
        self.stack.clear();
        self.anchors.clear();
    }

    /// Handles one event inside a document.
    fn event(&mut self, event: Event<'f>, span: Span) {
        match event {
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                let node = Node { kind: Kind::Scalar { text, plain }, span };
                self.finish(node, anchor, 1)
            }
            Event::Alias(id) => match self.anchors.get(id).and_then(Option::as_ref).map(|(_, c)| *c) {
                Some(count) if self.nodes.saturating_add(count) > MAX_NODES => self.limit(
                    "the number of YAML nodes in one scenario",
                    MAX_NODES,
                    span,
                    "each use of an alias counts all the nodes it repeats",
                ),
                Some(count) => {
                    if let Some(Some((mut node, _))) = self.anchors.get(id).cloned() {
                        node.span = span;
                        self.finish(node, 0, count);
                    }
                }
                None => {
                    self.errors.push(ScenarioError::Yaml {
                        message: "unknown alias".into(),
                        src: self.file.named(),
                        span: span.into(),
                        help: Some("an alias (`*name`) refers to an anchor (`&name`) earlier in its scenario".into()),
                    });
                    self.skipping = true;
                }
            },
            Event::MappingStart(_, anchor, _) | Event::SequenceStart(_, anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return self.limit(
                        "nesting depth",
                        MAX_DEPTH,
                        span,
                        "scenario input is never this deep; check the indentation",
                    );
                }
                let frame = if matches!(event, Event::MappingStart(..)) {
                    Frame::Map { start: span, anchor, entries: Vec::new(), key: None, index: None, merging: false }
                } else {
                    Frame::Seq { start: span, anchor, items: Vec::new() }
                };
                self.stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.stack.pop() else {
                    return;
                };
                let (node, anchor) = match frame {
                    Frame::Map { start, anchor, entries, .. } => {
                        (Node { kind: Kind::Map(entries), span: start.to(span) }, anchor)
                    }
                    Frame::Seq { start, anchor, items } => {
                        (Node { kind: Kind::Seq(items), span: start.to(span) }, anchor)
                    }
                };
                self.finish(node, anchor, 1)
            }
            _ => {}
        }
    }

    /// Attaches a finished node to its parent; `added` is how many nodes it adds.
    fn finish(&mut self, node: Node<'f>, anchor: usize, added: usize) {
        self.nodes = self.nodes.saturating_add(added);
        if self.nodes > MAX_NODES {
            let span = node.span;
            return self.limit(
                "the number of YAML nodes in one scenario",
                MAX_NODES,
                span,
                "aliases count once per use; a scenario this large is not a scenario",
            );
        }
        if anchor > 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            let count = count_nodes(&node);
            if let Some(slot) = self.anchors.get_mut(anchor) {
                *slot = Some((node.clone(), count));
            }
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, index, merging, .. }) => match key.take() {
                None if matches!(&node.kind, Kind::Scalar { text, plain: true } if text == "<<") => {
                    self.errors.push(ScenarioError::MergeKey { src: self.file.named(), span: node.span.into() });
                    *merging = true;
                    *key = Some(node);
                }
                None => *key = Some(node),
                Some(_) if *merging => *merging = false,
                Some(k) => {
                    let duplicate = k.key_text().and_then(|t| first_key(entries, index, t, k.span));
                    match duplicate {
                        Some((name, first)) => {
                            let related = vec![Note {
                                message: "first occurrence".into(),
                                src: self.file.named(),
                                span: first.into(),
                                label: "first".into(),
                            }];
                            let e = ScenarioError::DuplicateKey {
                                key: name,
                                src: self.file.named(),
                                span: k.span.into(),
                                related,
                            };
                            self.errors.push(e);
                        }
                        None => entries.push((k, node)),
                    }
                }
            },
        }
    }
}

/// Nodes in a tree, counted with an explicit stack (trees are at most MAX_DEPTH deep,
/// but aliases make them wide).
fn count_nodes(root: &Node) -> usize {
    let mut count = 0usize;
    let mut todo = vec![root];
    while let Some(n) = todo.pop() {
        count += 1;
        match &n.kind {
            Kind::Scalar { .. } => {}
            Kind::Map(entries) => entries.iter().for_each(|(k, v)| {
                todo.push(k);
                todo.push(v);
            }),
            Kind::Seq(items) => todo.extend(items.iter()),
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree with its spans, for comparing two readings.
    fn shape(node: &Node) -> String {
        match &node.kind {
            Kind::Scalar { text, plain } => format!("{text:?}/{plain}@{:?}", node.span),
            Kind::Map(entries) => {
                let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{}: {}", shape(k), shape(v))).collect();
                format!("{{{}}}@{:?}", inner.join(", "), node.span)
            }
            Kind::Seq(items) => format!("[{}]@{:?}", items.iter().map(shape).collect::<Vec<_>>().join(", "), node.span),
        }
    }

    /// A file's documents read by the subset (when it takes them) and by the full
    /// parser, each as its tree's text; a document the full parser finds wrong, or a
    /// syntax error that stops it, is marked.
    fn both_ways(file: &SourceFile) -> (Option<Vec<String>>, Vec<String>) {
        let range = 0..file.text.len();
        let subset = subset::documents(&file.text, 0)
            .map(|docs| docs.iter().map(|d| d.root.as_ref().map(shape).unwrap_or_default()).collect());
        let mut full = Vec::new();
        let stopped = parse_fully(file, range, |d| {
            full.push(if d.errors.is_empty() { d.root.as_ref().map(shape).unwrap_or_default() } else { "error".into() })
        });
        if stopped.is_some() {
            full.push("stopped".into());
        }
        (subset, full)
    }

    /// Every example file the subset reads gives the same trees, spans included, as
    /// the full parser; and it reads most of them.
    #[test]
    fn the_subset_reads_the_examples_as_the_full_parser_does() {
        let mut files = Vec::new();
        crate::scenario::tests::yaml_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
            &mut files,
        );
        let (mut read, mut all) = (0, 0);
        for path in files {
            let file = SourceFile::new(path.display().to_string(), std::fs::read_to_string(&path).unwrap_or_default());
            all += 1;
            let (subset, full) = both_ways(&file);
            if let Some(subset) = subset {
                read += 1;
                assert_eq!(subset, full, "{}", file.name);
            }
        }
        assert!(all > 20 && read * 10 >= all * 8, "{read} of {all} files read by the subset");
    }

    /// Lines that look alike but are not in the subset, or mean something else in
    /// YAML, are left to the full parser; those in it read alike.
    #[test]
    fn the_subset_leaves_what_it_does_not_know_to_the_full_parser() {
        let outside = [
            "a: b: c\n",
            "a: [1,\n  2]\n",
            "a:\n- 1\n",
            "a:\n  - b: 1\n",
            "a:\n  - 1\n  b: 2\n",
            "a: |\n  text\n",
            "a: \"x\\ny\"\n",
            "a: 'it''s'\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "a:\tb\n",
            "a: x\n  y\n",
            "a:\nb: 1\n",
            "%YAML 1.2\n---\na: 1\n",
            "--- 12\n",
            "a: x#y\n",
            "a: 50%\n",
            "\"a\": 1\n",
            "a: {b:1}\n",
            "a: [b , c]x\n",
            "  a: 1\n",
            "a:\n    b: 1\n  c: 2\n",
            "...\n",
            "a: 1\n---\n---\nb: 1\n",
            "a: 1\n---\n# only a comment\n",
        ];
        for text in outside {
            let file = SourceFile::new("t.yaml", text);
            assert!(subset::documents(&file.text, 0).is_none(), "{text:?} was read by the subset");
        }
        let inside = [
            "a: 1\n",
            "# c\na: x y  # note\nb:\n  c: { d: [1, -2, e f], g: 'h' }\n\n  i: \"j # k\"\n---\nl: 2021-01-01T10:00\n",
            "a:\n  b:\n    c: 1\n  d: 2\ne: 3",
            "a: []\nb: {}\nc: [ {d: 1} ]\r\n",
            "a: {b: 1}\n",
            "a:\n  b:\n    - { c: 1 }\n    - 2  # two\n\n    - 'x'\n  d:\n    - 1\ne: [f]\n",
        ];
        for text in inside {
            let file = SourceFile::new("t.yaml", text);
            let (subset, full) = both_ways(&file);
            assert_eq!(subset.as_ref(), Some(&full), "{text:?}");
        }
    }

    /// Documents put together at random from pieces that are in the subset and
    /// pieces that look alike but are not: whatever the subset reads, it reads as
    /// the full parser does.
    #[test]
    fn generated_documents_read_alike_or_are_left_to_the_full_parser() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let keys = ["a", "b_c", "d-e", "f1", "null", "x"];
        let scalars = [
            "1",
            "-2",
            "3.5",
            "+4",
            "x y",
            "x  y",
            "a:b",
            "2021-01-01",
            "true",
            "null",
            "'q'",
            "\"q r\"",
            "\"a # b\"",
            "[]",
            "{}",
            "[1, 2]",
            "[ a , b ]",
            "{ k: v }",
            "{ k: [1, {m: n}] }",
            "[a b, 'c', \"d\"]",
            "\"\"",
            "''",
            "é",
            "x/y.z",
            "-1.5",
        ];
        let odd = [
            "~",
            "'it''s'",
            "\"e\\\"\"",
            "x#c",
            "a: b",
            "-",
            "- x",
            "&a x",
            "*a",
            "!t x",
            "|",
            ">",
            "%x",
            "@x",
            "`x`",
            "[1,2]",
            "{k: v}",
            "[a, ]",
            "{ k: v, }",
            "x:",
            "[a",
            "{ k: v",
            "x, y",
        ];
        let gaps = ["", " ", "  # comment", "\t", "#c"];
        let (mut read, mut tried) = (0, 0);
        for _ in 0..6000 {
            let mut text = String::new();
            let mut indent = 0usize;
            for line in 0..1 + next(8) {
                match next(10) {
                    0 if line > 0 => text.push_str("---\n"),
                    1 => text.push_str("# note\n"),
                    2 => text.push('\n'),
                    _ => {}
                }
                // Mostly a key of its own; now and then one used before.
                let key = if next(8) == 0 { keys[next(keys.len())].to_string() } else { format!("k{line}") };
                let pad = " ".repeat(indent);
                if next(4) == 0 && indent < 6 {
                    text.push_str(&format!("{pad}{key}:{}\n", gaps[next(3)]));
                    indent += 2 + next(2);
                    if next(3) == 0 {
                        let inner = " ".repeat(indent);
                        for _ in 0..1 + next(3) {
                            let item = if next(5) == 0 { odd[next(odd.len())] } else { scalars[next(scalars.len())] };
                            text.push_str(&format!("{inner}- {item}\n"));
                        }
                        indent -= 2;
                    }
                } else {
                    let value = if next(5) == 0 { odd[next(odd.len())] } else { scalars[next(scalars.len())] };
                    let end = if next(6) == 0 { "\r\n" } else { "\n" };
                    let gap = if next(4) == 0 { gaps[next(gaps.len())] } else { "" };
                    text.push_str(&format!("{pad}{key}: {value}{gap}{end}"));
                    if next(3) == 0 {
                        indent = indent.saturating_sub(2 * next(3));
                    }
                }
            }
            tried += 1;
            let file = SourceFile::new("t.yaml", text.clone());
            let (subset, full) = both_ways(&file);
            if let Some(subset) = subset {
                read += 1;
                assert_eq!(subset, full, "{text:?}");
            }
        }
        assert!(read * 5 > tried, "{read} of {tried} read by the subset");
    }
}
