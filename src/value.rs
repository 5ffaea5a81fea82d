//! Run-time values, used for parameters, scenario input and evaluation alike. The
//! static type of every value is known to the program, so values carry no type tag
//! beyond what evaluation needs.

use crate::number::Number;
use chrono::NaiveDate;
use std::sync::Arc;

/// The value at `path` in the parts of an input record (a part's index, then field
/// indices), when every record on the way and the field itself are there.
#[inline]
pub fn at_path<'v>(parts: &'v [Option<Value>], path: &[usize]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let mut v = parts.get(*first)?.as_ref()?;
    for i in rest {
        v = match v {
            Value::Record(fields) => fields.get(*i)?.as_ref()?,
            _ => return None,
        };
    }
    Some(v)
}

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
