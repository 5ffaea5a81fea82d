//! `entitle init`: a new pack that checks, is covered by its scenarios and is laid
//! out, used from its own folder with no `--policy`.

use crate::common::*;

#[test]
fn a_new_pack_passes_everything_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = entitle(dir.path(), &["init", "Demo Pack"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("created the pack `demo-pack` in Demo Pack:"), "{}", stdout(&o));
    let demo = dir.path().join("Demo Pack");
    let runs: [&[&str]; 4] = [
        &["test", "."],
        &["check", "--deny-warnings"],
        &["test", "--coverage", "--min-coverage", "100", "scenarios"],
        &["fmt", "--check"],
    ];
    for args in runs {
        let o = entitle(&demo, args);
        assert_eq!(code(&o), 0, "{args:?}:\n{}\n{}", stdout(&o), stderr(&o));
    }
    let o = entitle(&demo, &["test", "."]);
    assert!(stdout(&o).starts_with("tested against demo-pack 0.1.0 from policies\n"), "{}", stdout(&o));
    assert!(stdout(&o).contains(": 3 passed, 0 failed"), "{}", stdout(&o));
    let workflow = std::fs::read_to_string(demo.join(".github/workflows/entitle.yml")).unwrap_or_default();
    let example = std::fs::read_to_string(root().join("examples/ci/.github/workflows/entitle.yml")).unwrap_or_default();
    assert_eq!(workflow, example);
}

#[test]
fn init_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), "README.md", b"mine\n");
    let o = entitle(dir.path(), &["init"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("already holds README.md: nothing was written"), "{}", stderr(&o));
    assert!(!dir.path().join("policies").exists());
    assert_eq!(std::fs::read_to_string(dir.path().join("README.md")).unwrap_or_default(), "mine\n");
}
