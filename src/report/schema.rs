//! `entitle schema`: a JSON Schema (2020-12) of the pack's scenario files, for
//! editors: the YAML language server validates and completes a scenario file that
//! names it (`# yaml-language-server: $schema=...`). It says what entitle's typing
//! says: the input's fields with their types, values, defaults and meanings, and
//! `expect` with the pack's rule ids and outputs.

use crate::pack::{FieldDef, Schema};
use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use serde_json::{json, Map, Value as Json};

const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const NUMBER: &str = "-?[0-9]+(\\.[0-9]+)?";

/// The schema of a scenario file of `program`: one scenario (a YAML document, a
/// JSON Lines line) or a JSON array of them.
pub fn scenario_schema(program: &Program) -> Json {
    let schema = &program.schema;
    let mut defs = Map::new();
    for (id, record) in schema.records.iter().enumerate() {
        defs.insert(record_ref_name(schema, id), record_schema(schema, &record.fields));
    }
    // Versions of a rule share its id.
    let mut seen = std::collections::HashSet::new();
    let rule_ids: Vec<&str> = program.rules.iter().map(|r| r.id.as_str()).filter(|id| seen.insert(*id)).collect();
    let ids = json!({"type": "array", "items": {"enum": rule_ids}});
    let outputs: Map<String, Json> =
        program.outputs.iter().map(|o| (o.name.clone(), value_schema(schema, &o.ty))).collect();
    let output_names: Vec<&str> = program.outputs.iter().map(|o| o.name.as_str()).collect();
    defs.insert(
        "expect".into(),
        json!({
            "type": "object",
            "description": "the outcome the scenario must have",
            "additionalProperties": false,
            "properties": {
                "decision": {"enum": ["allow", "deny"]},
                "denied_by": ids.clone(),
                "warnings": ids.clone(),
                "notes": ids,
                "outputs": {"type": "object", "additionalProperties": false, "properties": outputs},
                "absent_outputs": {"type": "array", "items": {"enum": output_names}},
            },
        }),
    );
    defs.insert(
        "scenario".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["scenario", "as_of", "input"],
            "properties": {
                "scenario": {"type": "string", "description": "the scenario's name, unique in its file"},
                "as_of": {"type": "string", "pattern": DATE, "description": "the day it is decided on (YYYY-MM-DD)"},
                "input": {"$ref": format!("#/$defs/{}", record_ref_name(schema, schema.input))},
                "expect": {"$ref": "#/$defs/expect"},
            },
        }),
    );
    let (name, version) = (&program.manifest.name, &program.manifest.version);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("scenarios of {name} {version}"),
        "anyOf": [
            {"$ref": "#/$defs/scenario"},
            {"type": "array", "items": {"$ref": "#/$defs/scenario"}},
        ],
        "$defs": defs,
    })
}

fn record_ref_name(schema: &Schema, id: usize) -> String {
    format!("record.{}", schema.records.get(id).map_or("?", |r| r.name.as_str()))
}

fn record_schema(schema: &Schema, fields: &[FieldDef]) -> Json {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in fields {
        let mut p = value_schema(schema, &f.ty);
        if let Json::Object(o) = &mut p {
            if !f.doc.is_empty() {
                o.insert("description".into(), f.doc.clone().into());
            }
            if let Some(d) = &f.default {
                o.insert("default".into(), written(d, &f.ty, schema));
            }
            if let Some(min) = f.min {
                o.insert("minimum".into(), number(min));
            }
            if let Some(max) = f.max {
                o.insert("maximum".into(), number(max));
            }
        }
        properties.insert(f.name.clone(), p);
        if f.absent.is_none() {
            required.push(f.name.clone());
        }
    }
    json!({"type": "object", "additionalProperties": false, "properties": properties, "required": required})
}

fn number(n: crate::number::Number) -> Json {
    serde_json::from_str(&n.to_decimal_string(9)).unwrap_or(Json::Null)
}

/// A value as a scenario writes it.
fn written(v: &Value, ty: &Type, schema: &Schema) -> Json {
    match (v, ty) {
        (Value::Bool(b), _) => Json::Bool(*b),
        (Value::Num(n), Type::Int | Type::Decimal) => number(*n),
        (Value::List(items), Type::List(inner)) => {
            Json::Array(items.iter().map(|i| written(i, inner, schema)).collect())
        }
        (other, ty) => Json::String(crate::program::display(other, ty, schema)),
    }
}

/// What a value of `ty` may be written as in a scenario file.
fn value_schema(schema: &Schema, ty: &Type) -> Json {
    match ty {
        Type::Bool => json!({"type": "boolean"}),
        Type::Int => json!({"type": "integer"}),
        Type::Decimal => json!({"type": "number"}),
        Type::Money(c) => json!({"anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": format!("^{NUMBER} *{c}$")},
        ]}),
        Type::Date => json!({"type": "string", "pattern": DATE}),
        Type::Days => json!({"type": "string", "pattern": format!("^{NUMBER} +(day|days|week|weeks)$")}),
        Type::Months => json!({"type": "string", "pattern": format!("^{NUMBER} +(month|months|year|years)$")}),
        // Any scalar is read as its text.
        Type::Str => json!({"type": ["string", "number", "boolean"]}),
        Type::Enum(id) => {
            let variants = schema.enums.get(*id).map(|e| e.variants.clone()).unwrap_or_default();
            json!({"enum": variants})
        }
        Type::Record(id) => json!({"$ref": format!("#/$defs/{}", record_ref_name(schema, *id))}),
        Type::List(inner) => json!({"type": "array", "items": value_schema(schema, inner)}),
        Type::Range(_) | Type::Unknown => json!({}),
    }
}
