//! A TOML value read as a value of its declared type (a parameter's, or a schema
//! field's default). A value that does not fit is reported on the value itself,
//! saying what was expected and how to write it: the mistakes people make in TOML
//! (a unit misspelt, a date or a number in quotes, a thousands separator, money
//! without its currency) each get their own fix.

use super::error::PackError;
use super::params::{infer, quantity};
use super::schema::Schema;
use super::toml_doc::{range, Node, TomlDoc, TomlValue};
use crate::calendar;
use crate::number::Number;
use crate::source::did_you_mean;
use crate::types::{Display, Type};
use crate::value::Value;
use std::ops::Range;
use std::sync::Arc;

/// The units a duration may be written in.
const UNITS: [&str; 8] = ["day", "days", "week", "weeks", "month", "months", "year", "years"];

/// Why a value does not fit, before it is placed.
struct Misfit {
    detail: String,
    help: Option<String>,
}

fn misfit(detail: impl Into<String>, help: impl Into<Option<String>>) -> Misfit {
    Misfit { detail: detail.into(), help: help.into() }
}

/// The value of `node` as a `ty`, with the spans of a list's items; `what` names the
/// value in messages (`` `delivery.window` ``). Every item of a list that does
/// not fit is reported.
pub fn fit(
    doc: &TomlDoc,
    node: &Node,
    ty: &Type,
    schema: &Schema,
    what: &str,
    errors: &mut Vec<PackError>,
) -> Option<(Value, Vec<Range<usize>>)> {
    match (ty, &node.value) {
        (Type::Unknown, _) => infer(doc, node, errors).map(|p| (p.value, p.item_spans)),
        (Type::List(inner), TomlValue::Array(items)) => {
            let mut values = Vec::with_capacity(items.len());
            let mut ok = true;
            let each = format!("each item of {what}");
            for item in items {
                match fit(doc, item, inner, schema, &each, errors) {
                    Some((v, _)) => values.push(v),
                    None => ok = false,
                }
            }
            ok.then(|| (Value::List(values.into()), items.iter().map(|i| i.span.clone()).collect()))
        }
        _ => match scalar(doc, node, ty, schema) {
            Ok(value) => Some((value, Vec::new())),
            Err(m) => {
                errors.push(PackError::WrongType {
                    message: format!("{what} must be {}: {}", article(ty, schema), m.detail),
                    src: doc.src(),
                    span: range(node.span.clone()),
                    label: format!("expected {}", Display(ty, schema)),
                    help: m.help,
                });
                None
            }
        },
    }
}

fn article(ty: &Type, schema: &Schema) -> String {
    let name = Display(ty, schema).to_string();
    match ty {
        Type::Days | Type::Months => format!("a number of {name}"),
        Type::Money(_) => format!("an amount of {name}"),
        Type::Int => "a whole number".into(),
        Type::Decimal => "a number".into(),
        Type::List(_) => format!("a list ({name})"),
        Type::Enum(_) => format!("a value of `{name}`"),
        _ if name.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {name}"),
        _ => format!("a {name}"),
    }
}

fn scalar(doc: &TomlDoc, node: &Node, ty: &Type, schema: &Schema) -> Result<Value, Misfit> {
    let found = node.value.kind();
    match (ty, &node.value) {
        (Type::Bool, TomlValue::Bool(b)) => Ok(Value::Bool(*b)),
        (Type::Bool, TomlValue::Str(s)) if matches!(s.trim(), "true" | "false") => {
            Err(misfit(format!("found the string \"{s}\""), format!("write {} without quotes", s.trim())))
        }
        (Type::Int, TomlValue::Int(Some(i))) => Ok(Value::Num(Number::from_int(*i))),
        (Type::Int | Type::Decimal, TomlValue::Int(None)) => Err(misfit("it does not fit 64 bits", None)),
        (Type::Int, TomlValue::Float(text)) => {
            Err(misfit(format!("found {text}"), Some("write a whole number, or declare the type `decimal`".into())))
        }
        (Type::Decimal, TomlValue::Int(Some(i))) => Ok(Value::Num(Number::from_int(*i))),
        (Type::Decimal, TomlValue::Float(text)) => Number::parse_decimal(text).map(Value::Num).ok_or_else(|| {
            misfit(
                format!("`{text}` is not a plain decimal"),
                Some("write decimals as digits with one point, such as 0.5".into()),
            )
        }),
        (Type::Int | Type::Decimal, TomlValue::Str(s)) => Err(number_in_text(s)),
        (Type::Date, TomlValue::Datetime(_)) => {
            let mut errors = Vec::new();
            match infer(doc, node, &mut errors) {
                Some(p) if p.ty == Type::Date => Ok(p.value),
                _ => Err(match errors.into_iter().next() {
                    Some(PackError::Invalid { message, help, .. }) => misfit(message, help),
                    _ => misfit("not a date", None),
                }),
            }
        }
        (Type::Date, TomlValue::Str(s)) => Err(match calendar::parse_date(s.trim()) {
            Ok(_) => {
                misfit(format!("found the string \"{s}\""), format!("a date is written without quotes: {}", s.trim()))
            }
            Err(e) => misfit(format!("\"{s}\" is not a date"), format!("{}, without quotes", e.explain())),
        }),
        (Type::Days | Type::Months | Type::Money(_), TomlValue::Str(s)) => quantity_of(s, ty, schema),
        (Type::Days | Type::Months, TomlValue::Int(Some(n))) => {
            let unit = if *ty == Type::Days { "days" } else { "months" };
            Err(misfit("a duration needs its unit", format!("write \"{n} {unit}\"")))
        }
        (Type::Money(c), TomlValue::Int(_) | TomlValue::Float(_)) => {
            let n = doc.file.text.get(node.span.clone()).unwrap_or("0");
            Err(misfit("an amount needs its currency", format!("write \"{n} {c}\"")))
        }
        (Type::Str, TomlValue::Str(s)) => Ok(Value::Str(Arc::from(s.as_str()))),
        (Type::Enum(id), TomlValue::Str(s)) => schema.variant(*id, s).map(Value::Enum).ok_or_else(|| {
            let variants = schema.enums.get(*id).map(|e| e.variants.as_slice()).unwrap_or_default();
            let help = did_you_mean(s, variants.iter().map(String::as_str))
                .unwrap_or_else(|| format!("its values are: {}", variants.join(", ")));
            misfit(format!("`{s}` is not one of its values"), help)
        }),
        (Type::Enum(_), _) => Err(misfit(format!("found {found}"), Some("write one of its values in quotes".into()))),
        (Type::Str, _) => Err(misfit(format!("found {found}"), Some("write the text in quotes".into()))),
        (Type::List(_), _) => Err(misfit(format!("found {found}"), Some("write a list: [ ... ]".into()))),
        (Type::Record(_) | Type::Range(_), _) => Err(misfit("it cannot be written in TOML", None)),
        _ => Err(misfit(format!("found {found}"), None)),
    }
}

