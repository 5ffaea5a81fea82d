//! Parameters: every number, date, list and amount a program manager may change,
//! each read as the type schema.toml declares for it (`[params]`), so that a value
//! written wrong is reported where it is written. A value's form also has a type
//! (a TOML date is a date, `"30 days"` a duration, `"6000 USD"` money, `1.5` an
//! exact decimal): it suggests the declaration of a parameter that has none.

use super::error::PackError;
use super::schema::{ParamDecl, Schema};
use super::toml_doc::{Key, Node, TomlDoc, TomlValue};
use crate::calendar::{self, Conventions, FractionRounding, Period};
use crate::number::Number;
use crate::source::SourceFile;
use crate::types::Type;
use crate::value::Value;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// How many undeclared parameters are each compared with the declarations left, for
/// a "did you mean".
const SUGGESTED: usize = 64;

/// The table of `params.toml` that sets the calendar conventions of date arithmetic.
pub const CALENDAR_TABLE: &str = "calendar";

#[derive(Debug, Clone)]
pub struct Param {
    pub ty: Type,
    /// The value; for a dated parameter, the value of its latest version (shown where
    /// one value is asked for; rules read the version in force).
    pub value: Value,
    pub span: Range<usize>,
    /// Spans of the items of a list parameter, to point at one bad item.
    pub item_spans: Vec<Range<usize>>,
    /// A dated parameter's values (`[{ from = ..., until = ..., value = ... }, ...]`),
    /// in date order, no two in force on one day; empty for a plain one.
    pub versions: Vec<Version>,
}

impl Param {
    pub fn is_dated(&self) -> bool {
        !self.versions.is_empty()
    }
}

/// One dated value of a parameter.
#[derive(Debug, Clone)]
pub struct Version {
    pub period: Period,
    pub value: Value,
    /// The version's table in params.toml.
    pub span: Range<usize>,
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

    /// Reads params.toml, each value as the type schema.toml declares for it. Without
    /// a schema (it failed to load, and says why) values are typed by their form.
    pub fn load(doc: &TomlDoc, schema: Option<&Schema>, errors: &mut Vec<PackError>) -> Params {
        let mut typing = Typing {
            doc,
            schema,
            declared: schema.map(|s| s.params.iter().map(|d| (d.name.as_str(), d)).collect()).unwrap_or_default(),
            set: HashSet::new(),
            undeclared: Vec::new(),
        };
        let root = typing.table(&doc.root, "", errors);
        if let Some(schema) = schema {
            let unset: Vec<&ParamDecl> =
                schema.params.iter().filter(|d| !typing.set.contains(d.name.as_str())).collect();
            // A key misspelt in params.toml is one error, on the key, naming the
            // declaration. Looking for it compares each key with each declaration
            // left: done for the first keys only, so that a file of thousands of
            // them is not compared pair by pair.
            let mut explained = HashSet::new();
            for (n, (name, span, mut help)) in std::mem::take(&mut typing.undeclared).into_iter().enumerate() {
                let unset = if n < SUGGESTED { unset.as_slice() } else { &[] };
                let (table, key) = name.rsplit_once('.').unwrap_or(("", name.as_str()));
                let limit = (key.chars().count() / 3).clamp(1, 3);
                let near = unset
                    .iter()
                    .filter(|d| d.name.rsplit_once('.').map_or("", |(t, _)| t) == table)
                    .filter_map(|d| {
                        let other = d.name.rsplit_once('.').map_or(d.name.as_str(), |(_, k)| k);
                        Some((crate::text::typo_distance_within(key, other, limit)?, *d, other))
                    })
                    .min_by_key(|(distance, _, _)| *distance);
                if let Some((_, d, other)) = near {
                    explained.insert(d.name.as_str());
                    let ty = crate::types::Display(&d.ty, schema);
                    help = format!("did you mean `{other}`? schema.toml declares it, as {ty}");
                }
                errors.push(PackError::UndeclaredParam {
                    name,
                    src: doc.src(),
                    span: super::toml_doc::range(span),
                    help: Some(help),
                });
            }
            for d in unset.into_iter().filter(|d| !explained.contains(d.name.as_str())) {
                let (table, key) = d.name.rsplit_once('.').map_or(("", d.name.as_str()), |(t, k)| (t, k));
                let place = if table.is_empty() { String::new() } else { format!("under `[{table}]` ") };
                errors.push(PackError::UnsetParam {
                    name: d.name.clone(),
                    src: schema.file.named(),
                    span: super::toml_doc::range(d.span.clone()),
                    help: Some(format!("set it in params.toml: {place}write `{key} = ...`, or remove the declaration")),
                });
            }
        }
        let calendar = conventions(doc, errors);
        Params { file: doc.file.clone(), root, calendar }
    }
}

