//! The example CI workflow of `examples/ci/`: every `entitle` command in it runs,
//! as written, against a pack repository made of the shipped pack and scenarios.

use crate::common::{code, entitle, pack_copy, root, stderr, stdout};
use std::process::Command;

const WORKFLOW: &str = "examples/ci/.github/workflows/entitle.yml";

/// Splits a shell command line on blanks, honouring double quotes.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The `entitle` invocations of the workflow, without what the shell adds after
/// them (redirections, `|| ...`).
fn commands() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join(WORKFLOW)).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("entitle "))
        .map(|l| {
            let l = l.split(" || ").next().unwrap_or(l);
            let l = l.split(" >").next().unwrap_or(l);
            words(l).into_iter().skip(1).collect()
        })
        .collect()
}

#[test]
fn every_entitle_command_of_the_example_workflow_runs() {
    // A pack repository: the shipped pack in `policies/`, the scenarios in
    // `scenarios/`, committed, so that the target branch can be read from git.
    let dir = pack_copy();
    std::fs::rename(dir.path().join("pack"), dir.path().join("policies")).unwrap();
    let copy = Command::new("cp").arg("-r").arg(root().join("examples")).arg(dir.path().join("scenarios")).status();
    assert!(copy.is_ok_and(|s| s.success()));
    let git = |args: &[&str]| crate::common::git(dir.path(), args);
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "pack"]);
    git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);

    let commands = commands();
    let subcommands: Vec<&str> = commands.iter().filter_map(|c| c.first().map(String::as_str)).collect();
    assert_eq!(subcommands, ["check", "test", "test", "test", "test", "diff"]);
    for command in &commands {
        let args: Vec<String> = command
            .iter()
            .map(|a| {
                a.replace("$PACK", "policies")
                    .replace("$SCENARIOS", "scenarios")
                    .replace("$MIN_COVERAGE", "100")
                    .replace("$GITHUB_BASE_REF", "main")
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = entitle(dir.path(), &args);
        assert_eq!(code(&o), 0, "entitle {args:?}: {}", stderr(&o));
        assert!(!stdout(&o).is_empty(), "entitle {args:?} printed nothing");
    }
}
