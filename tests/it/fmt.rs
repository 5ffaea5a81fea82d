//! `entitle fmt`: rule files laid out in place, or with `--check` a diff and exit 1.

use crate::common::*;

const MESSY: &str =
    "// kept\nrule A \"a\"   cites \"x#y\" when order.seats>0{output per_group=order.seats/order.groups // each\n}\n";
const TIDY: &str =
    "// kept\nrule A \"a\"\n  cites \"x#y\"\n  when order.seats > 0\n{\n  output per_group = order.seats / order.groups // each\n}\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_dir(&root().join("tests/fixtures/packs/seats"), &dir.path().join("policies"));
    write(&dir.path().join("policies/rules"), "seats.policy", MESSY.as_bytes());
    dir
}

fn rules_text(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join("policies/rules/seats.policy")).unwrap_or_default()
}

#[test]
fn check_prints_the_diff_and_changes_nothing() {
    let dir = project();
    let o = entitle(dir.path(), &["fmt", "--check"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let diff = stdout(&o);
    assert!(
        diff.starts_with("--- policies/rules/seats.policy\n+++ policies/rules/seats.policy (formatted)\n"),
        "{diff}"
    );
    assert!(diff.contains("+  output per_group = order.seats / order.groups // each\n"), "{diff}");
    assert!(stderr(&o).contains("1 file would be reformatted, 0 files already formatted"), "{}", stderr(&o));
    assert_eq!(rules_text(dir.path()), MESSY);
}

#[test]
fn fmt_writes_the_layout_and_then_check_passes() {
    let dir = project();
    let o = entitle(dir.path(), &["fmt", "policies"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(rules_text(dir.path()), TIDY);
    let o = entitle(dir.path(), &["fmt", "--check", "policies/rules/seats.policy"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    // The pack still checks: the layout changed nothing it says.
    let o = entitle(dir.path(), &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_alone() {
    let dir = project();
    let broken = "rule A \"a\" cites \"x#y\" { output x = }\n";
    write(&dir.path().join("policies/rules"), "seats.policy", broken.as_bytes());
    let o = entitle(dir.path(), &["fmt"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("seats.policy:1:"), "{}", stderr(&o));
    assert_eq!(rules_text(dir.path()), broken);
}

#[test]
fn the_shipped_rules_are_formatted() {
    let o = entitle(&root(), &["fmt", "--check", "policies"]);
    assert_eq!(code(&o), 0, "run `entitle fmt policies`:\n{}", stdout(&o));
}
