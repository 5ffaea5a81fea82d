//! Which pack a command uses when `--policy` is not given: the folder here or above
//! holding `pack.toml` (or `policies/pack.toml`), else the shipped pack; the human
//! output names where it came from.

use crate::common::*;

const SEATS: &str = "tests/fixtures/packs/seats";

/// A project: the seats pack in `policies/`, a scenario of it in `scenarios/`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&root().join(SEATS), &dir.path().join("policies"));
    std::fs::create_dir_all(dir.path().join("scenarios/deep")).unwrap_or_else(|e| panic!("{e}"));
    let scenario = "scenario: two groups\nas_of: 2021-09-15\ninput:\n  order: { seats: 4, groups: 2 }\n";
    write(&dir.path().join("scenarios"), "order.yaml", scenario.as_bytes());
    dir
}

#[test]
fn the_pack_of_the_project_is_found_from_any_folder_inside_it() {
    let dir = project();
    let o = entitle(dir.path(), &["eval", "scenarios"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("decided by seats "), "{}", stdout(&o));
    assert!(stdout(&o).lines().next().unwrap_or_default().ends_with(" from policies"), "{}", stdout(&o));
    let o = entitle(&dir.path().join("scenarios/deep"), &["eval", "../order.yaml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).lines().next().unwrap_or_default().ends_with(" from ../../policies"), "{}", stdout(&o));
    // Inside the pack folder itself, the pack is `.`.
    let o = entitle(&dir.path().join("policies"), &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("pack `seats`") && stdout(&o).contains(" from . is valid"), "{}", stdout(&o));
}

#[test]
fn builtin_names_the_shipped_pack_and_it_is_used_when_nothing_is_found() {
    let dir = project();
    let o = entitle(dir.path(), &["check", "--policy", "builtin"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("pack `partner-benefits`") && stdout(&o).contains("(built in)"), "{}", stdout(&o));
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = entitle(empty.path(), &["test", &root().join("examples/renewal").to_string_lossy()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("tested against partner-benefits ") && stdout(&o).contains("(built in)"));
}

#[test]
fn diff_against_git_compares_the_project_pack_not_the_shipped_one() {
    let dir = project();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "seats"]);
    let rules = dir.path().join("policies/rules/seats.policy");
    let text = std::fs::read_to_string(&rules).unwrap_or_default();
    assert!(text.contains("order.seats / order.groups"), "{text}");
    write(&rules.with_file_name(""), "seats.policy", text.replace("order.seats /", "order.seats * 2 /").as_bytes());
    let o = entitle(dir.path(), &["diff", "--base", "HEAD", "--format", "json", "scenarios"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_default();
    assert_eq!(json["current"]["from"], "policies", "{json}");
    assert_eq!(json["rules"].as_array().map(Vec::len), Some(1), "the one rule changed: {json}");
    assert_eq!(json["parameters"].as_array().map(Vec::len), Some(0), "{json}");
    assert_eq!(json["scenarios"].as_array().map(Vec::len), Some(1), "{json}");
}
