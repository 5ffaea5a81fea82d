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
