//! Hover, go to definition and completion: what the name under the cursor is in the
//! pack (a parameter, an input field, an output, a rule id, a built-in, a value of
//! an enumeration), read from the compiled program and the pack's spans.

use super::position::Lines;
use super::uri;
use super::workspace::{Kind, Loaded};
use crate::pack::{FieldDef, ParamNode};
use crate::program::Program;
use crate::types::{Display, Type};
use lsp_types::{CompletionItem, CompletionItemKind, Location, Range};
use std::path::Path;

/// The dotted name around `offset` (a path such as `order.kind`, `params.a.b`, or a
/// rule id such as `ORDER-LIMIT`).
pub fn word_at(text: &str, offset: usize) -> &str {
    // `#` joins a citation's document and anchor (`000#membership`).
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '#');
    let start = text.get(..offset).map_or(0, |s| s.rfind(|c| !is_word(c)).map_or(0, |i| i + 1));
    let end = text.get(offset..).map_or(offset, |s| s.find(|c| !is_word(c)).map_or(text.len(), |i| offset + i));
    text.get(start..end).unwrap_or("").trim_matches(|c| c == '.' || c == '-' || c == '#')
}

/// What a name is, with where it is declared.
enum Found<'p> {
    Param {
        name: String,
        ty: String,
        value: String,
        doc: String,
        at: Option<(String, usize, usize)>,
    },
    Field {
        path: String,
        def: &'p FieldDef,
    },
    Output {
        name: String,
        ty: String,
        writers: Vec<String>,
        at: Option<(usize, usize, usize)>,
    },
    Rule {
        index: usize,
    },
    Builtin(&'static str),
    Variant {
        value: String,
        enumeration: String,
    },
    /// A citation (`000#membership`) of a source document the pack carries.
    Citation {
        document: &'p crate::citation::Document,
        section: Option<&'p crate::citation::Section>,
    },
}

fn find<'p>(loaded: &'p Loaded, program: &'p Program, word: &str) -> Option<Found<'p>> {
    if let Some((id, anchor)) = word.split_once('#') {
        let document = program.documents.iter().find(|d| d.id == id)?;
        return Some(Found::Citation { document, section: document.section(anchor) });
    }
    if let Some(rest) = word.strip_prefix("params.") {
        let param = program.params.iter().find(|p| p.name == rest)?;
        let decl = program.schema.params.iter().find(|d| d.name == rest);
        let at = loaded.pack.as_ref().and_then(|pack| {
            let (_, p) = pack.params.flatten().into_iter().find(|(n, _)| n == rest)?;
            Some((pack.params.file.name.to_string(), p.span.start, p.span.end))
        });
        let comment = loaded
            .pack
            .as_ref()
            .map_or(String::new(), |pack| comment_above(&pack.params.file.text, at.as_ref().map_or(0, |a| a.1)));
        let doc = [decl.map(|d| d.doc.clone()).unwrap_or_default(), comment]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        return Some(Found::Param {
            name: rest.to_string(),
            ty: Display(&param.ty, &program.schema).to_string(),
            value: program.param_text(param),
            doc,
            at,
        });
    }
    if let Some(index) = program.rules.iter().position(|r| r.id == word) {
        return Some(Found::Rule { index });
    }
    let segments: Vec<&str> = word.split('.').collect();
    let schema = &program.schema;
    if let Some(first) = segments.first() {
        let parts = schema.record(schema.input).map(|r| r.fields.as_slice()).unwrap_or_default();
        if let Some(mut def) = parts.iter().find(|p| p.name == *first) {
            for seg in segments.iter().skip(1) {
                let Type::Record(rid) = &def.ty else { break };
                match schema.record(*rid).and_then(|r| r.fields.iter().find(|f| f.name == *seg)) {
                    Some(f) => def = f,
                    None => break,
                }
            }
            return Some(Found::Field { path: word.to_string(), def });
        }
    }
    if let Some(o) = program.outputs.iter().find(|o| o.name == word) {
        let writers = o.writers.iter().filter_map(|w| program.rules.get(*w).map(|r| r.id.clone())).collect();
        let at = o.writers.first().and_then(|w| program.rules.get(*w)).map(|r| (r.file, o.span.start, o.span.end));
        return Some(Found::Output { name: o.name.clone(), ty: Display(&o.ty, schema).to_string(), writers, at });
    }
    if let Some((_, _, signature)) = crate::check::BUILTINS.iter().find(|(n, _, _)| *n == word) {
        return Some(Found::Builtin(signature));
    }
    schema
        .enums
        .iter()
        .find(|e| e.variants.iter().any(|v| v == word))
        .map(|e| Found::Variant { value: word.to_string(), enumeration: e.name.clone() })
}

