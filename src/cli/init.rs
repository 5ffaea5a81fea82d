//! `entitle init [DIR]`: a new pack folder from the template in `templates/init/`
//! (embedded at build time), with the CI workflow of `examples/ci/`.

use super::{EXIT_ERRORS, EXIT_OK};
use std::io::{self, Write};
use std::path::Path;

/// Each file of a new pack: its path in the folder and its text; `{{name}}` stands
/// for the pack's name.
const FILES: [(&str, &str); 7] = [
    ("README.md", include_str!("../../templates/init/README.md")),
    ("policies/pack.toml", include_str!("../../templates/init/policies/pack.toml")),
    ("policies/schema.toml", include_str!("../../templates/init/policies/schema.toml")),
    ("policies/params.toml", include_str!("../../templates/init/policies/params.toml")),
    ("policies/rules/orders.policy", include_str!("../../templates/init/policies/rules/orders.policy")),
    ("scenarios/orders.yaml", include_str!("../../templates/init/scenarios/orders.yaml")),
    (".github/workflows/entitle.yml", include_str!("../../examples/ci/.github/workflows/entitle.yml")),
];

pub(super) fn run(dir: &Path) -> io::Result<u8> {
    let mut err = io::stderr().lock();
    let taken: Vec<String> =
        FILES.iter().filter(|(path, _)| dir.join(path).exists()).map(|(path, _)| (*path).to_string()).collect();
    if !taken.is_empty() {
        writeln!(err, "{} already holds {}: nothing was written", shown(dir), taken.join(", "))?;
        return Ok(EXIT_ERRORS);
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        writeln!(err, "cannot make {}: {e}", shown(dir))?;
        return Ok(EXIT_ERRORS);
    }
    let name = pack_name(dir);
    for (path, text) in FILES {
        let target = dir.join(path);
        let folder = target.parent().map_or(Ok(()), std::fs::create_dir_all);
        let written = folder.and_then(|()| std::fs::write(&target, text.replace("{{name}}", &name)));
        if let Err(e) = written {
            writeln!(err, "cannot write {}: {e}", crate::files::display(&target))?;
            return Ok(EXIT_ERRORS);
        }
    }
    let mut out = io::stdout().lock();
    writeln!(out, "created the pack `{name}` in {}:", shown(dir))?;
    for (path, _) in FILES {
        writeln!(out, "  {path}")?;
    }
    let go = match shown(dir) {
        here if here == "." => String::new(),
        spaced if spaced.contains(char::is_whitespace) => format!("cd \"{spaced}\" && "),
        plain => format!("cd {plain} && "),
    };
    writeln!(out, "next: {go}entitle test --coverage --min-coverage 100 scenarios")?;
    Ok(EXIT_OK)
}

fn shown(dir: &Path) -> String {
    crate::files::display(dir)
}

/// The pack's name: the folder's, in lower case, with any other character than a
/// letter, a digit or `-` as `-`.
fn pack_name(dir: &Path) -> String {
    let folder = dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()));
    let raw = folder.unwrap_or_else(|| "my-pack".to_string());
    let name: String =
        raw.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "my-pack".to_string()
    } else {
        name
    }
}
