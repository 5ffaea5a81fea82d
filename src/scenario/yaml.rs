//! A YAML document as a tree of nodes with byte spans, built from the parser's
//! events without recursion. Scalars keep their raw text and style: the schema, not
//! YAML's own inference, decides their type.

use super::error::ScenarioError;
use crate::ast::Span;
use crate::check::Note;
use crate::source::SourceFile;
use granit_parser::{Event, Marker, Parser, ScalarStyle};

/// The deepest nesting of mappings and sequences a scenario may have.
pub const MAX_DEPTH: usize = 64;
/// The most nodes one file may hold, aliases counted as often as they are used.
pub const MAX_NODES: usize = 200_000;

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Kind {
    /// `plain` is false for quoted and block scalars.
    Scalar {
        text: String,
        plain: bool,
    },
    Map(Vec<(Node, Node)>),
    Seq(Vec<Node>),
}

impl Node {
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Scalar { text, plain: true } if is_null(text) => "nothing (null)".into(),
            Kind::Scalar { text, .. } => format!("`{}`", text.escape_debug()),
            Kind::Map(_) => "a mapping".into(),
            Kind::Seq(_) => "a list".into(),
        }
    }

    pub fn key_text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }
}

pub fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

enum Frame {
    Map { start: Span, anchor: usize, entries: Vec<(Node, Node)>, key: Option<Node> },
    Seq { start: Span, anchor: usize, items: Vec<Node> },
}

/// Documents parsed before the first syntax error are kept; the error follows them.
pub struct Parsed {
    pub documents: Vec<Node>,
    /// Problems inside a complete document (duplicate keys), by document index.
    pub document_errors: Vec<(usize, ScenarioError)>,
    /// Problems that stop the file: syntax, limits.
    pub errors: Vec<ScenarioError>,
}

pub fn parse(file: &SourceFile) -> Parsed {
    let text: &str = &file.text;
    let mut b = Builder {
        file,
        documents: Vec::new(),
        document_errors: Vec::new(),
        errors: Vec::new(),
        stack: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        match event {
            Ok((event, span)) => {
                let span = b.span(span.start, span.end);
                if !b.event(event, span) {
                    break;
                }
            }
            Err(e) => {
                let at = b.offset(e.marker());
                let message = e.to_string();
                let message = message.split(" at ").next().unwrap_or(&message).trim().to_string();
                b.errors.push(ScenarioError::Yaml { message, src: file.named(), span: (at, 0).into() });
                break;
            }
        }
    }
    Parsed { documents: b.documents, document_errors: b.document_errors, errors: b.errors }
}

struct Builder<'f> {
    file: &'f SourceFile,
    documents: Vec<Node>,
    document_errors: Vec<(usize, ScenarioError)>,
    errors: Vec<ScenarioError>,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, with their node counts.
    anchors: Vec<Option<(Node, usize)>>,
    nodes: usize,
    root: Option<Node>,
}

impl Builder<'_> {
    fn offset(&self, m: &Marker) -> usize {
        m.byte_offset()
            .unwrap_or_else(|| self.file.text.char_indices().nth(m.index()).map_or(self.file.text.len(), |(b, _)| b))
    }

    fn span(&self, start: Marker, end: Marker) -> Span {
        Span::new(self.offset(&start), self.offset(&end))
    }

    fn limit(&mut self, what: &str, limit: usize, span: Span, help: &str) -> bool {
        self.errors.push(ScenarioError::Limit {
            what: what.into(),
            limit,
            src: self.file.named(),
            span: (span.start, 1).into(),
            help: Some(help.into()),
        });
        false
    }

    /// Handles one event; false stops the parse.
    fn event(&mut self, event: Event<'_>, span: Span) -> bool {
        match event {
            Event::DocumentStart(..) => {
                self.anchors.clear();
                self.root = None;
                true
            }
            Event::DocumentEnd => {
                if let Some(root) = self.root.take() {
                    self.documents.push(root);
                }
                true
            }
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == ScalarStyle::Plain;
                let node = Node { kind: Kind::Scalar { text: text.into_owned(), plain }, span };
                self.finish(node, anchor, 1)
            }
            Event::Alias(id) => match self.anchors.get(id).and_then(Option::as_ref).map(|(_, c)| *c) {
                Some(count) if self.nodes.saturating_add(count) > MAX_NODES => self.limit(
                    "the number of YAML nodes",
                    MAX_NODES,
                    span,
                    "each use of an alias counts all the nodes it repeats",
                ),
                Some(count) => {
                    let Some(Some((mut node, _))) = self.anchors.get(id).cloned() else {
                        return false;
                    };
                    node.span = span;
                    self.finish(node, 0, count)
                }
                None => {
                    self.errors.push(ScenarioError::Yaml {
                        message: "unknown alias".into(),
                        src: self.file.named(),
                        span: span.into(),
                    });
                    false
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
                    Frame::Map { start: span, anchor, entries: Vec::new(), key: None }
                } else {
                    Frame::Seq { start: span, anchor, items: Vec::new() }
                };
                self.stack.push(frame);
                true
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.stack.pop() else {
                    return true;
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
            _ => true,
        }
    }

    /// Attaches a finished node to its parent; `added` is how many nodes it adds.
    fn finish(&mut self, node: Node, anchor: usize, added: usize) -> bool {
        self.nodes = self.nodes.saturating_add(added);
        if self.nodes > MAX_NODES {
            let span = node.span;
            return self.limit(
                "the number of YAML nodes",
                MAX_NODES,
                span,
                "aliases count once per use; a file this large is not a scenario file",
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
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let duplicate = k.key_text().and_then(|t| {
                        entries.iter().find(|(e, _)| e.key_text() == Some(t)).map(|(e, _)| (t.to_string(), e.span))
                    });
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
                            self.document_errors.push((self.documents.len(), e));
                        }
                        None => entries.push((k, node)),
                    }
                }
            },
        }
        true
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
