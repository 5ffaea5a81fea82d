//! Typing an input record straight from a `serde_json::Value`, for the common case
//! where it is right: no tree of nodes, no text. Anything it is not sure of (a
//! problem, or a value whose reading needs the scenario typer's care, such as money
//! or a float) gives `None`, and the caller types the input the full way, which
//! reports what is wrong. Both ways give the same values (a test compares them on
//! every example).

use crate::calendar;
use crate::number::Number;
use crate::pack::FieldDef;
use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use serde_json::Value as Json;

/// The parts of the input record, in the schema's order, when `value` is a right
/// input that this path can read.
pub fn input(value: &Json, program: &Program) -> Option<Vec<Option<Value>>> {
    let schema = &program.schema;
    let root = schema.record(schema.input)?;
    record(value, &root.fields, program, 0)
}

/// A record's fields in the schema's order, collected straight into `C` (the input's
/// vector, or a nested record's shared slice: one allocation either way).
fn record<C: FromIterator<Option<Value>>>(
    value: &Json,
    fields: &[FieldDef],
    program: &Program,
    depth: usize,
) -> Option<C> {
    let Json::Object(members) = value else { return None };
    if depth > super::MAX_DEPTH {
        return None;
    }
    let (mut ok, mut found) = (true, 0);
    // A map over the fields has a known length: collecting it allocates once.
    let parts: C = fields
        .iter()
        .map(|def| {
            if !ok {
                return None;
            }
            let field = match members.get(&def.name) {
                None => def.absent.clone(),
                Some(v) => {
                    found += 1;
                    typed(v, &def.ty, program, depth + 1).filter(|t| within(t, def)).map(Some)
                }
            };
            field.unwrap_or_else(|| {
                ok = false;
                None
            })
        })
        .collect();
    // A key the schema does not know is an error the full way reports.
    (ok && found == members.len()).then_some(parts)
}

/// Whether a number keeps to its field's bounds.
pub(super) fn within(value: &Value, def: &FieldDef) -> bool {
    match value {
        Value::Num(n) => !(def.min.is_some_and(|min| *n < min) || def.max.is_some_and(|max| *n > max)),
        _ => true,
    }
}

fn typed(value: &Json, ty: &Type, program: &Program, depth: usize) -> Option<Value> {
    match (ty, value) {
        (Type::Record(rid), _) => {
            let fields = &program.schema.record(*rid)?.fields;
            record(value, fields, program, depth).map(Value::Record)
        }
        (Type::List(inner), Json::Array(items)) => {
            if depth > super::MAX_DEPTH {
                return None;
            }
            let items: Option<Vec<Value>> = items.iter().map(|i| typed(i, inner, program, depth + 1)).collect();
            items.map(|items| Value::List(items.into()))
        }
        (Type::Bool, Json::Bool(b)) => Some(Value::Bool(*b)),
        (Type::Int | Type::Decimal, Json::Number(n)) => n.as_i64().map(|i| Value::Num(Number::from_int(i))),
        (Type::Date, Json::String(s)) => calendar::parse_date(s).ok().map(Value::Date),
        (Type::Str, Json::String(s)) => Some(Value::Str(s.as_str().into())),
        (Type::Enum(id), Json::String(s)) => program.schema.variant(*id, s).map(Value::Enum),
        _ => None,
    }
}