/// The `#` comment lines right above `offset`'s line in a TOML text.
fn comment_above(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or("");
    // The lines before the one `offset` is on.
    let lines: Vec<&str> = before.get(..before.rfind('\n').map_or(0, |i| i + 1)).unwrap_or("").lines().collect();
    let mut out: Vec<&str> = lines
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    out.reverse();
    out.join(" ")
}

pub fn hover(loaded: &Loaded, word: &str) -> Option<String> {
    let program = loaded.engine.as_ref().ok()?.program();
    Some(match find(loaded, program, word)? {
        Found::Param { name, ty, value, doc, .. } => format!("`params.{name}`: {ty} = {value}\n\n{doc}"),
        Found::Field { path, def } => {
            let ty = Display(&def.ty, &program.schema);
            let default = def.default.as_ref().map_or(String::new(), |d| {
                format!(", default {}", crate::program::display(d, &def.ty, &program.schema))
            });
            let required = if def.required { ", required" } else { "" };
            format!("`{path}`: {ty}{default}{required}\n\n{}", def.doc)
        }
        Found::Output { name, ty, writers, .. } => format!("output `{name}`: {ty}, written by {}", writers.join(", ")),
        Found::Rule { index } => {
            let r = program.rules.get(index)?;
            // Every version of the rule, by its days.
            let days: Vec<String> = program
                .rules
                .iter()
                .filter(|v| v.id == r.id)
                .filter_map(|v| v.in_force.map(|p| p.to_string()))
                .collect();
            let in_force = if days.is_empty() { String::new() } else { format!("\n\nin force {}", days.join("; ")) };
            format!("**{}** {}\n\ncites `{}`{in_force}\n\n{}", r.id, r.title, r.cites, r.doc.join("\n"))
        }
        Found::Builtin(signature) => format!("`{signature}`"),
        Found::Variant { value, enumeration } => format!("`{value}`: a value of the enumeration `{enumeration}`"),
        Found::Citation { document, section } => {
            let section = section?;
            let (text, cut) = crate::citation::passage(document, Some(section));
            let more = if cut { "\n\n…" } else { "" };
            format!("**{} § {}**\n\n{text}{more}", document.id, section.title)
        }
    })
}

pub fn definition(loaded: &Loaded, word: &str) -> Option<Location> {
    let program = loaded.engine.as_ref().ok()?.program();
    let (file, text, start, end) = match find(loaded, program, word)? {
        Found::Param { at: Some((file, start, end)), .. } => {
            let text = loaded.pack.as_ref()?.params.file.text.clone();
            (file, text, start, end)
        }
        Found::Field { def, .. } => {
            let schema = &program.schema.file;
            (schema.name.to_string(), schema.text.clone(), def.span.start, def.span.end)
        }
        Found::Output { at: Some((file, start, end)), .. } => {
            let source = program.sources.get(file)?;
            (source.name.to_string(), source.text.clone(), start, end)
        }
        Found::Rule { index } => {
            let rule = program.rules.get(index)?;
            let source = program.sources.get(rule.file)?;
            (source.name.to_string(), source.text.clone(), rule.id_span.start, rule.id_span.end)
        }
        Found::Citation { document, section } => {
            let span = section.map_or(0..0, |s| s.span.start..s.span.start);
            (document.file.name.to_string(), document.file.text.clone(), span.start, span.end)
        }
        _ => return None,
    };
    let lines = Lines::new(&text);
    Some(Location {
        uri: uri::from_path(Path::new(&file))?,
        range: Range { start: lines.position(start), end: lines.position(end) },
    })
}

