//! The input schema: enumerations, record types and the parts of a scenario's
//! `input`, each field with its type, default and constraints.

use super::error::PackError;
use super::params::infer;
use super::toml_doc::{get, range, Node, TomlDoc, TomlValue};
use crate::number::Number;
use crate::source::{did_you_mean, SourceFile};
use crate::types::{EnumId, RecordId, Type, TypeNames};
use crate::value::Value;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RecordDef {
    pub name: String,
    pub fields: Vec<FieldDef>,
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    pub name: String,
    pub ty: Type,
    pub required: bool,
    pub default: Option<Value>,
    pub min: Option<Number>,
    pub max: Option<Number>,
    pub doc: String,
    /// Why the field is kept though no rule reads it (`kept = "..."`): no warning then.
    pub kept: Option<String>,
    pub span: Range<usize>,
    /// What the field holds when a scenario leaves it out: `None` when it must be
    /// written (it is required, or a part with required fields); otherwise its
    /// default, the defaults of a part that has some, or nothing. Worked out once,
    /// so that every scenario shares the same values.
    pub absent: Option<Option<Value>>,
}

/// The declared type of a parameter (a `[params]` table of schema.toml mirrors the
/// tables of params.toml).
#[derive(Debug, Clone)]
pub struct ParamDecl {
    /// Its dotted name below `params`, such as `delivery.window`.
    pub name: String,
    pub ty: Type,
    pub doc: String,
    /// Its key in schema.toml.
    pub span: Range<usize>,
}

/// The table of schema.toml that declares the parameters' types.
pub const PARAMS_TABLE: &str = "params";

#[derive(Debug, Clone)]
pub struct Schema {
    pub file: SourceFile,
    pub enums: Vec<EnumDef>,
    pub records: Vec<RecordDef>,
    /// The record whose fields are the parts of `input`.
    pub input: RecordId,
    /// Every parameter's declared type, in file order.
    pub params: Vec<ParamDecl>,
}

impl TypeNames for Schema {
    fn enum_name(&self, id: EnumId) -> &str {
        self.enums.get(id).map_or("?", |e| e.name.as_str())
    }
    fn record_name(&self, id: RecordId) -> &str {
        self.records.get(id).map_or("?", |r| r.name.as_str())
    }
}

impl Schema {
    pub fn record(&self, id: RecordId) -> Option<&RecordDef> {
        self.records.get(id)
    }

    pub fn variant(&self, id: EnumId, name: &str) -> Option<u32> {
        let e = self.enums.get(id)?;
        e.variants.iter().position(|v| v == name).and_then(|i| u32::try_from(i).ok())
    }

    pub fn variant_name(&self, id: EnumId, index: u32) -> &str {
        self.enums.get(id).and_then(|e| e.variants.get(index as usize)).map_or("?", |s| s.as_str())
    }

    pub fn load(doc: &TomlDoc, errors: &mut Vec<PackError>) -> Option<Schema> {
        doc.check_keys(&doc.root, &["enums", "records", "input", PARAMS_TABLE], "the schema", errors);
        let mut schema =
            Schema { file: doc.file.clone(), enums: Vec::new(), records: Vec::new(), input: 0, params: Vec::new() };
        if let Some(enums) = get(&doc.root, "enums").and_then(|n| doc.table(n, "`enums`", errors)) {
            for (k, node) in enums {
                let variants = match &node.value {
                    TomlValue::Array(items) if !items.is_empty() => items
                        .iter()
                        .filter_map(|i| doc.string(i, "an enumeration value", errors).map(str::to_string))
                        .collect(),
                    _ => {
                        errors.push(doc.invalid(
                            &node.span,
                            format!("enumeration `{}` must list its values", k.name),
                            "expected a non-empty array of strings",
                            None,
                        ));
                        continue;
                    }
                };
                schema.enums.push(EnumDef { name: k.name.clone(), variants });
            }
        }
        let records = get(&doc.root, "records").and_then(|n| doc.table(n, "`records`", errors));
        let input = get(&doc.root, "input").and_then(|n| doc.table(n, "`input`", errors));
        let Some(input) = input else {
            errors.push(PackError::MissingKey {
                key: "input".into(),
                context: "the schema".into(),
                src: doc.src(),
                span: (0, 0).into(),
            });
            return None;
        };
        // Names first, so records may refer to each other in any order.
        let mut bodies: Vec<(&str, &Node)> = Vec::new();
        for (k, node) in records.into_iter().flatten().chain(input.iter()) {
            if schema.records.iter().any(|r| r.name == k.name) || schema.enums.iter().any(|e| e.name == k.name) {
                errors.push(doc.invalid(
                    &k.span,
                    format!("`{}` is declared twice", k.name),
                    "second declaration",
                    None,
                ));
                continue;
            }
            schema.records.push(RecordDef { name: k.name.clone(), fields: Vec::new() });
            bodies.push((k.name.as_str(), node));
        }
        for (id, (_, node)) in bodies.iter().enumerate() {
            let Some(t) = doc.table(node, "a record", errors) else {
                continue;
            };
            let fields = t.iter().filter_map(|(k, f)| schema.field(doc, &k.name, k.span.clone(), f, errors)).collect();
            if let Some(r) = schema.records.get_mut(id) {
                r.fields = fields;
            }
        }
        let parts = input
            .iter()
            .filter_map(|(k, _)| {
                let id = schema.records.iter().position(|r| r.name == k.name)?;
                Some(FieldDef {
                    name: k.name.clone(),
                    ty: Type::Record(id),
                    required: false,
                    default: None,
                    min: None,
                    max: None,
                    doc: String::new(),
                    kept: None,
                    span: k.span.clone(),
                    absent: Some(None),
                })
            })
            .collect();
        schema.input = schema.records.len();
        schema.records.push(RecordDef { name: "input".into(), fields: parts });
        let absent: Vec<Vec<Option<Option<Value>>>> =
            schema.records.iter().map(|r| r.fields.iter().map(|f| schema.when_absent(f)).collect()).collect();
        for (record, absent) in schema.records.iter_mut().zip(absent) {
            for (field, absent) in record.fields.iter_mut().zip(absent) {
                field.absent = absent;
            }
        }
        if let Some(params) = get(&doc.root, PARAMS_TABLE).and_then(|n| doc.table(n, "`params`", errors)) {
            let mut decls = Vec::new();
            schema.param_decls(doc, params, "", errors, &mut decls);
            schema.params = decls;
        }
        Some(schema)
    }

