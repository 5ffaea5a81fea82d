//! Snapshot tests of the rendered diagnostics (no colour, fixed width) for every kind
//! of bad input. Each bad scenario file runs beside a good one, which must still be
//! evaluated and reported.

use crate::common::*;
use std::path::Path;

const GOOD: &str = "good.yaml";

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/scenarios")
}

/// Runs `eval` on `bad` and the good fixture in `dir`; checks the exit code, the
/// location named, and that the good scenario was still evaluated.
fn eval_beside_good(dir: &Path, bad: &str, location: &str) -> String {
    if !dir.join(GOOD).exists() {
        std::fs::copy(fixtures().join(GOOD), dir.join(GOOD)).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = entitle(dir, &["eval", bad, GOOD]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(err.contains(location), "expected `{location}` in:\n{err}");
    assert!(stdout(&o).contains("good.yaml: a good scenario beside the bad ones"), "{}", stdout(&o));
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn fixture(name: &str, location: &str) -> String {
    eval_beside_good(&fixtures(), name, location)
}

#[test]
fn malformed_yaml() {
    insta::assert_snapshot!(fixture("malformed.yaml", "malformed.yaml:5:8"));
}

#[test]
fn wrong_type() {
    insta::assert_snapshot!(fixture("wrong_type.yaml", "wrong_type.yaml:4:33"));
}

#[test]
fn unknown_field_with_hint() {
    let err = fixture("unknown_field.yaml", "unknown_field.yaml:4:19");
    assert!(err.contains("did you mean `active_seats`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn missing_field() {
    insta::assert_snapshot!(fixture("missing_field.yaml", "missing_field.yaml:1:1"));
}

#[test]
fn impossible_date() {
    let err = fixture("impossible_date.yaml", "impossible_date.yaml:2:8");
    assert!(err.contains("February 2021 has 28 days"));
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_key() {
    insta::assert_snapshot!(fixture("duplicate_key.yaml", "duplicate_key.yaml:5:3"));
}

#[test]
fn value_outside_an_enumeration() {
    let err = fixture("not_in_enum.yaml", "not_in_enum.yaml:4:22");
    assert!(err.contains("did you mean `renew`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn crlf_file_gives_the_right_line() {
    let text = std::fs::read(fixtures().join("crlf.yaml")).unwrap_or_default();
    assert!(text.windows(2).any(|w| w == b"\r\n"), "the fixture must keep its CRLF line ends");
    insta::assert_snapshot!(fixture("crlf.yaml", "crlf.yaml:5:39"));
}

#[test]
fn non_utf8_bytes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), "latin1.yaml", b"scenario: latin1\nas_of: 2021-09-15\ninput:\n  offer: { name: \"Caf\xe9\" }\n");
    insta::assert_snapshot!(eval_beside_good(dir.path(), "latin1.yaml", "latin1.yaml:4:22"));
}

#[test]
fn alias_bomb() {
    insta::assert_snapshot!(fixture("alias_bomb.yaml", "alias_bomb.yaml:"));
}

#[test]
fn deep_nesting_flow() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = format!("scenario: deep\nas_of: 2021-09-15\ninput: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    write(dir.path(), "deep.yaml", text.as_bytes());
    let err = eval_beside_good(dir.path(), "deep.yaml", "deep.yaml:3:");
    assert!(err.len() < 2_000, "the 200 KB line must not be echoed");
    insta::assert_snapshot!(err);
}

#[test]
fn deep_nesting_block() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from("scenario: deep\nas_of: 2021-09-15\ninput:\n");
    for i in 1..=100 {
        text.push_str(&" ".repeat(i));
        text.push_str("a:\n");
    }
    write(dir.path(), "deep.yaml", text.as_bytes());
    insta::assert_snapshot!(eval_beside_good(dir.path(), "deep.yaml", "deep.yaml:67:65"));
}

#[test]
fn deep_nesting_block_sequence_100k() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = format!("scenario: deep\nas_of: 2021-09-15\ninput:\n  {}x\n", "- ".repeat(100_000));
    write(dir.path(), "deep.yaml", text.as_bytes());
    insta::assert_snapshot!(eval_beside_good(dir.path(), "deep.yaml", "deep.yaml:4:129"));
}

#[test]
fn label_beyond_column_65535_is_rendered_without_echoing_the_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = format!(
        "scenario: wide\nas_of: 2021-09-15\ninput: {{ request: {{ action: renew }}, {}offer: 1 }}\n",
        " ".repeat(70_000)
    );
    write(dir.path(), "wide.yaml", text.as_bytes());
    let err = eval_beside_good(dir.path(), "wide.yaml", "wide.yaml:3:");
    assert!(err.len() < 2_000, "the 70 KB line must not be echoed: {} bytes", err.len());
    insta::assert_snapshot!(err);
}

#[test]
fn oversized_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let big = vec![b'#'; 16 * 1024 * 1024 + 1];
    write(dir.path(), "big.yaml", &big);
    insta::assert_snapshot!(eval_beside_good(dir.path(), "big.yaml", "`big.yaml` is too large"));
}

fn check_pack(edits: &[(&str, &str, &str)], location: &str) -> String {
    let dir = pack_copy();
    for (file, from, to) in edits {
        edit(dir.path(), file, from, to);
    }
    let o = entitle(dir.path(), &["check", "--policy", "pack"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{err}");
    assert!(err.contains(location), "expected `{location}` in:\n{err}");
    err
}

#[test]
fn dsl_syntax_error() {
    let err = check_pack(
        &[("rules/membership.policy", "when request.action == renew\n", "when request.action = renew\n")],
        "pack/rules/membership.policy:8:23",
    );
    assert!(err.contains("compare with `==`"));
    insta::assert_snapshot!(err);
}

#[test]
fn dsl_type_error_date_plus_number() {
    let err = check_pack(
        &[(
            "rules/membership.policy",
            "offer.paid_through + params.membership.access_grace",
            "offer.paid_through + 30",
        )],
        "pack/rules/membership.policy:122:44",
    );
    assert!(err.contains("`30 days`"));
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_parameter() {
    let err = check_pack(
        &[("rules/membership.policy", "params.renewal.opens_after", "params.renewal.open_after")],
        "pack/rules/membership.policy:13:70",
    );
    assert!(err.contains("did you mean `opens_after`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn parameter_value_not_in_an_enumeration_points_into_the_toml() {
    let err = check_pack(&[("params.toml", "\"redeem_key\"]", "\"redeem_keys\"]")], "pack/params.toml:59:50");
    assert!(err.contains("did you mean `redeem_key`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn toml_error() {
    insta::assert_snapshot!(check_pack(
        &[("params.toml", "days_per_month = 30", "days_per_month = 30 30")],
        "pack/params.toml:8:"
    ));
}

#[test]
fn rule_dependency_cycle() {
    let err = check_pack(
        &[(
            "rules/membership.policy",
            "output renewal_window_opens =",
            "let loop = covid_extended_to\n  output renewal_window_opens =",
        )],
        "rules depend on each other in a cycle",
    );
    assert!(err.contains("RENEW-WINDOW") && err.contains("COVID-EXTENSION"));
    insta::assert_snapshot!(err);
}

#[test]
fn all_errors_of_a_pack_are_reported_together() {
    let err = check_pack(
        &[
            ("rules/membership.policy", "params.renewal.opens_after", "params.renewal.open_after"),
            ("rules/subscriptions.policy", "subscription.active_seats\n", "subscription.activ_seats\n"),
            ("schema.toml", "type = \"subscription_kind\"", "type = \"subscription_knd\""),
        ],
        "the pack has 3 errors",
    );
    assert!(err.contains("unknown type `subscription_knd`"), "{err}");
}

#[test]
fn wrong_type_in_json() {
    insta::assert_snapshot!(fixture("wrong_type.json", "wrong_type.json:5:39"));
}

#[test]
fn malformed_json() {
    insta::assert_snapshot!(fixture("malformed.json", "malformed.json:5:46"));
}

#[test]
fn json_lines_are_read_and_reported_each_on_its_own() {
    let err = fixture("lines.jsonl", "lines.jsonl:2:89");
    assert!(err.contains("lines.jsonl:3:"), "{err}");
    insta::assert_snapshot!(err);
}
