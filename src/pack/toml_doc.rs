//! A parsed TOML file as an owned tree with spans, and the checked accessors every
//! pack file uses.

use super::error::PackError;
use crate::source::{did_you_mean, SourceFile, Src};
use std::ops::Range;
use toml::de::{DeTable, DeValue};

#[derive(Debug, Clone)]
pub struct Node {
    pub value: TomlValue,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum TomlValue {
    Str(String),
    /// The integer, or `None` when it does not fit 64 bits.
    Int(Option<i64>),
    /// A float's source text, kept so decimals stay exact.
    Float(String),
    Bool(bool),
    Datetime(toml::value::Datetime),
    Array(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

impl TomlValue {
    pub fn kind(&self) -> &'static str {
        match self {
            TomlValue::Str(_) => "a string",
            TomlValue::Int(_) => "an integer",
            TomlValue::Float(_) => "a float",
            TomlValue::Bool(_) => "a boolean",
            TomlValue::Datetime(_) => "a date",
            TomlValue::Array(_) => "an array",
            TomlValue::Table(_) => "a table",
        }
    }
}

pub type Table = Vec<(Key, Node)>;

pub struct TomlDoc {
    pub file: SourceFile,
    pub root: Table,
}

impl TomlDoc {
    /// Parses a TOML file, reporting every syntax error the parser recovers from.
    pub fn parse(file: SourceFile, errors: &mut Vec<PackError>) -> Option<TomlDoc> {
        let root = {
            let text: &str = &file.text;
            let (root, errs) = DeTable::parse_recoverable(text);
            if !errs.is_empty() {
                let mut errs: Vec<_> = errs.into_iter().collect();
                errs.sort_by_key(|e| e.span().map(|s| s.start).unwrap_or(0));
                for e in errs {
                    let span = e.span().unwrap_or(0..0);
                    errors.push(PackError::Toml {
                        message: e.message().trim().to_string(),
                        src: file.named(),
                        span: range(span),
                    });
                }
                return None;
            }
            convert_table(root.get_ref())
        };
        Some(TomlDoc { file, root })
    }

    pub fn src(&self) -> Src {
        self.file.named()
    }

    pub fn invalid(
        &self,
        span: &Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> PackError {
        PackError::Invalid {
            message: message.into(),
            src: self.src(),
            span: range(span.clone()),
            label: label.into(),
            help,
        }
    }

    /// Reports keys of `table` that are not in `allowed`.
    pub fn check_keys(&self, table: &Table, allowed: &[&str], context: &str, errors: &mut Vec<PackError>) {
        for (k, _) in table {
            if !allowed.contains(&k.name.as_str()) {
                errors.push(PackError::UnknownKey {
                    key: k.name.clone(),
                    context: context.to_string(),
                    src: self.src(),
                    span: range(k.span.clone()),
                    help: did_you_mean(&k.name, allowed.iter().copied())
                        .or_else(|| Some(format!("expected one of: {}", allowed.join(", ")))),
                });
            }
        }
    }

    pub fn table<'a>(&self, node: &'a Node, what: &str, errors: &mut Vec<PackError>) -> Option<&'a Table> {
        match &node.value {
            TomlValue::Table(t) => Some(t),
            other => {
                errors.push(self.invalid(
                    &node.span,
                    format!("{what} must be a table"),
                    format!("found {}", other.kind()),
                    None,
                ));
                None
            }
        }
    }

    pub fn string<'a>(&self, node: &'a Node, what: &str, errors: &mut Vec<PackError>) -> Option<&'a str> {
        match &node.value {
            TomlValue::Str(s) => Some(s),
            other => {
                errors.push(self.invalid(
                    &node.span,
                    format!("{what} must be a string"),
                    format!("found {}", other.kind()),
                    None,
                ));
                None
            }
        }
    }
}

pub fn range(r: Range<usize>) -> miette::SourceSpan {
    (r.start, r.len()).into()
}

pub fn get<'a>(table: &'a Table, key: &str) -> Option<&'a Node> {
    table.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

fn convert_table(t: &DeTable<'_>) -> Table {
    t.iter().map(|(k, v)| (Key { name: k.get_ref().to_string(), span: k.span() }, convert(v))).collect()
}

fn convert(v: &toml::Spanned<DeValue<'_>>) -> Node {
    let value = match v.get_ref() {
        DeValue::String(s) => TomlValue::Str(s.to_string()),
        DeValue::Integer(i) => TomlValue::Int(i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()),
        DeValue::Float(f) => TomlValue::Float(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => TomlValue::Bool(*b),
        DeValue::Datetime(d) => TomlValue::Datetime(*d),
        DeValue::Array(a) => TomlValue::Array(a.iter().map(convert).collect()),
        DeValue::Table(t) => TomlValue::Table(convert_table(t)),
    };
    Node { value, span: v.span() }
}