    /// See [`FieldDef::absent`].
    fn when_absent(&self, def: &FieldDef) -> Option<Option<Value>> {
        if let Some(d) = &def.default {
            return Some(Some(d.clone()));
        }
        let part = match &def.ty {
            Type::Record(rid) => self.record(*rid),
            _ => None,
        };
        if def.required || part.is_some_and(|p| p.fields.iter().any(|f| f.required)) {
            return None;
        }
        Some(
            part.filter(|p| p.fields.iter().any(|f| f.default.is_some()))
                .map(|p| Value::Record(p.fields.iter().map(|f| f.default.clone()).collect())),
        )
    }

    fn field(
        &self,
        doc: &TomlDoc,
        name: &str,
        span: Range<usize>,
        node: &Node,
        errors: &mut Vec<PackError>,
    ) -> Option<FieldDef> {
        let mut f = FieldDef {
            name: name.to_string(),
            ty: Type::Unknown,
            required: false,
            default: None,
            min: None,
            max: None,
            doc: String::new(),
            kept: None,
            span,
            absent: Some(None),
        };
        let type_node = match &node.value {
            TomlValue::Str(_) => node,
            TomlValue::Table(t) => {
                doc.check_keys(
                    t,
                    &["type", "required", "default", "min", "max", "doc", "kept"],
                    &format!("field `{name}`"),
                    errors,
                );
                for (k, v) in t {
                    match (k.name.as_str(), &v.value) {
                        ("required", TomlValue::Bool(b)) => f.required = *b,
                        ("doc", TomlValue::Str(s)) => f.doc = s.clone(),
                        ("kept", TomlValue::Str(s)) => f.kept = Some(s.clone()),
                        ("min" | "max", _) => {
                            let n = infer(doc, v, errors).and_then(|p| {
                                if let Value::Num(n) = p.value {
                                    Some(n)
                                } else {
                                    None
                                }
                            });
                            match n {
                                Some(n) if k.name == "min" => f.min = Some(n),
                                Some(n) => f.max = Some(n),
                                None => errors.push(doc.invalid(
                                    &v.span,
                                    format!("`{}` must be a number", k.name),
                                    "not a number",
                                    None,
                                )),
                            }
                        }
                        ("type" | "default", _) => {}
                        (other, _) => errors.push(doc.invalid(
                            &v.span,
                            format!("`{other}` has the wrong type"),
                            v.value.kind(),
                            None,
                        )),
                    }
                }
                match get(t, "type") {
                    Some(n) => n,
                    None => {
                        errors.push(PackError::MissingKey {
                            key: "type".into(),
                            context: format!("field `{name}`"),
                            src: doc.src(),
                            span: range(node.span.clone()),
                        });
                        return None;
                    }
                }
            }
            other => {
                errors.push(doc.invalid(
                    &node.span,
                    format!("field `{name}` needs a type"),
                    format!("found {}", other.kind()),
                    Some("write `name = \"type\"` or `name = { type = \"type\", default = ... }`".into()),
                ));
                return None;
            }
        };
        let type_text = doc.string(type_node, "a type", errors)?;
        match self.parse_type(type_text) {
            Some(ty) => f.ty = ty,
            None => {
                errors.push(PackError::UnknownType {
                    name: type_text.to_string(),
                    src: doc.src(),
                    span: range(type_node.span.clone()),
                    help: did_you_mean(type_text, self.type_names().iter().map(String::as_str)),
                });
                // Kept with an unknown type, so that rules reading it report nothing more.
                return Some(f);
            }
        }
        if let TomlValue::Table(t) = &node.value {
            if let Some(d) = get(t, "default") {
                f.default = self.default_value(doc, d, &f.ty, name, errors);
            }
        }
        Some(f)
    }

