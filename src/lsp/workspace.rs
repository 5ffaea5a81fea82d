//! What the server knows: the open documents (their text as typed, not as saved),
//! and for a document the pack it belongs to, built from the disk with the open
//! documents laid over it, exactly as `check` builds it.

use super::position::Lines;
use crate::engine::Engine;
use crate::error::Error;
use crate::pack::{Pack, PackSources};
use crate::scenario::Syntax;
use crate::source::SourceFile;
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Range};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct Workspace {
    /// Open documents by path.
    pub open: HashMap<PathBuf, String>,
}

/// A pack as the editor sees it.
pub struct Loaded {
    pub dir: PathBuf,
    pub sources: PackSources,
    /// The pack with its spans, when its TOML files could be read.
    pub pack: Option<Pack>,
    pub engine: Result<Engine, Vec<Error>>,
}

/// What kind of file a path is, for the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rules,
    Toml,
    Scenarios(Syntax),
    Other,
}

pub fn kind(path: &Path) -> Kind {
    let name = path.to_string_lossy();
    if name.ends_with(crate::pack::RULE_EXTENSION) {
        Kind::Rules
    } else if name.ends_with(".toml") {
        Kind::Toml
    } else {
        Syntax::of_name(&name).map_or(Kind::Other, Kind::Scenarios)
    }
}

impl Workspace {
    /// The text of `path`: as open in the editor, else as on disk.
    pub fn text(&self, path: &Path) -> Option<String> {
        self.open.get(path).cloned().or_else(|| crate::files::read_text(path).ok())
    }

    /// The pack of `path`: the folder above it holding `pack.toml`, or the project's
    /// `policies/` folder.
    pub fn pack_of(&self, path: &Path) -> Option<Loaded> {
        self.pack(path, true)
    }

    /// [`Workspace::pack_of`] for answering about `path` while files are being
    /// typed: when the text as typed does not build (a name half written), the pack
    /// as saved answers.
    pub fn pack_for_answers(&self, path: &Path) -> Option<Loaded> {
        let loaded = self.pack_of(path)?;
        if loaded.engine.is_ok() {
            return Some(loaded);
        }
        self.pack(path, false).filter(|l| l.engine.is_ok()).or(Some(loaded))
    }

    /// The pack of `path`, with the open documents' text when `typed`, else as saved.
    fn pack(&self, path: &Path, typed: bool) -> Option<Loaded> {
        let folder = path.parent()?;
        let Some(relative) = crate::files::discover_pack(folder) else {
            // A scenario file outside any project is read against the shipped pack,
            // as the command line reads it.
            if !matches!(kind(path), Kind::Scenarios(_)) {
                return None;
            }
            let sources = crate::embedded::default_pack();
            let (pack, _) = sources.load();
            let engine = Engine::from_sources(&sources).map_err(|p| p.0);
            return Some(Loaded { dir: PathBuf::from(crate::embedded::EMBEDDED_ROOT), sources, pack, engine });
        };
        let dir = folder.join(relative).canonicalize().ok()?;
        let mut sources = crate::files::read_pack(&dir).ok()?;
        for (_, file) in &mut sources.files {
            let on_disk = PathBuf::from(file.name.as_ref());
            let open = on_disk.canonicalize().ok().filter(|_| typed);
            if let Some(text) = open.and_then(|p| self.open.get(&p)) {
                *file = SourceFile::new(file.name.clone(), text.as_str());
            }
        }
        let (pack, _) = sources.load();
        let engine = Engine::from_sources(&sources).map_err(|p| p.0);
        Some(Loaded { dir, sources, pack, engine })
    }

    /// Every diagnostic for the files of `path`'s pack (for a pack file), or for the
    /// scenario file `path`: by file, files without any included.
    pub fn diagnostics(&self, path: &Path) -> Vec<(PathBuf, Vec<Diagnostic>)> {
        let Some(loaded) = self.pack_of(path) else { return Vec::new() };
        if let Kind::Scenarios(syntax) = kind(path) {
            let text = self.text(path).unwrap_or_default();
            let file = SourceFile::new(path.to_string_lossy().as_ref(), text.as_str());
            let diagnostics = match &loaded.engine {
                Ok(engine) => {
                    let loaded = crate::scenario::load_as(&file, syntax, engine.program());
                    let errors: Vec<Error> = loaded
                        .errors
                        .into_iter()
                        .chain(loaded.documents.into_iter().filter_map(|d| d.result.err()).flatten())
                        .map(Error::from)
                        .collect();
                    errors.iter().map(|e| diagnostic(e, &text)).collect()
                }
                Err(_) => vec![Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    message: format!("the pack in {} has errors: open its files", loaded.dir.display()),
                    source: Some("entitle".into()),
                    ..Diagnostic::default()
                }],
            };
            return vec![(path.to_path_buf(), diagnostics)];
        }
        let problems: Vec<&Error> = match &loaded.engine {
            Ok(engine) => engine.warnings().iter().collect(),
            Err(errors) => errors.iter().collect(),
        };
        // Each problem in the file it points into; one that points nowhere (a file
        // of the pack is missing) at the top of the document being edited.
        let mut by_file: HashMap<PathBuf, Vec<&Error>> = HashMap::new();
        for e in problems {
            let file = source_name(e).map_or_else(|| path.to_path_buf(), PathBuf::from);
            by_file.entry(file).or_default().push(e);
        }
        let mut out: Vec<(PathBuf, Vec<Diagnostic>)> = Vec::new();
        for (_, file) in &loaded.sources.files {
            let name = PathBuf::from(file.name.as_ref());
            let errors = by_file.remove(&name).unwrap_or_default();
            out.push((name, errors.iter().map(|e| diagnostic(e, &file.text)).collect()));
        }
        for (name, errors) in by_file {
            let text = self.text(&name).unwrap_or_default();
            out.push((name, errors.iter().map(|e| diagnostic(e, &text)).collect()));
        }
        out
    }
}

/// The name of the file a diagnostic points into.
fn source_name(e: &Error) -> Option<String> {
    use miette::Diagnostic as _;
    let label = e.labels().and_then(|mut l| l.next())?;
    let src = e.source_code()?;
    let at = src.read_span(&(label.offset(), 0).into(), 0, 0).ok()?;
    at.name().map(str::to_string)
}

/// `e` as the protocol's diagnostic, on its first label, in `text`.
pub fn diagnostic(e: &Error, text: &str) -> Diagnostic {
    use miette::Diagnostic as _;
    let lines = Lines::new(text);
    let range = e.labels().and_then(|mut l| l.next()).map_or(Range::default(), |l| Range {
        start: lines.position(l.offset()),
        end: lines.position(l.offset() + l.len()),
    });
    let severity = match e.severity() {
        Some(miette::Severity::Warning) => DiagnosticSeverity::WARNING,
        Some(miette::Severity::Advice) => DiagnosticSeverity::HINT,
        _ => DiagnosticSeverity::ERROR,
    };
    let mut message = e.to_string();
    if let Some(help) = e.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    Diagnostic {
        range,
        severity: Some(severity),
        code: e.code().map(|c| NumberOrString::String(c.to_string())),
        source: Some("entitle".into()),
        message,
        ..Diagnostic::default()
    }
}
