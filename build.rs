//! Embeds every file of the shipped pack (`policies/`) into the binary, so that
//! `entitle` works from any folder without knowing the pack's file names in `src/`.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, path.canonicalize()?));
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    if root.is_dir() {
        collect(&root, &root, &mut files)?;
    }
    for (_, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_pack.rs");
    let mut f = fs::File::create(out)?;
    writeln!(f, "pub const EMBEDDED_PACK: &[(&str, &str)] = &[")?;
    for (rel, path) in &files {
        writeln!(f, "    ({rel:?}, include_str!({:?})),", path.display().to_string())?;
    }
    writeln!(f, "];")?;
    Ok(())
}
