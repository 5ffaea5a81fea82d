//! Parameters: every number, date, list and amount a program manager may change,
//! typed from the TOML itself (a TOML date is a date, `"30 days"` a duration,
//! `"6000 USD"` money, `1.5` an exact decimal).

use super::error::PackError;
use super::toml_doc::{Key, Node, TomlDoc, TomlValue};
use crate::calendar::{self, Conventions, FractionRounding};
use crate::number::Number;
use crate::source::SourceFile;
use crate::types::Type;
use crate::value::Value;
use std::ops::Range;
use std::sync::Arc;

/// The table of `params.toml` that sets the calendar conventions of date arithmetic.
pub const CALENDAR_TABLE: &str = "calendar";

#[derive(Debug, Clone)]
pub struct Param {
    pub ty: Type,
    pub value: Value,
    pub span: Range<usize>,
    /// Spans of the items of a list parameter, to point at one bad item.
    pub item_spans: Vec<Range<usize>>,
}

#[derive(Debug, Clone)]
pub enum ParamNode {
    Table(Vec<(Key, ParamNode)>),
    Leaf(Param),
}

#[derive(Debug, Clone)]
pub struct Params {
    pub file: SourceFile,
    pub root: Vec<(Key, ParamNode)>,
    pub calendar: Conventions,
}

impl Params {
    /// Every parameter by its dotted name (`table.key`), in file order.
    pub fn flatten(&self) -> Vec<(String, Param)> {
        fn walk(prefix: &str, nodes: &[(Key, ParamNode)], out: &mut Vec<(String, Param)>) {
            for (k, node) in nodes {
                let name = if prefix.is_empty() { k.name.clone() } else { format!("{prefix}.{}", k.name) };
                match node {
                    ParamNode::Table(inner) => walk(&name, inner, out),
                    ParamNode::Leaf(p) => out.push((name, p.clone())),
                }
            }
        }
        let mut out = Vec::new();
        walk("", &self.root, &mut out);
        out
    }

    pub fn load(doc: &TomlDoc, errors: &mut Vec<PackError>) -> Params {
        let root = table(doc, &doc.root, errors);
        let calendar = conventions(doc, errors);
        Params { file: doc.file.clone(), root, calendar }
    }
}

fn table(doc: &TomlDoc, t: &[(Key, Node)], errors: &mut Vec<PackError>) -> Vec<(Key, ParamNode)> {
    let mut out = Vec::new();
    for (k, node) in t {
        let entry = match &node.value {
            TomlValue::Table(inner) => Some(ParamNode::Table(table(doc, inner, errors))),
            _ => infer(doc, node, errors).map(ParamNode::Leaf),
        };
        if let Some(e) = entry {
            out.push((k.clone(), e));
        }
    }
    out
}

