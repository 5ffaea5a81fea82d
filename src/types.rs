//! Static types of the rule language, shared by the schema, parameters, checker and evaluator.

use std::fmt;
use std::sync::Arc;

pub type EnumId = usize;
pub type RecordId = usize;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Int,
    Decimal,
    Money(Arc<str>),
    Date,
    Days,
    Months,
    Str,
    Enum(EnumId),
    Record(RecordId),
    List(Box<Type>),
    Range(Box<Type>),
    /// The element type of an empty list literal: fits any list.
    Unknown,
}

impl Type {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Int | Type::Decimal)
    }

    /// The common type of two branches or list items, if any (`int` widens to `decimal`).
    pub fn unify(&self, other: &Type) -> Option<Type> {
        match (self, other) {
            (a, b) if a == b => Some(a.clone()),
            (Type::Unknown, b) => Some(b.clone()),
            (a, Type::Unknown) => Some(a.clone()),
            (Type::Int, Type::Decimal) | (Type::Decimal, Type::Int) => Some(Type::Decimal),
            (Type::List(a), Type::List(b)) => a.unify(b).map(|t| Type::List(Box::new(t))),
            _ => None,
        }
    }
}

/// Names of enums and records, for messages.
pub trait TypeNames {
    fn enum_name(&self, id: EnumId) -> &str;
    fn record_name(&self, id: RecordId) -> &str;
}

pub struct Display<'a, N: TypeNames>(pub &'a Type, pub &'a N);

impl<N: TypeNames> fmt::Display for Display<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Decimal => f.write_str("decimal"),
            Type::Money(c) => write!(f, "money({c})"),
            Type::Date => f.write_str("date"),
            Type::Days => f.write_str("days"),
            Type::Months => f.write_str("months"),
            Type::Str => f.write_str("string"),
            Type::Enum(id) => f.write_str(self.1.enum_name(*id)),
            Type::Record(id) => f.write_str(self.1.record_name(*id)),
            Type::List(t) => write!(f, "list<{}>", Display(t, self.1)),
            Type::Range(t) => write!(f, "range<{}>", Display(t, self.1)),
            Type::Unknown => f.write_str("anything"),
        }
    }
}
