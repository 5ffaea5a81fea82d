//! Hostile and unusual scenario inputs through the real binary: many diagnostics in
//! one file, many documents, budgets per document, what is not read, special files,
//! broken links and a closed standard output. Each input is generated here.

use crate::common::*;
use std::path::Path;

const GOOD: &str = "scenario: good\nas_of: 2021-09-15\ninput:\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  request: { action: renew }\nexpect:\n  decision: allow\n";

fn good_scenario(name: &str) -> String {
    GOOD.replacen("scenario: good", &format!("scenario: {name}"), 1)
}

#[test]
fn ten_thousand_errors_in_one_file_are_all_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("scenario: dup\nas_of: 2021-09-15\ninput:\n  request: { action: renew }\n");
    for i in 0..10_000 {
        text.push_str(&format!("  request: {{ action: renew, note: \"{i:0>80}\" }}\n"));
    }
    assert!(text.len() > 1_000_000);
    write(dir.path(), "dups.yaml", text.as_bytes());
    let o = entitle(dir.path(), &["eval", "dups.yaml"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2);
    assert_eq!(err.matches("duplicate key `request`").count(), 50, "the first 50 are drawn");
    assert!(err.contains("9950 more problems in dups.yaml not shown"), "{}", &err[err.len().saturating_sub(400)..]);
    // Every one of them is in the machine formats.
    let json = stdout(&entitle(dir.path(), &["eval", "--format", "json", "dups.yaml"]));
    assert_eq!(json.matches("entitle::yaml::duplicate_key").count(), 10_000);
}

#[test]
fn a_million_tiny_documents_are_each_reported() {
    let dir = tempfile::tempdir().unwrap();
    // 16 bytes a document: just under the 16 MiB a file may have.
    write(dir.path(), "tiny.yaml", "--- 12345678901\n".repeat(1_000_000).as_bytes());
    let o = entitle(dir.path(), &["test", "tiny.yaml"]);
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).contains("0 passed, 0 failed, 1000000 with errors"), "{}", stdout(&o));
    assert!(stderr(&o).contains("999950 more problems in tiny.yaml not shown"));
}

