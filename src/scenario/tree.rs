//! A scenario document as a tree of nodes with byte spans, whichever syntax it was
//! written in (YAML, JSON): the typing of scenarios reads only this.

use super::error::ScenarioError;
use crate::ast::Span;
use std::borrow::Cow;
use std::collections::HashMap;

/// The deepest nesting of mappings and sequences a scenario may have.
pub const MAX_DEPTH: usize = 64;
/// The most nodes one document may hold, aliases counted as often as they are used.
/// Documents are independent: a file of many small scenarios is normal.
pub const MAX_NODES: usize = 200_000;
/// A mapping with more keys than this finds duplicates through a hash map.
const SCANNED_KEYS: usize = 16;

/// A node of a document; its text is borrowed from the source where it can be.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub kind: Kind<'a>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Kind<'a> {
    /// `plain` is false for quoted and block scalars.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Map(Vec<(Node<'a>, Node<'a>)>),
    Seq(Vec<Node<'a>>),
}

impl Node<'_> {
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Scalar { text, plain: true } if is_null(text) => "nothing (null)".into(),
            Kind::Scalar { text, plain: true } => format!("`{}`", text.escape_debug()),
            Kind::Scalar { text, plain: false } => format!("the string `\"{}\"`", text.escape_debug()),
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

/// A node as plain JSON data: a plain scalar that reads as a number, a boolean or
/// null is one, any other scalar is text.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as Json;
    match &node.kind {
        Kind::Scalar { text, plain: true } if is_null(text) => Json::Null,
        Kind::Scalar { text, plain: true } if text == "true" || text == "false" => Json::Bool(text == "true"),
        Kind::Scalar { text, plain: true } => match text.parse::<serde_json::Number>() {
            Ok(n) if text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+')) => {
                Json::Number(n)
            }
            _ => Json::String(text.to_string()),
        },
        Kind::Scalar { text, .. } => Json::String(text.to_string()),
        Kind::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => {
            Json::Object(entries.iter().map(|(k, v)| (k.key_text().unwrap_or("").to_string(), to_json(v))).collect())
        }
    }
}

pub fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// One document (a YAML document, a JSON scenario): its tree, or `None` when a limit stopped it (the error says
/// which), with the problems found inside it (duplicate keys, limits).
pub struct Document<'a> {
    pub root: Option<Node<'a>>,
    pub errors: Vec<ScenarioError>,
}

/// Where the parser stopped before the end of the file, and what it left unread.
pub struct Stopped {
    pub error: ScenarioError,
    /// The document being read when it stopped and those after it, counted by
    /// their `---` lines
    /// (in YAML) or as one for the rest of a JSON file.
    pub unread: usize,
}

/// The earlier key spelt `text` in a mapping, with its place; records `text` as seen
/// otherwise. Small mappings are scanned; large ones keep a hash map, so a mapping
/// of n keys costs O(n), not O(n²).
pub(super) fn first_key(
    entries: &[(Node<'_>, Node<'_>)],
    index: &mut Option<HashMap<String, Span>>,
    text: &str,
    span: Span,
) -> Option<(String, Span)> {
    if index.is_none() && entries.len() >= SCANNED_KEYS {
        let built = entries.iter().filter_map(|(k, _)| k.key_text().map(|t| (t.to_string(), k.span))).collect();
        *index = Some(built);
    }
    match index {
        Some(seen) => match seen.get(text) {
            Some(first) => Some((text.to_string(), *first)),
            None => {
                seen.insert(text.to_string(), span);
                None
            }
        },
        None => entries.iter().find(|(e, _)| e.key_text() == Some(text)).map(|(e, _)| (text.to_string(), e.span)),
    }
}
