//! Scenarios streamed: standard input, JSON Lines in and out, files cut into pieces
//! that are evaluated apart and reported in order.

use crate::common::*;
use std::io::Write;
use std::process::{Command, Stdio};

const LINE: &str = r#"{"scenario": "NAME", "as_of": "2021-09-15", "input": {"offer": {"kind": "action_pack", "purchased_on": "2020-09-01"}, "request": {"action": "renew"}}, "expect": {"decision": "allow"}}"#;

fn line(name: &str) -> String {
    LINE.replace("NAME", name)
}

fn with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entitle"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

#[test]
fn standard_input_is_read_in_the_syntax_it_has_or_is_given() {
    let lines = format!("{}\n{}\n", line("one"), line("two"));
    let o = with_stdin(&["test", "-"], lines.as_bytes());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("PASS <stdin>: two"), "{}", stdout(&o));
    let yaml = "scenario: y\nas_of: 2021-09-15\ninput:\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  request: { action: renew }\n";
    let o = with_stdin(&["eval", "--format", "jsonl", "-"], yaml.as_bytes());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("{\"file\":\"<stdin>\",\"scenario\":\"y\""), "{}", stdout(&o));
    // Told JSON, YAML text is a located JSON error.
    let o = with_stdin(&["eval", "--input-format", "json", "-"], yaml.as_bytes());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("entitle::json::syntax") && stderr(&o).contains("<stdin>:1:1"), "{}", stderr(&o));
}

#[test]
fn json_lines_out_hold_one_result_per_line_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..3_000).map(|i| line(&format!("s{i}")) + "\n").collect();
    write(dir.path(), "many.jsonl", text.as_bytes());
    let o = entitle(dir.path(), &["eval", "--format", "jsonl", "many.jsonl"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for (i, l) in out.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["scenario"], format!("s{i}"));
        assert_eq!(v["decision"], "allow");
    }
    assert_eq!(out.lines().count(), 3_000);
    // The pretty document holds the same results.
    let o = entitle(dir.path(), &["test", "--format", "json", "many.jsonl"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(3_000));
    assert_eq!(doc["summary"]["passed"], 3_000);
}

#[test]
fn a_name_used_again_pieces_later_is_found_and_located() {
    let dir = tempfile::tempdir().unwrap();
    let mut text: String = (0..3_000).map(|i| line(&format!("s{i}")) + "\n").collect();
    text.push_str(&line("s7"));
    write(dir.path(), "again.jsonl", text.as_bytes());
    let o = entitle(dir.path(), &["test", "again.jsonl"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("scenario `s7` is named twice in this file"), "{err}");
    assert!(err.contains("the first is on line 8") && err.contains("again.jsonl:3001:"), "{err}");
    assert!(stdout(&o).contains("3000 passed, 0 failed, 1 with errors"), "{}", stdout(&o));
}

#[test]
fn a_line_over_its_limit_is_passed_over_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let long = line("long").replace("\"2021-09-15\"", &format!("\"{}\"", "9".repeat(2 << 20)));
    let text = format!("{}\n{long}\n{}\n", line("before"), line("after"));
    write(dir.path(), "long.jsonl", text.as_bytes());
    let o = entitle(dir.path(), &["test", "long.jsonl"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("line 2 of `long.jsonl` is longer than 1048576 bytes"), "{}", stderr(&o));
    assert!(stdout(&o).contains("PASS long.jsonl: before") && stdout(&o).contains("PASS long.jsonl: after"));
    assert!(stdout(&o).contains("2 passed, 0 failed, 1 with errors, 1 not read"), "{}", stdout(&o));
}

#[test]
fn a_yaml_syntax_error_stops_its_file_across_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |i: usize| {
        format!("scenario: s{i}\nas_of: 2021-09-15\ninput:\n  offer: {{ kind: action_pack, purchased_on: 2020-09-01 }}\n  request: {{ action: renew }}\n# {}\n", "x".repeat(200))
    };
    let mut docs: Vec<String> = (0..3_000).map(doc).collect();
    docs[10] = "scenario: [broken\n".into();
    write(dir.path(), "big.yaml", docs.join("---\n").as_bytes());
    let o = entitle(dir.path(), &["test", "big.yaml"]);
    assert_eq!(code(&o), 2);
    let out = stdout(&o);
    assert!(!out.contains("s2999"), "a later piece was evaluated");
    assert!(out.contains("0 passed, 0 failed, 1 with errors, 10 without expectations, 2990 not read"), "{out}");
}

#[test]
fn a_name_first_used_in_a_later_piece_is_located_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    // Seven lines a document, with its `---`: the name of document i is on line 7i + 2.
    let doc = |i: usize| {
        format!("---\nscenario: s{i}\nas_of: 2021-09-15\ninput:\n  offer: {{ kind: action_pack, purchased_on: 2020-09-01 }}\n  request: {{ action: renew }}\n# {}\n", "x".repeat(200))
    };
    let mut text: String = (0..3_000).map(doc).collect();
    text.push_str(&doc(2_500));
    write(dir.path(), "again.yaml", text.as_bytes());
    let err = stderr(&entitle(dir.path(), &["test", "again.yaml"]));
    // One text, read in pieces: the first use is shown where it is.
    assert!(err.contains("again.yaml:17502:11") && err.contains("again.yaml:21002:11"), "{err}");
    // JSON Lines pieces are texts of their own: the first use is named by its line.
    let mut text: String = (0..3_000).map(|i| line(&format!("s{i}")) + "\n").collect();
    text.push_str(&line("s2500"));
    write(dir.path(), "again.jsonl", text.as_bytes());
    let err = stderr(&entitle(dir.path(), &["test", "again.jsonl"]));
    assert!(err.contains("the first is on line 2501") && err.contains("again.jsonl:3001:"), "{err}");
}
