//! Types a scenario document by the pack's schema: every scalar's raw text becomes a
//! value of its field's declared type, or a located error.

use super::error::ScenarioError;
use super::tree::{is_null, Kind, Node};
use super::{Expectations, ExpectedOutput, Scenario};
use crate::ast::Span;
use crate::calendar;
use crate::number::Number;
use crate::outcome::Decision;
use crate::pack::params::quantity;
use crate::pack::FieldDef;
use crate::program::Program;
use crate::source::{did_you_mean, SourceFile};
use crate::types::{Display, Type};
use crate::value::Value;
use std::fmt;

pub const TOP_LEVEL: &[&str] = &["scenario", "as_of", "input", "expect"];
const EXPECT_KEYS: &[&str] = &["decision", "denied_by", "warnings", "notes", "outputs", "absent_outputs"];

/// Where a node is in a scenario (`input.offer.name`, `input.merge.accounts[1]`),
/// written out only for a message: typing a field that is fine builds no text.
#[derive(Clone, Copy)]
pub enum FieldPath<'a> {
    Name(&'a str),
    Field(&'a FieldPath<'a>, &'a str),
    Item(&'a FieldPath<'a>, usize),
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::Name(n) => f.write_str(n),
            FieldPath::Field(p, n) => write!(f, "{p}.{n}"),
            FieldPath::Item(p, i) => write!(f, "{p}[{i}]"),
        }
    }
}

pub struct Typer<'a> {
    pub file: &'a SourceFile,
    pub program: &'a Program,
    pub errors: Vec<ScenarioError>,
}

impl<'a> Typer<'a> {
    fn show(&self, t: &Type) -> String {
        let text = Display(t, &self.program.schema).to_string();
        match t {
            Type::Int => "a whole number".into(),
            Type::Decimal => "a number".into(),
            Type::Bool => "`true` or `false`".into(),
            Type::Date => "a date (YYYY-MM-DD)".into(),
            Type::Str => "a string".into(),
            Type::List(_) => format!("a list ({text})"),
            Type::Record(_) => format!("a mapping ({text})"),
            Type::Enum(_) => format!("one of the values of `{text}`"),
            _ => text,
        }
    }

    fn wrong(&mut self, node: &Node, field: impl fmt::Display, ty: &Type, help: Option<String>) {
        let e = ScenarioError::WrongType {
            field: field.to_string(),
            expected: self.show(ty),
            found: node.describe(),
            src: self.file.named(),
            span: node.span.into(),
            help,
        };
        self.errors.push(e);
    }