    /// The declarations of a table of `[params]` and of the tables inside it. A
    /// table with a `type` key is one declaration (`{ type = "days", doc = "..." }`).
    fn param_decls(
        &self,
        doc: &TomlDoc,
        table: &[(super::Key, Node)],
        prefix: &str,
        errors: &mut Vec<PackError>,
        out: &mut Vec<ParamDecl>,
    ) {
        for (k, node) in table {
            let name = if prefix.is_empty() { k.name.clone() } else { format!("{prefix}.{}", k.name) };
            if prefix.is_empty() && k.name == super::params::CALENDAR_TABLE {
                errors.push(doc.invalid(
                    &k.span,
                    "`calendar` sets the engine's conventions and is not a parameter",
                    "not declared here",
                    Some("remove this table: `[calendar]` in params.toml needs no declaration".into()),
                ));
                continue;
            }
            let (type_node, text) = match &node.value {
                TomlValue::Str(text) => (node, text.as_str()),
                TomlValue::Table(t) => match get(t, "type") {
                    Some(n @ Node { value: TomlValue::Str(text), .. }) => {
                        doc.check_keys(t, &["type", "doc"], &format!("parameter `{name}`"), errors);
                        (n, text.as_str())
                    }
                    _ => {
                        self.param_decls(doc, t, &name, errors, out);
                        continue;
                    }
                },
                other => {
                    errors.push(doc.invalid(
                        &node.span,
                        format!("parameter `{name}` needs a type"),
                        format!("found {}", other.kind()),
                        Some(format!("write `{} = \"days\"`, or a table of parameters", k.name)),
                    ));
                    continue;
                }
            };
            let ty = match self.parse_type(text) {
                Some(ty) if plain(&ty) => ty,
                Some(_) => {
                    errors.push(
                        doc.invalid(
                            &type_node.span,
                            format!("parameter `{name}` cannot be a record"),
                            "not a plain type",
                            Some(
                                "a parameter is a bool, int, decimal, money(XXX), date, days, months, string, an \
                             enumeration, or a list of one of these"
                                    .into(),
                            ),
                        ),
                    );
                    continue;
                }
                None => {
                    errors.push(PackError::UnknownType {
                        name: text.to_string(),
                        src: doc.src(),
                        span: range(type_node.span.clone()),
                        help: did_you_mean(text, self.type_names().iter().map(String::as_str)),
                    });
                    // Kept with an unknown type: its value is then read by its form.
                    Type::Unknown
                }
            };
            let doc_text = match &node.value {
                TomlValue::Table(t) => get(t, "doc").and_then(|d| doc.string(d, "`doc`", errors)).unwrap_or(""),
                _ => "",
            };
            out.push(ParamDecl { name, ty, doc: doc_text.to_string(), span: k.span.clone() });
        }
    }

    /// The names a type may be written with: the built-in ones, the enumerations and
    /// the records.
    pub fn type_names(&self) -> Vec<String> {
        let builtin = ["bool", "int", "decimal", "date", "days", "months", "string"];
        builtin
            .iter()
            .map(|s| s.to_string())
            .chain(self.enums.iter().map(|e| e.name.clone()))
            .chain(self.records.iter().map(|r| r.name.clone()))
            .collect()
    }

    /// `int`, `list<item>`, `money(USD)`, an enumeration or a record name.
    pub fn parse_type(&self, text: &str) -> Option<Type> {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return Some(Type::List(Box::new(self.parse_type(inner)?)));
        }
        if let Some(cur) = t.strip_prefix("money(").and_then(|r| r.strip_suffix(')')) {
            return (cur.len() == 3 && cur.bytes().all(|b| b.is_ascii_uppercase()))
                .then(|| Type::Money(Arc::from(cur)));
        }
        Some(match t {
            "bool" => Type::Bool,
            "int" => Type::Int,
            "decimal" => Type::Decimal,
            "date" => Type::Date,
            "days" => Type::Days,
            "months" => Type::Months,
            "string" => Type::Str,
            name => {
                if let Some(i) = self.enums.iter().position(|e| e.name == name) {
                    Type::Enum(i)
                } else {
                    Type::Record(self.records.iter().position(|r| r.name == name)?)
                }
            }
        })
    }

    fn default_value(
        &self,
        doc: &TomlDoc,
        node: &Node,
        ty: &Type,
        field: &str,
        errors: &mut Vec<PackError>,
    ) -> Option<Value> {
        if matches!(ty, Type::Record(_)) {
            errors.push(doc.invalid(&node.span, "a record field has no default", "not allowed", None));
            return None;
        }
        super::fit::fit(doc, node, ty, self, &format!("the default of `{field}`"), errors).map(|(v, _)| v)
    }
}

/// Whether a parameter may have this type: no record, at any depth.
fn plain(ty: &Type) -> bool {
    match ty {
        Type::Record(_) | Type::Range(_) => false,
        Type::List(inner) => plain(inner),
        _ => true,
    }
}