/// Types a TOML value by its own form.
pub fn infer(doc: &TomlDoc, node: &Node, errors: &mut Vec<PackError>) -> Option<Param> {
    let leaf = |ty, value| Some(Param { ty, value, span: node.span.clone(), item_spans: Vec::new() });
    match &node.value {
        TomlValue::Bool(b) => leaf(Type::Bool, Value::Bool(*b)),
        TomlValue::Int(Some(i)) => leaf(Type::Int, Value::Num(Number::from_int(*i))),
        TomlValue::Int(None) => {
            errors.push(doc.invalid(&node.span, "integer out of range", "does not fit 64 bits", None));
            None
        }
        TomlValue::Float(text) => match Number::parse_decimal(text) {
            Some(n) => leaf(Type::Decimal, Value::Num(n)),
            None => {
                errors.push(doc.invalid(
                    &node.span,
                    format!("`{text}` is not a plain decimal"),
                    "not exact",
                    Some("write decimals as digits with one point, such as 0.5".into()),
                ));
                None
            }
        },
        TomlValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                let text = d.to_string();
                match calendar::parse_date(&text) {
                    Ok(date) => leaf(Type::Date, Value::Date(date)),
                    Err(e) => {
                        errors.push(doc.invalid(
                            &node.span,
                            format!("`{text}` is not a date"),
                            "impossible date",
                            Some(e.explain()),
                        ));
                        None
                    }
                }
            }
            _ => {
                errors.push(doc.invalid(
                    &node.span,
                    "times of day are not supported",
                    "a date-time",
                    Some("write a date as YYYY-MM-DD".into()),
                ));
                None
            }
        },
        TomlValue::Str(s) => {
            let (ty, value) = quantity(s).unwrap_or((Type::Str, Value::Str(Arc::from(s.as_str()))));
            leaf(ty, value)
        }
        TomlValue::Array(items) => {
            let mut ty = Type::Unknown;
            let mut values = Vec::with_capacity(items.len());
            let mut item_spans = Vec::with_capacity(items.len());
            for item in items {
                let p = infer(doc, item, errors)?;
                match ty.unify(&p.ty) {
                    Some(t) => ty = t,
                    None => {
                        errors.push(doc.invalid(
                            &item.span,
                            "the items of a list must have one type",
                            "differs from the items before it",
                            None,
                        ));
                        return None;
                    }
                }
                values.push(p.value);
                item_spans.push(item.span.clone());
            }
            Some(Param {
                ty: Type::List(Box::new(ty)),
                value: Value::List(values.into()),
                span: node.span.clone(),
                item_spans,
            })
        }
        TomlValue::Table(_) => {
            errors.push(doc.invalid(
                &node.span,
                "a table cannot stand here",
                "table",
                Some("a list holds plain values".into()),
            ));
            None
        }
    }
}

/// `"30 days"`, `"12 months"`, `"1 year"`, `"2 weeks"`, `"6000 USD"`.
pub fn quantity(s: &str) -> Option<(Type, Value)> {
    let (num, unit) = s.trim().split_once(' ')?;
    let n = Number::parse_decimal(num)?;
    let days = |k: i64| n.checked_mul(Number::from_int(k)).ok()?.to_i64().map(|d| (Type::Days, Value::Days(d)));
    match unit.trim() {
        "day" | "days" => days(1),
        "week" | "weeks" => days(7),
        "month" | "months" => Some((Type::Months, Value::Months(n))),
        "year" | "years" => Some((Type::Months, Value::Months(n.checked_mul(Number::from_int(12)).ok()?))),
        c if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {
            Some((Type::Money(Arc::from(c)), Value::Num(n)))
        }
        _ => None,
    }
}

fn conventions(doc: &TomlDoc, errors: &mut Vec<PackError>) -> Conventions {
    let mut conv = Conventions::default();
    let Some(node) = super::toml_doc::get(&doc.root, CALENDAR_TABLE) else {
        return conv;
    };
    let Some(t) = doc.table(node, "`calendar`", errors) else {
        return conv;
    };
    doc.check_keys(t, &["days_per_month", "fraction_rounding"], "`[calendar]`", errors);
    if let Some(n) = super::toml_doc::get(t, "days_per_month") {
        match n.value {
            TomlValue::Int(Some(d)) if (1..=31).contains(&d) => conv.days_per_month = d,
            _ => errors.push(doc.invalid(
                &n.span,
                "`days_per_month` must be a whole number from 1 to 31",
                "invalid",
                None,
            )),
        }
    }
    if let Some(n) = super::toml_doc::get(t, "fraction_rounding") {
        match doc.string(n, "`fraction_rounding`", errors) {
            Some("floor") => conv.fraction = FractionRounding::Floor,
            Some("ceil") => conv.fraction = FractionRounding::Ceil,
            Some("half_even") => conv.fraction = FractionRounding::HalfEven,
            Some(other) => errors.push(doc.invalid(
                &n.span,
                format!("unknown rounding `{other}`"),
                "invalid",
                Some("use `floor`, `ceil` or `half_even`".into()),
            )),
            None => {}
        }
    }
    conv
}