#[test]
fn budgets_apply_per_document_so_a_large_file_is_read_whole() {
    // 3,000 scenarios of ~70 nodes each: beyond one file-wide budget of 200,000
    // nodes, well within each scenario's.
    let dir = tempfile::tempdir().unwrap();
    let item = "      - { name: Cloud Platform, level: gold }\n";
    let docs: Vec<String> = (0..3_000)
        .map(|i| {
            good_scenario(&format!("s{i}"))
                .replace("input:\n", &format!("input:\n  partner:\n    competencies:\n{}", item.repeat(20)))
        })
        .collect();
    write(dir.path(), "many.yaml", docs.join("---\n").as_bytes());
    let o = entitle(dir.path(), &["test", "many.yaml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("3000 passed, 0 failed"), "{}", stdout(&o));
}

#[test]
fn a_scenario_over_its_budget_is_an_error_and_the_next_one_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = "scenario: bomb\nas_of: 2021-09-15\nx: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nw: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nv: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    write(dir.path(), "b.yaml", format!("{bomb}---\n{}", good_scenario("after")).as_bytes());
    let o = entitle(dir.path(), &["test", "b.yaml"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 2);
    assert!(err.contains("the number of YAML nodes in one scenario exceeds the limit of 200000"), "{err}");
    assert!(out.contains("1 passed, 0 failed, 1 with errors"), "{out}");
}

#[test]
fn what_a_syntax_error_keeps_from_being_read_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let docs = [good_scenario("one"), "scenario: [broken\n".into(), good_scenario("three"), good_scenario("four")];
    write(dir.path(), "s.yaml", docs.join("---\n").as_bytes());
    let o = entitle(dir.path(), &["test", "s.yaml"]);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(code(&o), 2);
    assert!(out.contains("1 passed, 0 failed, 1 with errors, 3 not read"), "{out}");
    assert!(err.contains("this scenario and the 2 after it were not read"), "{err}");
    let json = stdout(&entitle(dir.path(), &["test", "--format", "markdown", "s.yaml"]));
    assert!(json.contains("3 not read"), "{json}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_not_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    write(dir.path(), "good.yaml", GOOD.as_bytes());
    for args in [&["eval", "pipe.yaml", "good.yaml"][..], &["eval", "."][..]] {
        let o = entitle(dir.path(), args);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{args:?}: {err}");
        assert!(err.contains("pipe.yaml` is a FIFO (named pipe), not a regular file"), "{err}");
        assert!(stdout(&o).contains("good"), "the good file is still evaluated");
    }
}

#[cfg(unix)]
#[test]
fn broken_and_looping_links_are_errors() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("s");
    std::fs::create_dir(&folder).unwrap();
    symlink("nowhere.yaml", folder.join("dangling.yaml")).unwrap();
    symlink("loop.yaml", folder.join("loop.yaml")).unwrap();
    let only_links = entitle(dir.path(), &["eval", "s"]);
    let err = stderr(&only_links);
    assert_eq!(code(&only_links), 2);
    assert!(err.contains("`s/dangling.yaml` is a broken link"), "{err}");
    assert!(err.contains("`s/loop.yaml` is a broken link"), "{err}");
    assert!(!err.contains("holds no scenario files"), "{err}");
    write(&folder, "good.yaml", GOOD.as_bytes());
    let with_good = entitle(dir.path(), &["eval", "s"]);
    assert_eq!(code(&with_good), 2, "a good file does not hide the broken links");
    assert!(stdout(&with_good).contains("good"));
    // A link to a folder is followed, once.
    symlink(".", folder.join("again")).unwrap();
    std::fs::remove_file(folder.join("dangling.yaml")).unwrap();
    std::fs::remove_file(folder.join("loop.yaml")).unwrap();
    let o = entitle(dir.path(), &["test", "s"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("1 passed"), "{}", stdout(&o));
}

#[cfg(target_os = "linux")]
#[test]
fn a_closed_standard_output_is_an_error() {
    let shell = |redirect: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("'{}' eval examples/renewal {redirect}", env!("CARGO_BIN_EXE_entitle")))
            .current_dir(root())
            .output()
            .unwrap()
    };
    let o = shell(">&-");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the results could not be written: standard output is closed"), "{}", stderr(&o));
    // Sent to /dev/null on purpose, they are not lost: that is fine.
    let o = shell("> /dev/null");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_missing_path_suggests_the_name_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    write(dir.path(), "lounge.yaml", GOOD.as_bytes());
    let o = entitle(dir.path(), &["check", "--policy", "policy"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2);
    assert!(err.contains("`policy` does not exist"), "{err}");
    assert!(err.contains("did you mean `policies`?"), "{err}");
    let o = entitle(dir.path(), &["eval", "lounge.yml"]);
    assert!(stderr(&o).contains("`lounge.yml` does not exist"), "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean `lounge.yaml`?"), "{}", stderr(&o));
    assert!(Path::new(&dir.path().join("lounge.yaml")).exists());
}

#[test]
fn many_failed_expectations_are_drawn_fifty_per_file_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<String> =
        (0..60).map(|i| good_scenario(&format!("wrong {i}")).replace("decision: allow", "decision: deny")).collect();
    write(dir.path(), "wrong.yaml", docs.join("---\n").as_bytes());
    let o = entitle(dir.path(), &["test", "wrong.yaml"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1);
    assert_eq!(err.matches("does not meet its expectations").count(), 50, "{err}");
    assert!(err.contains("10 more problems in wrong.yaml not shown"), "{err}");
    assert!(stdout(&o).contains("0 passed, 60 failed"), "{}", stdout(&o));
}

#[test]
fn a_large_file_evaluated_on_several_threads_reports_as_on_one() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<String> = (0..2_000)
        .map(|i| match i % 3 {
            0 => good_scenario(&format!("pass {i}")),
            1 => good_scenario(&format!("fail {i}")).replace("decision: allow", "decision: deny"),
            _ => good_scenario(&format!("error {i}")).replace("purchased_on: 2020-09-01", "purchased_on: 2020-02-30"),
        })
        .collect();
    write(dir.path(), "mixed.yaml", docs.join("---\n").as_bytes());
    for format in ["json", "jsonl", "human"] {
        let run = |jobs: &str| {
            let o = entitle(dir.path(), &["test", "--coverage", "--format", format, "--jobs", jobs, "mixed.yaml"]);
            (stdout(&o), stderr(&o), code(&o))
        };
        let one = run("1");
        assert_eq!(one.2, 2);
        assert_eq!(run("2"), one, "{format}");
        assert_eq!(run("4"), one, "{format}");
    }
}
