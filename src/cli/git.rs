//! Reading a pack as it is in a git revision, without touching the work tree:
//! `git ls-tree` lists its files, `git cat-file` reads each one.

use crate::files::{display, MAX_FILE_BYTES};
use crate::input::InputError;
use crate::pack::PackSources;
use crate::source::SourceFile;
use std::path::Path;
use std::process::Command;

fn git(cwd: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| format!("cannot run git: {}", e.to_string().to_lowercase()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().lines().next().unwrap_or("git failed").to_string())
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// The pack folder `pack_dir` (in the work tree) as it is in revision `rev`. Files
/// are named `REV:path` so that diagnostics tell the two versions apart.
pub fn read_pack(rev: &str, pack_dir: &Path) -> Result<PackSources, InputError> {
    let base_err = |reason: String| InputError::Base { base: rev.to_string(), reason };
    // Where the repository is, and where the pack folder is inside it.
    let anchor = if pack_dir.is_dir() { pack_dir } else { Path::new(".") };
    let top = text(git(anchor, &["rev-parse", "--show-toplevel"]).map_err(base_err)?);
    let commit =
        text(git(anchor, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).map_err(|_| {
            base_err(format!("no folder of that name, and no commit of that name in the repository at {top}"))
        })?);
    let top_path = Path::new(&top).canonicalize().map_err(|e| base_err(e.to_string()))?;
    let absolute = pack_dir.canonicalize().or_else(|_| std::env::current_dir().map(|d| d.join(pack_dir)));
    let relative = absolute
        .ok()
        .and_then(|a| a.strip_prefix(&top_path).ok().map(display))
        .ok_or_else(|| base_err(format!("`{}` is not inside the repository at {top}", display(pack_dir))))?;
    let relative = if relative.is_empty() { ".".to_string() } else { relative };
    let git_err = |reason: String| InputError::Git { rev: rev.to_string(), path: relative.clone(), reason };
    let listing = git(&top_path, &["ls-tree", "-r", "-z", "--full-name", &commit, "--", &relative]).map_err(git_err)?;
    let mut sources = PackSources::default();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        // `<mode> blob <object>\t<path>`
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut fields = meta.split_whitespace();
        let (Some(_mode), Some(kind), Some(object)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if kind != "blob" || !(path.ends_with(".toml") || path.ends_with(".policy")) {
            continue;
        }
        let size = text(git(&top_path, &["cat-file", "-s", object]).map_err(git_err)?);
        if size.parse::<u64>().map_or(true, |s| s > MAX_FILE_BYTES) {
            return Err(InputError::TooLarge {
                path: format!("{rev}:{path}"),
                size: size.parse().unwrap_or(0),
                limit: MAX_FILE_BYTES,
            });
        }
        let bytes = git(&top_path, &["cat-file", "blob", object]).map_err(git_err)?;
        let content = String::from_utf8(bytes)
            .map_err(|_| InputError::Read { path: format!("{rev}:{path}"), reason: "not UTF-8 text".into() })?;
        let inside = path.strip_prefix(relative.trim_start_matches('.')).unwrap_or(path).trim_start_matches('/');
        sources.files.push((inside.to_string(), SourceFile::new(format!("{rev}:{path}"), content)));
    }
    if sources.files.is_empty() {
        return Err(git_err("no pack files (*.toml, *.policy) there in that revision".into()));
    }
    Ok(sources)
}

/// The commit the work tree of `dir` is at, the commit's date (YYYY-MM-DD), and
/// whether `dir` has changes the commit does not hold; `None` outside a repository.
pub fn revision(dir: &Path) -> Option<(String, String, bool)> {
    let commit = text(git(dir, &["rev-parse", "HEAD"]).ok()?);
    let date = text(git(dir, &["log", "-1", "--format=%cs"]).ok()?);
    let modified = git(dir, &["status", "--porcelain", "--", "."]).map(|o| !o.is_empty()).unwrap_or(false);
    Some((commit, date, modified))
}