/// The reading of params.toml against the declarations.
struct Typing<'a> {
    doc: &'a TomlDoc,
    schema: Option<&'a Schema>,
    declared: HashMap<&'a str, &'a ParamDecl>,
    /// The declared parameters params.toml sets.
    set: HashSet<&'a str>,
    /// Parameters set without a declaration: name, key, and the help that says how
    /// to declare one.
    undeclared: Vec<(String, Range<usize>, String)>,
}

impl<'a> Typing<'a> {
    fn table(&mut self, t: &[(Key, Node)], prefix: &str, errors: &mut Vec<PackError>) -> Vec<(Key, ParamNode)> {
        let mut out = Vec::new();
        for (k, node) in t {
            if prefix.is_empty() && k.name == CALENDAR_TABLE {
                continue;
            }
            let name = if prefix.is_empty() { k.name.clone() } else { format!("{prefix}.{}", k.name) };
            let entry = match &node.value {
                TomlValue::Table(inner) => Some(ParamNode::Table(self.table(inner, &name, errors))),
                _ => self.leaf(k, node, &name, errors).map(ParamNode::Leaf),
            };
            if let Some(e) = entry {
                out.push((k.clone(), e));
            }
        }
        out
    }

    fn leaf(&mut self, key: &Key, node: &Node, name: &str, errors: &mut Vec<PackError>) -> Option<Param> {
        let doc = self.doc;
        let Some(schema) = self.schema else { return infer(doc, node, errors) };
        let Some(&decl) = self.declared.get(name) else {
            let inferred = infer(doc, node, &mut Vec::new());
            let (table, short) = name.rsplit_once('.').map_or(("", name), |(t, k)| (t, k));
            let under = if table.is_empty() { "`[params]`".to_string() } else { format!("`[params.{table}]`") };
            let help = match &inferred {
                Some(p) if p.ty != Type::Unknown && !matches!(&p.ty, Type::List(i) if **i == Type::Unknown) => {
                    format!(
                        "declare it in schema.toml: under {under} write `{short} = \"{}\"`",
                        crate::types::Display(&p.ty, schema)
                    )
                }
                _ => format!("declare it in schema.toml: under {under} write `{short} = \"<type>\"`"),
            };
            self.undeclared.push((name.to_string(), key.span.clone(), help));
            // Kept, typed by its form: rules reading it report nothing more.
            return inferred;
        };
        self.set.insert(decl.name.as_str());
        if is_dated(node) {
            return self.dated(node, decl, schema, name, errors);
        }
        let mut fitted = super::fit::fit(doc, node, &decl.ty, schema, &format!("`{name}`"), errors);
        if fitted.is_none() {
            // Reported on the value. The parameter keeps its declared type, so rules
            // reading it are still checked against that type; a pack with errors
            // never runs, so the stand-in value is never evaluated.
            fitted = stand_in(&decl.ty).map(|v| (v, Vec::new()));
        }
        let (value, item_spans) = fitted?;
        let ty = if decl.ty == Type::Unknown { infer(doc, node, &mut Vec::new())?.ty } else { decl.ty.clone() };
        Some(Param { ty, value, span: node.span.clone(), item_spans, versions: Vec::new() })
    }

