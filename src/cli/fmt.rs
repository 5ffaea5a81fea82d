//! `entitle fmt`: lists the rule files, lays each out (`crate::format`), and writes
//! it back, or with `--check` prints what would change.

use super::{Out, EXIT_ERRORS, EXIT_FAILED, EXIT_OK};
use crate::files;
use crate::source::SourceFile;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::PathBuf;

pub(super) fn run(out: &Out, check: bool, paths: Vec<PathBuf>) -> io::Result<u8> {
    let paths = if paths.is_empty() {
        match std::env::current_dir().ok().and_then(|d| files::discover_pack(&d)) {
            Some(pack) => vec![pack],
            None => {
                let mut err = io::stderr().lock();
                writeln!(err, "no pack here or above (no pack.toml, no policies/pack.toml): name the rule files or folders to format")?;
                return Ok(EXIT_ERRORS);
            }
        }
    } else {
        paths
    };
    let (listed, errors) = files::rule_files(&paths);
    for e in &errors {
        out.diagnostic(e)?;
    }
    let mut failed = !errors.is_empty();
    let (mut changed, mut same) = (0, 0);
    let mut diffs = String::new();
    for path in &listed {
        let name = files::display(path);
        let text = match files::read_text(path) {
            Ok(t) => t,
            Err(e) => {
                out.diagnostic(&e)?;
                failed = true;
                continue;
            }
        };
        let laid_out = match crate::format::format_file(&SourceFile::new(name.as_str(), text.as_str())) {
            Ok(t) => t,
            Err(e) => {
                out.diagnostic(&e)?;
                failed = true;
                continue;
            }
        };
        if laid_out == text {
            same += 1;
            continue;
        }
        changed += 1;
        if check {
            let diff = similar::TextDiff::from_lines(&text, &laid_out);
            let _ = write!(diffs, "{}", diff.unified_diff().header(&name, &format!("{name} (formatted)")));
        } else if let Err(e) = std::fs::write(path, &laid_out) {
            writeln!(io::stderr().lock(), "cannot write {name}: {e}")?;
            failed = true;
        }
    }
    out.stdout(&diffs)?;
    let files = |n: usize| if n == 1 { "1 file".to_string() } else { format!("{n} files") };
    let said = if check {
        format!("{} would be reformatted, {} already formatted", files(changed), files(same))
    } else {
        format!("{} reformatted, {} already formatted", files(changed), files(same))
    };
    writeln!(io::stderr().lock(), "{said}")?;
    Ok(if failed {
        EXIT_ERRORS
    } else if check && changed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    })
}
