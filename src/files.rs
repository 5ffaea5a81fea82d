//! Reading files: the pack folder, and the scenario paths listed and read a piece at
//! a time. Sizes are checked before any file is read.

use crate::error::Error;
use crate::input::InputError;
use crate::pack::PackSources;
use crate::pieces::{self, LineStream};
use crate::run::Source;
use crate::scenario::Syntax;
use crate::source::SourceFile;
use std::collections::HashSet;
use std::fs;
use std::io::BufRead;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file `entitle` reads.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
const MAX_FOLDER_DEPTH: usize = 32;

pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Reads a file's bytes, refusing what is not a regular file (a FIFO would block
/// forever) and files over the limit before reading them.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let err = |e: std::io::Error| read_error(&display(path), &e);
    let meta = fs::metadata(path).map_err(|e| not_found(path, e))?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(InputError::TooLarge { path: display(path), size: meta.len(), limit: MAX_FILE_BYTES });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` guards against a file that grows between the check and the read.
    fs::File::open(path).map_err(err)?.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::TooLarge { path: display(path), size: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    Ok(bytes)
}

/// What `path` is, in words, when it is neither a regular file nor a folder.
fn not_regular(path: &Path, meta: &fs::Metadata) -> InputError {
    #[cfg(unix)]
    let kind = {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            "a FIFO (named pipe)"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_block_device() || t.is_char_device() {
            "a device"
        } else if t.is_dir() {
            "a folder"
        } else {
            "a special file"
        }
    };
    #[cfg(not(unix))]
    let kind = if meta.is_dir() { "a folder" } else { "a special file" };
    InputError::NotRegular { path: display(path), kind }
}

/// The error for a path that cannot be looked at: missing (with the closest name
/// beside it), a broken link, or another reason.
fn not_found(path: &Path, e: std::io::Error) -> InputError {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return InputError::BrokenLink { path: display(path), reason: e.to_string().to_lowercase() };
    }
    if e.kind() != std::io::ErrorKind::NotFound {
        return InputError::Read { path: display(path), reason: e.to_string().to_lowercase() };
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let siblings: Vec<String> = fs::read_dir(&parent)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // A folder holds few names: a looser match than for names in a pack is still safe.
    let limit = (name.chars().count() / 2).max(1);
    let help = crate::source::did_you_mean_within(&name, siblings.iter().map(String::as_str), limit);
    InputError::Missing { path: display(path), help }
}

/// Walks below `dir`, keeping each regular file whose name passes `keep`, sorted;
/// hidden files and folders are left out. Links are followed (a folder reached twice
/// is walked once); a broken link or a special file with a kept name is an error.
fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, depth: usize, state: &mut Walk) {
    if depth > MAX_FOLDER_DEPTH {
        state.errors.push(InputError::TooDeep { path: display(dir), limit: MAX_FOLDER_DEPTH });
        return;
    }
    if let Ok(real) = fs::canonicalize(dir) {
        if !state.folders.insert(real) {
            return;
        }
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            state.errors.push(InputError::Read { path: display(dir), reason: e.to_string().to_lowercase() });
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
        match fs::metadata(&p) {
            Ok(meta) if meta.is_dir() => walk(&p, keep, depth + 1, state),
            Ok(meta) if keep(&p) && meta.is_file() => state.files.push(p),
            Ok(meta) if keep(&p) => state.errors.push(not_regular(&p, &meta)),
            Ok(_) => {}
            Err(e) if keep(&p) => state.errors.push(not_found(&p, e)),
            // A broken link whose name is not of the kind sought is no more than
            // any other file of another kind.
            Err(_) => {}
        }
    }
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    errors: Vec<InputError>,
    folders: HashSet<PathBuf>,
}

pub fn is_scenario_file(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json" | "jsonl" | "ndjson"))
}

/// The scenario files named by `paths`: files as given (read_bytes checks them),
/// folders walked.
pub fn scenario_paths(paths: &[PathBuf], errors: &mut Vec<InputError>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut state = Walk::default();
            walk(p, &is_scenario_file, 0, &mut state);
            if state.files.is_empty() && state.errors.is_empty() {
                errors.push(InputError::NoScenarios { path: display(p) });
            }
            out.extend(state.files);
            errors.extend(state.errors);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Reads a pack folder: every file below it, named by its path.
/// The folder conventionally holding a project's pack, beside its scenarios.
pub const PACK_FOLDER: &str = "policies";

/// The pack a command run in `dir` uses when none is named: the nearest folder, from
/// `dir` up to the root, that holds `pack.toml`, or whose `policies/` folder does. It
/// is given relative to `dir` (`.`, `policies`, `../..`, `../policies`).
pub fn discover_pack(dir: &Path) -> Option<PathBuf> {
    let mut up = PathBuf::new();
    for folder in dir.ancestors() {
        let here = if up.as_os_str().is_empty() { PathBuf::from(".") } else { up.clone() };
        if folder.join(crate::pack::MANIFEST).is_file() {
            return Some(here);
        }
        if folder.join(PACK_FOLDER).join(crate::pack::MANIFEST).is_file() {
            return Some(if up.as_os_str().is_empty() { PathBuf::from(PACK_FOLDER) } else { up.join(PACK_FOLDER) });
        }
        up.push("..");
    }
    None
}

/// A file's text, which must be UTF-8.
pub fn read_text(path: &Path) -> Result<String, InputError> {
    read_bytes(path).and_then(|b| {
        String::from_utf8(b).map_err(|_| InputError::Read { path: display(path), reason: "not UTF-8 text".into() })
    })
}

/// The rule files named, and the `*.policy` files below the folders named, sorted
/// within each folder; what cannot be listed is an error of its own.
pub fn rule_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut state = Walk::default();
    let is_rules = |p: &Path| p.extension().is_some_and(|e| e == "policy");
    for p in paths {
        match fs::metadata(p) {
            Ok(meta) if meta.is_dir() => walk(p, &is_rules, 0, &mut state),
            Ok(meta) if meta.is_file() => state.files.push(p.clone()),
            Ok(meta) => state.errors.push(not_regular(p, &meta)),
            Err(e) => state.errors.push(not_found(p, e)),
        }
    }
    (state.files, state.errors)
}

pub fn read_pack(dir: &Path) -> Result<PackSources, Vec<InputError>> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(vec![InputError::Read { path: display(dir), reason: "not a folder".into() }]),
        Err(e) => return Err(vec![not_found(dir, e)]),
    }
    let mut state = Walk::default();
    // Rule files and TOML, and the source documents the rules cite (`sources/*.md`).
    let wanted = |p: &Path| {
        let source = p.extension().is_some_and(|e| e == "md")
            && p.parent()
                .and_then(Path::file_name)
                .is_some_and(|d| d.to_str() == crate::citation::SOURCES_DIR.strip_suffix('/'));
        source || p.extension().is_some_and(|e| e == "toml" || e == "policy")
    };
    walk(dir, &wanted, 0, &mut state);
    let Walk { files: paths, mut errors, .. } = state;
    let mut sources = PackSources::default();
    for p in paths {
        let relative = p.strip_prefix(dir).map(display).unwrap_or_else(|_| display(&p));
        match read_text(&p) {
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

/// The pieces of the scenario files named by `paths`, read one file at a time as the
/// run asks for them: a YAML or JSON file is read whole (within its size limit) and
/// cut at its documents; a JSON Lines file, and standard input given as `-`, are
/// streamed a piece at a time. `stdin_syntax` is the syntax of standard input, found
/// from its first lines when not given. Paths that could not be listed come last.
pub fn sources(paths: &[PathBuf], stdin_syntax: Option<Syntax>) -> impl Iterator<Item = Source> + Send {
    let mut listing = Vec::new();
    let mut files = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            files.push(p.clone());
        } else {
            files.extend(scenario_paths(std::slice::from_ref(p), &mut listing));
        }
    }
    let mut pending: std::collections::VecDeque<Source> = std::collections::VecDeque::new();
    let mut stream: Option<LineStream<Box<dyn BufRead + Send>>> = None;
    let mut files = files.into_iter();
    let mut listing = listing.into_iter();
    std::iter::from_fn(move || loop {
        if let Some(s) = pending.pop_front() {
            return Some(s);
        }
        if let Some(lines) = &mut stream {
            match lines.next_piece() {
                Some(Ok(piece)) => return Some(Source::Piece(piece)),
                Some(Err((error, unread))) => {
                    let file = SourceFile::new(error.path(), "");
                    return Some(Source::Failed { file, error: error.into(), unread });
                }
                None => stream = None,
            }
            continue;
        }
        let Some(path) = files.next() else {
            return listing.next().map(|e| Source::Failed {
                file: SourceFile::new(e.path(), ""),
                error: e.into(),
                unread: 0,
            });
        };
        match open(&path, stdin_syntax) {
            Ok(Opened::Whole(file, syntax)) => {
                pending.extend(pieces::split(&file, syntax).into_iter().map(Source::Piece))
            }
            Ok(Opened::Lines(lines)) => stream = Some(lines),
            Err((file, error)) => pending.push_back(Source::Failed { file, error, unread: 0 }),
        }
    })
}

/// The name standard input goes by in reports.
pub const STDIN_NAME: &str = "<stdin>";

enum Opened {
    Whole(SourceFile, Syntax),
    Lines(LineStream<Box<dyn BufRead + Send>>),
}

/// Opens a scenario file (or `-`, standard input) in its syntax: JSON Lines as a
/// stream, anything else read whole.
fn open(path: &Path, stdin_syntax: Option<Syntax>) -> Result<Opened, (SourceFile, Error)> {
    let failed = |name: &str, e: InputError| (SourceFile::new(name, ""), Error::from(e));
    if path.as_os_str() == "-" {
        let (syntax, head) = match stdin_syntax {
            Some(s) => (s, Vec::new()),
            None => {
                let head = stdin_head().map_err(|e| failed(STDIN_NAME, read_error(STDIN_NAME, &e)))?;
                (Syntax::sniff(&String::from_utf8_lossy(&head)), head)
            }
        };
        let reader: Box<dyn BufRead + Send> =
            Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(std::io::stdin())));
        if syntax == Syntax::JsonLines {
            return Ok(Opened::Lines(LineStream::new(STDIN_NAME, reader)));
        }
        let mut bytes = Vec::new();
        reader
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| failed(STDIN_NAME, read_error(STDIN_NAME, &e)))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            let e = InputError::TooLarge { path: STDIN_NAME.into(), size: bytes.len() as u64, limit: MAX_FILE_BYTES };
            return Err(failed(STDIN_NAME, e));
        }
        let file = crate::scenario::decode(STDIN_NAME, bytes).map_err(|(f, e)| (f, Error::from(e)))?;
        return Ok(Opened::Whole(file, syntax));
    }
    let name = display(path);
    let syntax = Syntax::of_name(&name);
    if syntax == Some(Syntax::JsonLines) {
        let meta = fs::metadata(path).map_err(|e| failed(&name, not_found(path, e)))?;
        if !meta.is_file() {
            return Err(failed(&name, not_regular(path, &meta)));
        }
        let f = fs::File::open(path).map_err(|e| failed(&name, read_error(&name, &e)))?;
        let reader: Box<dyn BufRead + Send> = Box::new(std::io::BufReader::with_capacity(1 << 16, f));
        return Ok(Opened::Lines(LineStream::new(name, reader)));
    }
    let bytes = read_bytes(path).map_err(|e| failed(&name, e))?;
    let file = crate::scenario::decode(&name, bytes).map_err(|(f, e)| (f, Error::from(e)))?;
    let syntax = syntax.unwrap_or_else(|| Syntax::sniff(&file.text));
    Ok(Opened::Whole(file, syntax))
}

/// The start of standard input, enough to tell its syntax: its first two lines (a
/// pipe may give them a few bytes at a time), or its first 64 KiB, or all of it.
fn stdin_head() -> std::io::Result<Vec<u8>> {
    const HEAD: usize = 64 * 1024;
    let mut head = Vec::new();
    let mut stdin = std::io::stdin().lock();
    let mut chunk = [0u8; 4096];
    let mut lines = 0;
    while head.len() < HEAD && lines < 2 {
        let n = stdin.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        lines += chunk[..n].iter().filter(|b| **b == b'\n').count();
        head.extend_from_slice(&chunk[..n]);
    }
    Ok(head)
}

fn read_error(name: &str, e: &std::io::Error) -> InputError {
    InputError::Read { path: name.to_string(), reason: e.to_string().to_lowercase() }
}
