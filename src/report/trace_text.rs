//! Words for the pieces of a trace: expression texts with their values, and the
//! changes that would lift a denial. Shared by `explain` and failing tests.

use crate::ast::Span;
use crate::program::display;
use crate::program::Program;
use crate::trace::{Change, Relation, Shown};
use crate::types::Type;
use crate::value::Value;

/// The rule text of `span` in source file `file`, on one line.
pub fn expr_text(program: &Program, file: usize, span: Span) -> String {
    let text = program.sources.get(file).and_then(|f| f.text.get(span.start..span.end)).unwrap_or("?");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value as a reader reads it: strings quoted, lists bracketed.
pub fn value_text(program: &Program, value: &Value, ty: &Type) -> String {
    match (value, ty) {
        (Value::Str(s), _) => format!("\"{s}\""),
        (Value::List(items), Type::List(inner)) => {
            let parts: Vec<String> = items.iter().map(|v| value_text(program, v, inner)).collect();
            format!("[{}]", parts.join(", "))
        }
        _ => display(value, ty, &program.schema),
    }
}

/// `text = value`.
pub fn shown_text(program: &Program, file: usize, s: &Shown) -> String {
    format!("{} = {}", expr_text(program, file, s.span), value_text(program, &s.value, &s.ty))
}

/// The values a condition read, each once (a name read twice reads the same value).
pub fn shown_list(program: &Program, file: usize, values: &[Shown]) -> String {
    let mut seen = std::collections::HashSet::new();
    let texts: Vec<String> =
        values.iter().map(|s| shown_text(program, file, s)).filter(|t| seen.insert(t.clone())).collect();
    texts.join(", ")
}

fn is_quantity(ty: &Type) -> bool {
    matches!(ty, Type::Int | Type::Decimal | Type::Money(_) | Type::Days | Type::Months)
}

/// How a relation reads before its target: `on or after 2021-09-02`, `at most 15`.
fn relation_words(relation: Relation, target: Option<&Shown>) -> &'static str {
    let ty = target.map(|t| &t.ty);
    let date = ty == Some(&Type::Date);
    let quantity = ty.is_some_and(is_quantity);
    let range = target.is_some_and(|t| matches!(t.value, Value::Range { .. }));
    match relation {
        Relation::Lt if date => "before",
        Relation::Le if date => "on or before",
        Relation::Gt if date => "after",
        Relation::Ge if date => "on or after",
        Relation::Eq if date => "on",
        Relation::Ne if date => "not on",
        Relation::Lt if quantity => "less than",
        Relation::Le if quantity => "at most",
        Relation::Gt if quantity => "more than",
        Relation::Ge if quantity => "at least",
        Relation::Lt => "<",
        Relation::Le => "<=",
        Relation::Gt => ">",
        Relation::Ge => ">=",
        Relation::Eq => "is",
        Relation::Ne => "is not",
        Relation::In if range => "within",
        Relation::NotIn if range => "outside",
        Relation::In => "one of",
        Relation::NotIn => "not one of",
        Relation::Present => "given",
        Relation::Absent => "absent",
        Relation::Holds => "holds",
        Relation::Fails => "does not hold",
    }
}

/// One change in words: "`as_of` on or after 2021-09-02 (`opens_on`)".
pub fn change_text(program: &Program, file: usize, c: &Change) -> String {
    let subject = expr_text(program, file, c.subject);
    let words = relation_words(c.relation, c.target.as_ref());
    let Some(t) = &c.target else {
        return format!("`{subject}` {words}");
    };
    let value = value_text(program, &t.value, &t.ty);
    match c.target_from {
        Some(from) => format!("`{subject}` {words} {value} (`{}`)", expr_text(program, file, from)),
        None => format!("`{subject}` {words} {value}"),
    }
}

/// A set of changes that together lift a denial.
pub fn way_text(program: &Program, file: usize, way: &[Change]) -> String {
    way.iter().map(|c| change_text(program, file, c)).collect::<Vec<_>>().join(" and ")
}
