//! A pack: manifest, schema, parameters and rule files, loaded with spans. The
//! caller supplies the files' text (the CLI reads a folder, or uses the embedded
//! pack); this module does no I/O.

mod error;
mod fit;
pub mod params;
pub mod schema;
mod toml_doc;

pub use error::PackError;
pub use params::{Param, ParamNode, Params};
pub use schema::{EnumDef, FieldDef, ParamDecl, RecordDef, Schema};
pub use toml_doc::Key;

use crate::ast;
use crate::source::SourceFile;
use toml_doc::{get, TomlDoc};

pub const MANIFEST: &str = "pack.toml";
pub const SCHEMA: &str = "schema.toml";
pub const PARAMS: &str = "params.toml";
pub const RULE_EXTENSION: &str = ".policy";

/// The files of a pack; `name` of each is its path shown in diagnostics, and
/// `relative` its path inside the pack folder.
#[derive(Debug, Clone, Default)]
pub struct PackSources {
    pub files: Vec<(String, SourceFile)>,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub manifest: Manifest,
    pub schema: Schema,
    pub params: Params,
    pub rule_files: Vec<(SourceFile, ast::File)>,
    /// Some rule file did not parse: names it defines are unknown to the others.
    pub incomplete: bool,
    /// The source documents the rules cite (`sources/*.md`), by file order.
    pub documents: Vec<crate::citation::Document>,
}

impl PackSources {
    fn find(&self, relative: &str) -> Option<&SourceFile> {
        self.files.iter().find(|(r, _)| r == relative).map(|(_, f)| f)
    }

    /// Loads every file of the pack and reports every problem found, not the first.
    /// The pack is returned whenever its TOML files could be read, even with errors.
    pub fn load(&self) -> (Option<Pack>, Vec<PackError>) {
        let mut pack_errors = Vec::new();
        let mut errors: Vec<PackError> = Vec::new();
        let doc = |name: &str, errs: &mut Vec<PackError>| match self.find(name) {
            Some(f) => TomlDoc::parse(f.clone(), errs),
            None => {
                errs.push(PackError::MissingFile { file: name.to_string() });
                None
            }
        };
        let manifest_doc = doc(MANIFEST, &mut pack_errors);
        let schema_doc = doc(SCHEMA, &mut pack_errors);
        let params_doc = doc(PARAMS, &mut pack_errors);
        let manifest = manifest_doc.as_ref().and_then(|d| manifest(d, &mut pack_errors));
        let schema = schema_doc.as_ref().and_then(|d| Schema::load(d, &mut pack_errors));
        let params = params_doc.as_ref().map(|d| Params::load(d, schema.as_ref(), &mut pack_errors));
        let mut rule_files = Vec::new();
        for (relative, file) in &self.files {
            if relative.ends_with(RULE_EXTENSION) {
                match crate::syntax::parse_file(file) {
                    Ok(ast) => rule_files.push((file.clone(), ast)),
                    Err(e) => errors.push(e.into()),
                }
            }
        }
        let documents = self
            .files
            .iter()
            .filter_map(|(relative, file)| {
                let name = relative.strip_prefix(crate::citation::SOURCES_DIR)?.strip_suffix(".md")?;
                (!name.contains('/')).then(|| crate::citation::Document::new(name, file.clone()))
            })
            .collect();
        let incomplete = !errors.is_empty();
        if rule_files.is_empty() && errors.is_empty() {
            pack_errors.push(PackError::MissingFile { file: format!("rules/*{RULE_EXTENSION}") });
        }
        errors.extend(pack_errors);
        let pack = match (manifest, schema, params) {
            (Some(manifest), Some(schema), Some(params)) => {
                Some(Pack { manifest, schema, params, rule_files, incomplete, documents })
            }
            _ => None,
        };
        (pack, errors)
    }
}

fn manifest(doc: &TomlDoc, errors: &mut Vec<PackError>) -> Option<Manifest> {
    doc.check_keys(&doc.root, &["pack"], "the manifest", errors);
    let Some(table) = get(&doc.root, "pack").and_then(|n| doc.table(n, "`pack`", errors)) else {
        errors.push(PackError::MissingKey {
            key: "pack".into(),
            context: "the manifest".into(),
            src: doc.src(),
            span: (0, 0).into(),
        });
        return None;
    };
    doc.check_keys(table, &["name", "version", "description"], "`[pack]`", errors);
    let mut text = |key: &str| -> Option<String> {
        match get(table, key) {
            Some(n) => doc.string(n, &format!("`{key}`"), errors).map(str::to_string),
            None => {
                errors.push(PackError::MissingKey {
                    key: key.into(),
                    context: "`[pack]`".into(),
                    src: doc.src(),
                    span: (0, 0).into(),
                });
                None
            }
        }
    };
    let (name, version) = (text("name"), text("version"));
    let description =
        get(table, "description").and_then(|n| doc.string(n, "`description`", errors)).unwrap_or("").to_string();
    Some(Manifest { name: name?, version: version?, description })
}
