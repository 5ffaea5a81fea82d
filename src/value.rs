//! Run-time values, used for parameters, scenario input and evaluation alike. The
//! static type of every value is known to the program, so values carry no type tag
//! beyond what evaluation needs.

use crate::number::Number;
use chrono::NaiveDate;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    Bool(bool),
    Num(Number),
    Date(NaiveDate),
    Days(i64),
    Months(Number),
    Str(Arc<str>),
    /// The index of a variant in its enumeration.
    Enum(u32),
    List(Arc<[Value]>),
    /// A record's fields in declaration order; `None` is an absent field.
    Record(Arc<[Option<Value>]>),
    Range {
        start: Box<Value>,
        end: Box<Value>,
        inclusive: bool,
    },
}

/// The text of a value in messages: dates as `YYYY-MM-DD`, exact decimals (rounded
/// to 9 places where they do not terminate), enumeration values by name.
pub fn display(value: &Value, ty: &crate::types::Type, schema: &crate::pack::Schema) -> String {
    use crate::types::Type;
    match (value, ty) {
        (Value::Bool(b), _) => b.to_string(),
        (Value::Num(n), Type::Money(c)) => {
            // Amounts show at least cents: 150.00 USD.
            let text = n.to_decimal_string(9);
            let places = text.split_once('.').map_or(0, |(_, f)| f.len());
            let pad = match places {
                0 => ".00",
                1 => "0",
                _ => "",
            };
            format!("{text}{pad} {c}")
        }
        (Value::Num(n), _) => n.to_decimal_string(9),
        (Value::Date(d), _) => d.format("%Y-%m-%d").to_string(),
        (Value::Days(d), _) => format!("{d} day{}", if *d == 1 { "" } else { "s" }),
        (Value::Months(m), _) => {
            format!("{} month{}", m.to_decimal_string(9), if *m == Number::ONE { "" } else { "s" })
        }
        (Value::Str(s), _) => s.to_string(),
        (Value::Enum(i), Type::Enum(id)) => schema.variant_name(*id, *i).to_string(),
        (Value::Enum(i), _) => i.to_string(),
        (Value::List(items), t) => {
            let inner = if let Type::List(inner) = t { inner.as_ref() } else { t };
            let parts: Vec<String> = items.iter().map(|v| display(v, inner, schema)).collect();
            parts.join(", ")
        }
        (Value::Record(fields), Type::Record(id)) => {
            let def = schema.record(*id);
            let parts: Vec<String> = fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    let fd = def.and_then(|d| d.fields.get(i))?;
                    f.as_ref().map(|v| format!("{}: {}", fd.name, display(v, &fd.ty, schema)))
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        (Value::Record(_), _) => "{..}".into(),
        (Value::Range { start, end, inclusive }, t) => {
            let inner = if let Type::Range(inner) = t { inner.as_ref() } else { t };
            format!(
                "{}{}{}",
                display(start, inner, schema),
                if *inclusive { "..=" } else { ".." },
                display(end, inner, schema)
            )
        }
    }
}