pub fn completion(loaded: &Loaded, kind: Kind, before: &str) -> Vec<CompletionItem> {
    let Ok(engine) = &loaded.engine else { return Vec::new() };
    let program = engine.program();
    let item = |label: &str, kind: CompletionItemKind, detail: String| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        ..CompletionItem::default()
    };
    let variants = || {
        program.schema.enums.iter().flat_map(move |e| {
            e.variants.iter().map(move |v| item(v, CompletionItemKind::ENUM_MEMBER, format!("a value of `{}`", e.name)))
        })
    };
    match kind {
        Kind::Scenarios(_) => program
            .rules
            .iter()
            .map(|r| item(&r.id, CompletionItemKind::CONSTANT, r.title.clone()))
            .chain(program.outputs.iter().map(|o| item(&o.name, CompletionItemKind::FIELD, "an output".into())))
            .chain(variants())
            .collect(),
        Kind::Rules => {
            let typed =
                before.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).next().unwrap_or("");
            match typed.rsplit_once('.') {
                Some((parent, _)) => members(loaded, program, parent),
                None => crate::check::BUILTINS
                    .iter()
                    .map(|(name, _, signature)| item(name, CompletionItemKind::FUNCTION, (*signature).to_string()))
                    .chain(input_parts(program).map(|p| {
                        item(&p.name, CompletionItemKind::MODULE, Display(&p.ty, &program.schema).to_string())
                    }))
                    .chain(
                        program.outputs.iter().map(|o| item(&o.name, CompletionItemKind::VARIABLE, "an output".into())),
                    )
                    .chain([
                        item("params", CompletionItemKind::MODULE, "the parameters".into()),
                        item("as_of", CompletionItemKind::VARIABLE, "the day decided on".into()),
                    ])
                    .chain(variants())
                    .collect(),
            }
        }
        _ => Vec::new(),
    }
}

fn input_parts(program: &Program) -> impl Iterator<Item = &FieldDef> {
    program.schema.record(program.schema.input).map(|r| r.fields.as_slice()).unwrap_or_default().iter()
}

/// What may follow `parent.`: the keys of a table of parameters, or the fields of a
/// record.
fn members(loaded: &Loaded, program: &Program, parent: &str) -> Vec<CompletionItem> {
    let item = |label: &str, kind: CompletionItemKind, detail: String| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        ..CompletionItem::default()
    };
    let schema = &program.schema;
    let mut segments = parent.split('.');
    let first = segments.next().unwrap_or("");
    if first == crate::check::PARAMS {
        let Some(pack) = &loaded.pack else { return Vec::new() };
        let mut level = pack.params.root.as_slice();
        for seg in segments {
            match level.iter().find(|(k, _)| k.name == seg) {
                Some((_, ParamNode::Table(t))) => level = t,
                _ => return Vec::new(),
            }
        }
        return level
            .iter()
            .map(|(k, node)| match node {
                ParamNode::Table(_) => item(&k.name, CompletionItemKind::MODULE, "a table of parameters".into()),
                ParamNode::Leaf(p) => item(
                    &k.name,
                    CompletionItemKind::CONSTANT,
                    format!("{} = {}", Display(&p.ty, schema), crate::program::display(&p.value, &p.ty, schema)),
                ),
            })
            .collect();
    }
    let Some(mut def) = input_parts(program).find(|p| p.name == first) else { return Vec::new() };
    for seg in segments {
        let Type::Record(rid) = &def.ty else { return Vec::new() };
        match schema.record(*rid).and_then(|r| r.fields.iter().find(|f| f.name == seg)) {
            Some(f) => def = f,
            None => return Vec::new(),
        }
    }
    let Type::Record(rid) = &def.ty else { return Vec::new() };
    schema
        .record(*rid)
        .map(|r| {
            r.fields
                .iter()
                .map(|f| item(&f.name, CompletionItemKind::FIELD, Display(&f.ty, schema).to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_under_the_cursor_is_a_whole_path_or_rule_id() {
        let text = "when order.kind == express and x in [ORDER-LIMIT]";
        assert_eq!(word_at(text, text.find("kind").unwrap_or(0) + 1), "order.kind");
        assert_eq!(word_at(text, text.find("LIMIT").unwrap_or(0)), "ORDER-LIMIT");
        assert_eq!(comment_above("# one\n# two\nkey = 1\n", 12), "one two");
    }
}
