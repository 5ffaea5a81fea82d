//! What a pack declares and no rule reads: parameters of params.toml and fields of
//! the schema. Warnings of `check`: a value nothing reads is dead weight a reviewer
//! still has to read, or the sign of a rule that forgot it.

use super::error::CheckError;
use crate::pack::Pack;
use crate::program::Rule;
use crate::types::Type;
use std::collections::HashSet;

pub(super) fn warnings(pack: &Pack, rules: &[Rule], fields_read: &HashSet<(usize, usize)>) -> Vec<CheckError> {
    let read: HashSet<&str> = rules.iter().flat_map(|r| r.params.iter().map(String::as_str)).collect();
    let mut out: Vec<CheckError> = pack
        .params
        .flatten()
        .into_iter()
        .filter(|(name, _)| !read.contains(name.as_str()))
        .map(|(name, p)| CheckError::UnusedParam {
            help: Some(format!("remove it, or read it in a rule as `params.{name}`")),
            name,
            src: pack.params.file.named(),
            span: (p.span.start, p.span.len()).into(),
        })
        .collect();
    out.extend(unread_fields(pack, fields_read));
    out
}

/// The fields no rule reads, each reported once where it is highest: a part no rule
/// reads, not also each of its fields; a record reached only through fields no rule
/// reads is not looked into.
fn unread_fields(pack: &Pack, fields_read: &HashSet<(usize, usize)>) -> Vec<CheckError> {
    let schema = &pack.schema;
    let mut out = Vec::new();
    let mut seen = HashSet::from([schema.input]);
    let mut queue = vec![schema.input];
    while let Some(rid) = queue.pop() {
        let Some(record) = schema.record(rid) else { continue };
        for (i, field) in record.fields.iter().enumerate() {
            if field.kept.is_some() {
                // Kept as a whole, with whatever it holds.
                continue;
            }
            if fields_read.contains(&(rid, i)) {
                if let Some(inner) = record_of(&field.ty).filter(|r| seen.insert(*r)) {
                    queue.push(inner);
                }
                continue;
            }
            let name = if rid == schema.input { field.name.clone() } else { format!("{}.{}", record.name, field.name) };
            out.push(CheckError::UnusedField {
                help: Some(format!(
                    "remove `{name}` from schema.toml, read it in a rule, or say why it is kept: `kept = \"...\"`"
                )),
                field: name,
                src: schema.file.named(),
                span: (field.span.start, field.span.len()).into(),
            });
        }
    }
    // In file order, whatever order the records were reached in.
    out.sort_by_key(|e| match e {
        CheckError::UnusedField { span, .. } => span.offset(),
        _ => 0,
    });
    out
}

fn record_of(ty: &Type) -> Option<usize> {
    match ty {
        Type::Record(r) => Some(*r),
        Type::List(inner) => record_of(inner),
        _ => None,
    }
}