    fn entries<'n, 't>(
        &mut self,
        node: &'n Node<'t>,
        field: impl fmt::Display,
        ty: &Type,
    ) -> Option<&'n [(Node<'t>, Node<'t>)]> {
        match &node.kind {
            Kind::Map(entries) => Some(entries),
            _ => {
                self.wrong(node, field, ty, None);
                None
            }
        }
    }

    /// Reads a scenario document.
    pub fn scenario(&mut self, doc: &Node) -> Option<Scenario> {
        let entries = self.entries(doc, "a scenario", &Type::Record(self.program.schema.input))?;
        self.unknown_keys(entries, TOP_LEVEL, "a scenario");
        let name = self.required(entries, "scenario", doc, "a scenario").and_then(|(k, v)| {
            let text = self.string(v, "scenario")?;
            Some((text, k.span))
        });
        let as_of = self.required(entries, "as_of", doc, "a scenario").and_then(|(_, v)| {
            match self.value(v, &Type::Date, &FieldPath::Name("as_of"))? {
                Value::Date(d) => Some(d),
                _ => None,
            }
        });
        let input = self.required(entries, "input", doc, "a scenario").and_then(|(_, v)| self.input(v));
        let expect = match find(entries, "expect") {
            Some((_, v)) => Some(self.expectations(v)?),
            None => None,
        };
        let (name, name_span) = name?;
        let input_node = find(entries, "input").map(|(_, v)| v);
        let input_span = input_node.map_or(doc.span, |v| v.span);
        let part_spans = input_node.map(|v| self.part_spans(v)).unwrap_or_default();
        Some(Scenario { name, name_span, span: doc.span, as_of: as_of?, input: input?, input_span, part_spans, expect })
    }

    /// Where each part of the input is written, in the schema's order.
    fn part_spans(&self, input: &Node) -> Vec<Option<Span>> {
        let schema = &self.program.schema;
        let Some(root) = schema.record(schema.input) else {
            return Vec::new();
        };
        let Kind::Map(entries) = &input.kind else {
            return Vec::new();
        };
        root.fields.iter().map(|f| find(entries, &f.name).map(|(_, v)| v.span)).collect()
    }

    pub fn name_of(doc: &Node) -> Option<(String, Span)> {
        let Kind::Map(entries) = &doc.kind else {
            return None;
        };
        let (_, v) = find(entries, "scenario")?;
        match &v.kind {
            Kind::Scalar { text, .. } => Some((text.to_string(), v.span)),
            _ => None,
        }
    }

    fn string(&mut self, node: &Node, field: &str) -> Option<String> {
        match self.value(node, &Type::Str, &FieldPath::Name(field))? {
            Value::Str(s) => Some(s.to_string()),
            _ => None,
        }
    }

    fn unknown_keys(&mut self, entries: &[(Node, Node)], allowed: &[&str], context: &str) {
        for (k, _) in entries {
            let name = k.key_text().unwrap_or("");
            if !allowed.contains(&name) {
                let help = did_you_mean(name, allowed.iter().copied())
                    .or_else(|| Some(format!("expected one of: {}", allowed.join(", "))));
                self.errors.push(ScenarioError::UnknownField {
                    key: name.to_string(),
                    context: context.to_string(),
                    src: self.file.named(),
                    span: k.span.into(),
                    help,
                });
            }
        }
    }

    fn required<'n, 't>(
        &mut self,
        entries: &'n [(Node<'t>, Node<'t>)],
        key: &str,
        parent: &Node,
        context: &str,
    ) -> Option<&'n (Node<'t>, Node<'t>)> {
        let found = find(entries, key);
        if found.is_none() {
            self.missing(key, context, parent.span);
        }
        found
    }

    /// A required key is absent from the mapping at `parent`.
    fn missing(&mut self, key: &str, context: &str, parent: Span) {
        let (key, context, src) = (key.to_string(), context.to_string(), self.file.named());
        self.errors.push(ScenarioError::MissingField { key, context, src, span: (parent.start, 0).into() });
    }

    pub fn input(&mut self, node: &Node) -> Option<Vec<Option<Value>>> {
        let schema = &self.program.schema;
        let root = schema.record(schema.input)?;
        self.fields(node, &root.fields, &FieldPath::Name("input"), &Type::Record(schema.input))
    }

    fn record(&mut self, node: &Node, fields: &[FieldDef], context: &FieldPath<'_>, ty: &Type) -> Option<Value> {
        self.fields(node, fields, context, ty).map(|out| Value::Record(out.into()))
    }

    /// A record's fields in declaration order.
    fn fields(
        &mut self,
        node: &Node,
        fields: &[FieldDef],
        context: &FieldPath<'_>,
        ty: &Type,
    ) -> Option<Vec<Option<Value>>> {
        let entries = self.entries(node, context, ty)?;
        let mut out: Vec<Option<Value>> = vec![None; fields.len()];
        // Keys written, even with a bad value: those are not also "missing".
        let mut written = Written::new(fields.len());
        let mut ok = true;
        for (k, v) in entries {
            let name = k.key_text().unwrap_or("");
            match fields.iter().position(|f| f.name == name) {
                Some(i) => {
                    written.set(i);
                    let Some(def) = fields.get(i) else { continue };
                    let path = FieldPath::Field(context, name);
                    match self.value(v, &def.ty, &path) {
                        Some(val) => {
                            if self.constraints(&val, def, v, &path) {
                                if let Some(slot) = out.get_mut(i) {
                                    *slot = Some(val);
                                }
                            } else {
                                ok = false;
                            }
                        }
                        None => ok = false,
                    }
                }
                None => {
                    ok = false;
                    let help = did_you_mean(name, fields.iter().map(|f| f.name.as_str())).or_else(|| {
                        Some(format!(
                            "`{context}` has: {}",
                            fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
                        ))
                    });
                    self.errors.push(ScenarioError::UnknownField {
                        key: name.to_string(),
                        context: format!("`{context}`"),
                        src: self.file.named(),
                        span: k.span.into(),
                        help,
                    });
                }
            }
        }
        for (i, def) in fields.iter().enumerate() {
            if written.get(i) || out.get(i).is_some_and(Option::is_some) {
                continue;
            }
            match &def.absent {
                Some(absent) => {
                    if let Some(slot) = out.get_mut(i) {
                        slot.clone_from(absent);
                    }
                }
                None => {
                    self.missing(&def.name, &format!("`{context}`"), node.span);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn constraints(&mut self, val: &Value, def: &FieldDef, node: &Node, path: &FieldPath<'_>) -> bool {
        let Value::Num(n) = val else { return true };
        let fail = |c: String| ScenarioError::OutOfRange {
            field: path.to_string(),
            value: n.to_string(),
            constraint: c,
            src: self.file.named(),
            span: node.span.into(),
        };
        if let Some(min) = def.min {
            if *n < min {
                self.errors.push(fail(format!("but must be at least {min}")));
                return false;
            }
        }
        if let Some(max) = def.max {
            if *n > max {
                self.errors.push(fail(format!("but must be at most {max}")));
                return false;
            }
        }
        true
    }

    /// Types one node; reports and returns `None` when it does not fit `ty`.
    pub fn value(&mut self, node: &Node, ty: &Type, field: &FieldPath<'_>) -> Option<Value> {
        match ty {
            Type::Record(rid) => {
                let program = self.program;
                let fields = &program.schema.record(*rid)?.fields;
                self.record(node, fields, field, ty)
            }
            Type::List(inner) => {
                let Kind::Seq(items) = &node.kind else {
                    self.wrong(node, field, ty, None);
                    return None;
                };
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match self.value(item, inner, &FieldPath::Item(field, i)) {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                ok.then(|| Value::List(out.into()))
            }
            _ => {
                let Kind::Scalar { text, plain } = &node.kind else {
                    self.wrong(node, field, ty, None);
                    return None;
                };
                if *plain && is_null(text) {
                    self.wrong(node, field, ty, Some("leave the key out to leave the field absent".into()));
                    return None;
                }
                self.scalar(node, text, *plain, ty, field)
            }
        }
    }

    pub(super) fn scalar(
        &mut self,
        node: &Node,
        text: &str,
        plain: bool,
        ty: &Type,
        field: &FieldPath<'_>,
    ) -> Option<Value> {
        let quoted_help = || (!plain).then(|| "remove the quotes".to_string());
        match ty {
            Type::Bool => match (text, plain) {
                ("true", true) => Some(Value::Bool(true)),
                ("false", true) => Some(Value::Bool(false)),
                _ => {
                    let help = quoted_help().or_else(|| Some("write `true` or `false`".into()));
                    self.wrong(node, field, ty, help);
                    None
                }
            },
            Type::Int | Type::Decimal | Type::Money(_) => {
                let number_text = match ty {
                    Type::Money(cur) => text.strip_suffix(cur.as_ref()).map(str::trim_end).unwrap_or(text),
                    _ => text,
                };
                let n = Number::parse_decimal(number_text).filter(|_| plain || matches!(ty, Type::Money(_)));
                let digits = number_text.strip_prefix('-').unwrap_or(number_text);
                let integral = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                match n {
                    Some(n) if *ty != Type::Int || n.to_i64().is_some() => Some(Value::Num(n)),
                    _ if plain && integral && !digits.starts_with('0') => {
                        self.errors.push(ScenarioError::NumberTooLarge {
                            text: text.to_string(),
                            field: field.to_string(),
                            src: self.file.named(),
                            span: node.span.into(),
                            range: if *ty == Type::Int {
                                format!("a whole number lies between {} and {}", i64::MIN, i64::MAX)
                            } else {
                                "a number has at most 38 digits".to_string()
                            },
                        });
                        None
                    }
                    _ => {
                        let help = if !plain {
                            quoted_help()
                        } else if number_text.len() > 1
                            && number_text.trim_start_matches('-').starts_with('0')
                            && number_text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                        {
                            Some("write the number without leading zeros".into())
                        } else if *ty == Type::Int && Number::parse_decimal(text).is_some() {
                            Some("a whole number fits 64 bits and has no decimals".into())
                        } else {
                            None
                        };
                        self.wrong(node, field, ty, help);
                        None
                    }
                }
            }
            Type::Date => match calendar::parse_date(text) {
                Ok(d) => Some(Value::Date(d)),
                Err(e) => {
                    self.errors.push(ScenarioError::BadDate {
                        text: text.to_string(),
                        src: self.file.named(),
                        span: node.span.into(),
                        help: e.explain(),
                    });
                    None
                }
            },
            Type::Days | Type::Months => match quantity(text) {
                Some((t, v)) if t == *ty => Some(v),
                _ => {
                    let help = Some(
                        if *ty == Type::Days {
                            "write a number of days, such as `30 days`"
                        } else {
                            "write a number of months, such as `12 months`"
                        }
                        .to_string(),
                    );
                    self.wrong(node, field, ty, help);
                    None
                }
            },
            Type::Str => Some(Value::Str(text.into())),
            Type::Enum(id) => match self.program.schema.variant(*id, text) {
                Some(v) => Some(Value::Enum(v)),
                None => {
                    let variants = self.program.schema.enums.get(*id).map(|e| e.variants.clone()).unwrap_or_default();
                    let help = did_you_mean(text, variants.iter().map(String::as_str))
                        .or_else(|| Some(format!("expected one of: {}", variants.join(", "))));
                    self.errors.push(ScenarioError::NotAValue {
                        value: text.to_string(),
                        field: field.to_string(),
                        src: self.file.named(),
                        span: node.span.into(),
                        help,
                    });
                    None
                }
            },
            _ => {
                self.wrong(node, field, ty, None);
                None
            }
        }
    }

    pub(super) fn expectations(&mut self, node: &Node) -> Option<Expectations> {
        let entries = self.entries(node, "expect", &Type::Unknown)?;
        self.unknown_keys(entries, EXPECT_KEYS, "`expect`");
        let mut exp = Expectations {
            span: node.span,
            decision: None,
            denied_by: None,
            warnings: None,
            notes: None,
            outputs: Vec::new(),
            absent_outputs: Vec::new(),
        };
        let mut ok = true;
        for (k, v) in entries {
            match k.key_text().unwrap_or("") {
                "decision" => match &v.kind {
                    Kind::Scalar { text, .. } if text == "allow" => exp.decision = Some((Decision::Allow, v.span)),
                    Kind::Scalar { text, .. } if text == "deny" => exp.decision = Some((Decision::Deny, v.span)),
                    _ => {
                        let help = Some("write `allow` or `deny`".into());
                        self.errors.push(ScenarioError::NotAValue {
                            value: v.describe(),
                            field: "expect.decision".into(),
                            src: self.file.named(),
                            span: v.span.into(),
                            help,
                        });
                        ok = false;
                    }
                },
                key @ ("denied_by" | "warnings" | "notes") => match self.rule_ids(v, key) {
                    Some(ids) => {
                        let slot = match key {
                            "denied_by" => &mut exp.denied_by,
                            "warnings" => &mut exp.warnings,
                            _ => &mut exp.notes,
                        };
                        *slot = Some((ids, v.span));
                    }
                    None => ok = false,
                },
                "absent_outputs" => match self.output_names(v) {
                    Some(names) => exp.absent_outputs = names,
                    None => ok = false,
                },
                "outputs" => {
                    let Some(outs) = self.entries(v, "expect.outputs", &Type::Unknown) else {
                        ok = false;
                        continue;
                    };
                    for (ok_node, ov) in outs {
                        let name = ok_node.key_text().unwrap_or("");
                        let Some(index) = self.program.outputs.iter().position(|o| o.name == name) else {
                            let known: Vec<&str> = self.program.outputs.iter().map(|o| o.name.as_str()).collect();
                            self.unknown_name(name, "an output", ok_node.span, &known);
                            ok = false;
                            continue;
                        };
                        let ty = self.program.outputs.get(index).map(|o| o.ty.clone()).unwrap_or(Type::Unknown);
                        let places = match &ov.kind {
                            Kind::Scalar { text, .. } if ty.is_numeric() || matches!(ty, Type::Money(_)) => Some(
                                text.split_once('.')
                                    .map_or(0, |(_, f)| f.trim_end_matches(|c: char| !c.is_ascii_digit()).len() as u32),
                            ),
                            _ => None,
                        };
                        match self.value(ov, &ty, &FieldPath::Field(&FieldPath::Name("expect.outputs"), name)) {
                            Some(value) => {
                                exp.outputs.push(ExpectedOutput { output: index, value, places, span: ov.span })
                            }
                            None => ok = false,
                        }
                    }
                }
                _ => {}
            }
        }
        ok.then_some(exp)
    }

    /// The outputs named by `absent_outputs`: a list of output names.
    fn output_names(&mut self, node: &Node) -> Option<Vec<(usize, Span)>> {
        let Kind::Seq(items) = &node.kind else {
            let help = Some("write a list of output names, such as `[covid_extended_to]`".into());
            self.wrong(node, "expect.absent_outputs", &Type::List(Box::new(Type::Str)), help);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            let name = item.key_text().unwrap_or("");
            match self.program.outputs.iter().position(|o| o.name == name) {
                Some(index) => out.push((index, item.span)),
                None => {
                    let known: Vec<&str> = self.program.outputs.iter().map(|o| o.name.as_str()).collect();
                    self.unknown_name(name, "an output", item.span, &known);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// An `expect` block names an output or a rule the pack does not have.
    fn unknown_name(&mut self, name: &str, what: &str, span: Span, known: &[&str]) {
        let help = did_you_mean(name, known.iter().copied());
        let src = self.file.named();
        self.errors.push(ScenarioError::UnknownName {
            name: name.to_string(),
            what: what.into(),
            src,
            span: span.into(),
            help,
        });
    }

    fn rule_ids(&mut self, node: &Node, key: &str) -> Option<Vec<(String, Span)>> {
        let Kind::Seq(items) = &node.kind else {
            self.wrong(
                node,
                format!("expect.{key}"),
                &Type::List(Box::new(Type::Str)),
                Some("write a list of rule ids, such as `[RULE-ID]`, or `[]`".into()),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            let Kind::Scalar { text, .. } = &item.kind else {
                self.wrong(item, format!("expect.{key}"), &Type::Str, None);
                ok = false;
                continue;
            };
            if !self.program.rules.iter().any(|r| r.id == *text) {
                let known: Vec<&str> = self.program.rules.iter().map(|r| r.id.as_str()).collect();
                self.unknown_name(text, "a rule", item.span, &known);
                ok = false;
                continue;
            }
            out.push((text.to_string(), item.span));
        }
        ok.then_some(out)
    }
}

fn find<'n, 'a>(entries: &'n [(Node<'a>, Node<'a>)], key: &str) -> Option<&'n (Node<'a>, Node<'a>)> {
    entries.iter().find(|(k, _)| k.key_text() == Some(key))
}

/// Which fields of a record were written: a word of bits for the usual record,
/// a vector for one of more than 64 fields.
pub(super) enum Written {
    Few(u64),
    Many(Vec<bool>),
}

impl Written {
    pub(super) fn new(fields: usize) -> Written {
        if fields <= 64 {
            Written::Few(0)
        } else {
            Written::Many(vec![false; fields])
        }
    }

    pub(super) fn set(&mut self, i: usize) {
        match self {
            Written::Few(bits) => *bits |= 1u64.checked_shl(u32::try_from(i).unwrap_or(u32::MAX)).unwrap_or(0),
            Written::Many(v) => {
                if let Some(w) = v.get_mut(i) {
                    *w = true;
                }
            }
        }
    }

    pub(super) fn get(&self, i: usize) -> bool {
        match self {
            Written::Few(bits) => bits.checked_shr(u32::try_from(i).unwrap_or(u32::MAX)).is_some_and(|b| b & 1 == 1),
            Written::Many(v) => v.get(i).copied().unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Written;

    #[test]
    fn written_fields_are_remembered_in_a_word_or_a_vector() {
        for fields in [1, 64, 65, 200] {
            let mut w = Written::new(fields);
            let marked: Vec<usize> = (0..fields).filter(|i| i % 3 == 0 || *i == fields - 1).collect();
            marked.iter().for_each(|i| w.set(*i));
            for i in 0..fields + 2 {
                assert_eq!(w.get(i), marked.contains(&i), "field {i} of {fields}");
            }
        }
    }
}