    /// A parameter written as a list of dated values, each read as the declared type.
    fn dated(
        &mut self,
        node: &Node,
        decl: &ParamDecl,
        schema: &Schema,
        name: &str,
        errors: &mut Vec<PackError>,
    ) -> Option<Param> {
        let doc = self.doc;
        let TomlValue::Array(items) = &node.value else { return None };
        let errors_before = errors.len();
        let mut versions = Vec::with_capacity(items.len());
        for item in items {
            let TomlValue::Table(t) = &item.value else { continue };
            let context = format!("a dated value of `{name}`");
            doc.check_keys(t, &["from", "until", "value"], &context, errors);
            let from = super::toml_doc::get(t, "from").and_then(|n| bound(doc, n, errors));
            let until = super::toml_doc::get(t, "until").and_then(|n| bound(doc, n, errors));
            let Some(value_node) = super::toml_doc::get(t, "value") else {
                errors.push(PackError::MissingKey {
                    key: "value".into(),
                    context,
                    src: doc.src(),
                    span: super::toml_doc::range(item.span.clone()),
                });
                continue;
            };
            let fitted = super::fit::fit(doc, value_node, &decl.ty, schema, &format!("`{name}`"), errors);
            let Some((value, _)) = fitted.or_else(|| stand_in(&decl.ty).map(|v| (v, Vec::new()))) else { continue };
            let period = Period { from, until };
            if period.is_empty() {
                errors.push(doc.invalid(
                    &item.span,
                    format!("this value of `{name}` is never in force: {period}"),
                    "ends before it begins",
                    Some("`until` is the last day in force, on or after `from`".into()),
                ));
                continue;
            }
            versions.push(Version { period, value, span: item.span.clone() });
        }
        versions.sort_by_key(|v| v.period.start_key());
        for pair in versions.windows(2) {
            let [before, after] = pair else { continue };
            if before.period.overlaps(&after.period) {
                errors.push(PackError::OverlappingValues {
                    name: name.to_string(),
                    src: doc.src(),
                    span: super::toml_doc::range(after.span.clone()),
                    first: super::toml_doc::range(before.span.clone()),
                    help: Some(format!(
                        "the values are in force {} and {}; end the first the day before the second begins",
                        before.period, after.period
                    )),
                });
            }
        }
        if errors.len() > errors_before {
            // Reported where written; rules reading it are checked against its type
            // only, so that one mistake is one diagnostic.
            versions.clear();
        }
        let value = match versions.last() {
            Some(v) => v.value.clone(),
            None => stand_in(&decl.ty)?,
        };
        Some(Param { ty: decl.ty.clone(), value, span: node.span.clone(), item_spans: Vec::new(), versions })
    }
}

/// A list of tables: dated values (a parameter's value is never a table).
fn is_dated(node: &Node) -> bool {
    matches!(&node.value, TomlValue::Array(items) if !items.is_empty() && items.iter().all(|i| matches!(i.value, TomlValue::Table(_))))
}

/// The `from` or `until` of a dated value: a TOML date.
fn bound(doc: &TomlDoc, node: &Node, errors: &mut Vec<PackError>) -> Option<chrono::NaiveDate> {
    match infer(doc, node, errors) {
        Some(Param { value: Value::Date(d), .. }) => Some(d),
        Some(_) => {
            errors.push(doc.invalid(
                &node.span,
                "a dated value's `from` and `until` are dates",
                "not a date",
                Some("write a date without quotes: from = 2021-01-28".into()),
            ));
            None
        }
        None => None,
    }
}

/// A value of `ty` for a parameter whose written value does not fit it.
fn stand_in(ty: &Type) -> Option<Value> {
    Some(match ty {
        Type::Bool => Value::Bool(false),
        Type::Int | Type::Decimal | Type::Money(_) => Value::Num(Number::ZERO),
        Type::Date => Value::Date(chrono::NaiveDate::default()),
        Type::Days => Value::Days(0),
        Type::Months => Value::Months(Number::ZERO),
        Type::Str => Value::Str(Arc::from("")),
        Type::Enum(_) => Value::Enum(0),
        Type::List(_) => Value::List(Arc::from([])),
        Type::Record(_) | Type::Range(_) | Type::Unknown => return None,
    })
}

/// Types a TOML value by its own form.
pub fn infer(doc: &TomlDoc, node: &Node, errors: &mut Vec<PackError>) -> Option<Param> {
    let leaf =
        |ty, value| Some(Param { ty, value, span: node.span.clone(), item_spans: Vec::new(), versions: Vec::new() });
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
                versions: Vec::new(),
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