/// A number written in quotes, or with separators.
fn number_in_text(s: &str) -> Misfit {
    let plain: String = s.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
    match Number::parse_decimal(&plain) {
        Some(_) => misfit(format!("found the string \"{s}\""), format!("a number is written without quotes: {plain}")),
        None => misfit(format!("found the string \"{s}\""), Some("write the number without quotes".into())),
    }
}

/// `"30 days"`, `"12 months"` or `"6000 USD"` for a duration or an amount.
fn quantity_of(s: &str, ty: &Type, schema: &Schema) -> Result<Value, Misfit> {
    let want = Display(ty, schema).to_string();
    let example = match ty {
        Type::Days => "\"30 days\"".to_string(),
        Type::Months => "\"12 months\"".to_string(),
        _ => format!("\"6000 {}\"", want.trim_start_matches("money(").trim_end_matches(')')),
    };
    if let Some((got, value)) = quantity(s) {
        return match (ty, &got) {
            (want, got) if want == got => Ok(value),
            (Type::Days, Type::Months) => Err(misfit(
                "found months: a month has no fixed number of days",
                format!("write the duration in days or weeks, such as {example}, or declare the type `months`"),
            )),
            (Type::Months, Type::Days) => Err(misfit(
                "found days: a number of days is not a number of months",
                format!("write it in months or years, such as {example}, or declare the type `days`"),
            )),
            (Type::Money(c), Type::Money(got)) => {
                let number = s.trim().split_once(' ').map_or("6000", |(n, _)| n);
                Err(misfit(
                    format!("found money({got})"),
                    format!("write \"{number} {c}\", or declare the type `money({got})`"),
                ))
            }
            (_, got) => Err(misfit(format!("found {}", Display(got, schema)), format!("write it as {example}"))),
        };
    }
    let text = s.trim();
    if matches!(ty, Type::Money(_)) && text.contains(',') {
        let fixed = text.replace(',', "");
        if quantity(&fixed).is_some() {
            return Err(misfit(
                "an amount has no thousands separator",
                format!("write \"{fixed}\" (a point is the decimal point)"),
            ));
        }
    }
    let Some((number, unit)) = text.split_once(' ').map(|(n, u)| (n, u.trim())) else {
        // `30days`, `$25000`: the number and its unit run together.
        let digits = text.trim_start_matches(|c: char| !c.is_ascii_digit());
        let split = digits.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(digits.len());
        let (n, u) = digits.split_at(split);
        let hint = match (n.is_empty(), u.is_empty()) {
            (false, false) => format!("write a space between the number and its unit: \"{n} {u}\""),
            _ => format!("write the number, a space and the unit, such as {example}"),
        };
        return Err(misfit(format!("\"{s}\" has no number and unit"), hint));
    };
    if Number::parse_decimal(number).is_none() {
        return Err(misfit(
            format!("`{number}` is not a number"),
            format!("write the number, a space and the unit, such as {example}"),
        ));
    }
    if let Type::Money(c) = ty {
        let help = if unit.eq_ignore_ascii_case(c) {
            format!("currency codes are written in capitals: \"{number} {c}\"")
        } else {
            format!("write \"{number} {c}\"")
        };
        return Err(misfit(format!("`{unit}` is not the currency {c}"), help));
    }
    let lower = unit.to_ascii_lowercase();
    if UNITS.contains(&lower.as_str()) {
        return Err(misfit(
            format!("`{unit}` is written in capitals"),
            format!("units are written in lower case: \"{number} {lower}\""),
        ));
    }
    let guess = UNITS
        .iter()
        .filter_map(|u| Some((crate::text::typo_distance_within(&lower, u, 2)?, *u)))
        .min_by_key(|(d, _)| *d);
    let units = "the units are day(s), week(s), month(s) and year(s)";
    let help = match guess {
        Some((_, unit)) => format!("did you mean \"{number} {unit}\"? {units}"),
        None => units.to_string(),
    };
    Err(misfit(format!("unknown unit `{unit}`"), help))
}
