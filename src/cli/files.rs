//! Reading files: the pack folder and the scenario paths. Sizes are checked before
//! any file is read.

use super::error::CliError;
use crate::pack::PackSources;
use crate::source::SourceFile;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file `entitle` reads.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
const MAX_FOLDER_DEPTH: usize = 32;

pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads a file's bytes, refusing files over the limit before reading them.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    let err = |e: std::io::Error| CliError::Read { path: display(path), reason: e.to_string().to_lowercase() };
    let meta = fs::metadata(path).map_err(err)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(CliError::TooLarge { path: display(path), size: meta.len(), limit: MAX_FILE_BYTES });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` guards against a file that grows between the check and the read.
    fs::File::open(path).map_err(err)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(CliError::TooLarge { path: display(path), size: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    Ok(bytes)
}

/// Every regular file below `dir` whose name passes `keep`, sorted, without
/// following links to folders and without hidden files and folders.
fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, depth: usize, out: &mut Vec<PathBuf>, errors: &mut Vec<CliError>) {
    if depth > MAX_FOLDER_DEPTH {
        errors.push(CliError::TooDeep { path: display(dir), limit: MAX_FOLDER_DEPTH });
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(CliError::Read { path: display(dir), reason: e.to_string().to_lowercase() });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        // Hidden files and folders (`.git`, `.github`) are not the pack's nor scenarios.
        if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() {
            walk(&p, keep, depth + 1, out, errors);
        } else if keep(&p) && (meta.is_file() || p.is_file()) {
            out.push(p);
        }
    }
}

pub fn is_scenario_file(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// The scenario files named by `paths`: files as given, folders walked.
pub fn scenario_paths(paths: &[PathBuf], errors: &mut Vec<CliError>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &is_scenario_file, 0, &mut out, errors);
            if out.len() == before {
                errors.push(CliError::NoScenarios { path: display(p) });
            }
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Reads a pack folder: every file below it, named by its path.
pub fn read_pack(dir: &Path) -> Result<PackSources, Vec<CliError>> {
    let mut errors = Vec::new();
    if !dir.is_dir() {
        return Err(vec![CliError::Read { path: display(dir), reason: "not a folder".into() }]);
    }
    let mut paths = Vec::new();
    walk(dir, &|p| p.extension().is_some_and(|e| e == "toml" || e == "policy"), 0, &mut paths, &mut errors);
    let mut sources = PackSources::default();
    for p in paths {
        let relative = p.strip_prefix(dir).map(display).unwrap_or_else(|_| display(&p));
        match read_bytes(&p).and_then(|b| {
            String::from_utf8(b).map_err(|_| CliError::Read { path: display(&p), reason: "not UTF-8 text".into() })
        }) {
            Ok(text) => sources.files.push((relative, SourceFile::new(display(&p), text))),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}
