//! The command line, run as a user runs it.

use crate::common::*;
use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn check_accepts_the_shipped_pack() {
    let o = entitle(&root(), &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("pack `partner-benefits`"), "{}", stdout(&o));
}

#[test]
fn the_shipped_pack_works_from_any_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = entitle(dir.path(), &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn test_passes_on_the_example_corpus() {
    let o = entitle(&root(), &["test", "examples"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let last = stdout(&o).lines().last().unwrap_or_default().to_string();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
}

#[test]
fn eval_and_test_without_a_path_are_usage_errors() {
    for cmd in ["eval", "test"] {
        let o = entitle(&root(), &[cmd]);
        assert_eq!(code(&o), 2, "{cmd}");
        assert!(stderr(&o).to_lowercase().contains("usage"), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn eval_json_gives_decisions_denials_and_outputs() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "s.yaml",
        br#"scenario: "Scenario 4"
as_of: 2021-09-15
input:
  subscription: { active_seats: 100, ends_on: 2022-01-31 }
  request: { action: extend_end_date, key_seats: 400 }
"#,
    );
    let o = entitle(dir.path(), &["eval", "--format", "json", "s.yaml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    let r = &doc["results"][0];
    assert_eq!(r["file"], "s.yaml");
    assert_eq!(r["scenario"], "Scenario 4");
    assert_eq!(r["as_of"], "2021-09-15");
    assert_eq!(r["decision"], "deny");
    assert_eq!(r["denials"][0]["rule"], "EXTEND-3X-CAP");
    let message = r["denials"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("400") && message.contains("300"), "{message}");
    assert_eq!(r["warnings"], serde_json::json!([]));
    assert_eq!(r["outputs"]["extension_months"], serde_json::json!(48));
    assert_eq!(r["outputs"]["new_end_date"], "2026-01-31");
}

#[test]
fn non_terminating_decimals_are_rounded_to_nine_places_in_json() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "s.yaml",
        b"scenario: thirds\nas_of: 2021-09-15\ninput:\n  subscription: { active_seats: 3, ends_on: 2022-01-31 }\n  request: { action: extend_end_date, key_seats: 1 }\n",
    );
    let o = entitle(dir.path(), &["eval", "--format", "json", "s.yaml"]);
    assert!(stdout(&o).contains("\"extension_months\": 4"), "{}", stdout(&o));
    write(
        dir.path(),
        "s.yaml",
        b"scenario: sevenths\nas_of: 2021-09-15\ninput:\n  subscription: { active_seats: 7, ends_on: 2022-01-31 }\n  request: { action: extend_end_date, key_seats: 1 }\n",
    );
    let o = entitle(dir.path(), &["eval", "--format", "json", "s.yaml"]);
    assert!(stdout(&o).contains("\"extension_months\": 1.714285714"), "{}", stdout(&o));
}

#[test]
fn a_bad_scenario_does_not_hide_the_good_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), "a_bad.yaml", b"scenario: bad\nas_of: 2021-02-30\ninput:\n  request: { action: renew }\n");
    write(
        dir.path(),
        "b_good.yaml",
        b"scenario: good\nas_of: 2021-09-15\ninput:\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  request: { action: renew }\n",
    );
    let o = entitle(dir.path(), &["eval", "--format", "json", "."]);
    assert_eq!(code(&o), 2);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    let results = doc["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["scenario"], "bad");
    assert_eq!(results[0]["errors"][0]["code"], "entitle::scenario::bad_date");
    assert_eq!(results[0]["errors"][0]["line"], 2);
    assert_eq!(results[0]["errors"][0]["column"], 8);
    assert_eq!(results[1]["decision"], "allow");
    assert!(stderr(&o).contains("a_bad.yaml:2:8"), "{}", stderr(&o));
}

#[test]
fn a_failed_expectation_exits_1_and_points_at_the_expect_node() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "s.yaml",
        b"scenario: wrong\nas_of: 2021-09-15\ninput:\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  request: { action: renew }\nexpect:\n  decision: deny\n",
    );
    let o = entitle(dir.path(), &["test", "s.yaml"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stdout(&o).contains("0 passed, 1 failed"), "{}", stdout(&o));
    assert!(stderr(&o).contains("s.yaml:7:13"), "{}", stderr(&o));
    assert!(stderr(&o).contains("decision: expected deny, got allow"), "{}", stderr(&o));
}

#[test]
fn an_unknown_expected_output_is_an_error_not_a_pass() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "s.yaml",
        b"scenario: typo\nas_of: 2021-09-15\ninput:\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  request: { action: renew }\nexpect:\n  outputs: { renewal_window_open: 2021-09-02 }\n",
    );
    let o = entitle(dir.path(), &["test", "s.yaml"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("did you mean `renewal_window_opens`?"), "{}", stderr(&o));
}

#[test]
fn a_missing_file_is_reported_and_the_others_still_run() {
    let o = entitle(&root(), &["test", "no/such/file.yaml", "examples/subscriptions/extend.yaml"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no/such/file.yaml"), "{}", stderr(&o));
    assert!(stdout(&o).contains("PASS examples/subscriptions/extend.yaml"), "{}", stdout(&o));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entitle"))
        .args(["eval", "examples"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    drop(child.stdout.take());
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(status.code(), Some(101), "{err}");
    assert_ne!(status.code(), Some(70), "{err}");
    assert!(!err.contains("panicked") && !err.contains("internal error"), "{err}");
}

#[test]
fn policy_selects_another_pack() {
    let dir = pack_copy();
    edit(dir.path(), "params.toml", "closes_after = \"30 days\"", "closes_after = \"45 days\"");
    let o = entitle(
        dir.path(),
        &[
            "eval",
            "--format",
            "json",
            "--policy",
            "pack",
            &root().join("examples/renewal/window.yaml").to_string_lossy(),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("\"renewal_window_closes\": \"2021-10-16\""), "{}", stdout(&o));
}

#[test]
fn an_evaluation_error_names_the_rule_file_line_and_column_in_json() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        dir.path(),
        "s.yaml",
        b"scenario: no purchase date\nas_of: 2021-09-15\ninput:\n  offer: { kind: action_pack }\n  request: { action: renew }\n",
    );
    let o = entitle(dir.path(), &["eval", "--format", "json", "s.yaml"]);
    assert_eq!(code(&o), 2);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    let e = &doc["results"][0]["errors"][0];
    assert_eq!(e["code"], "entitle::eval::missing_input");
    assert_eq!(e["file"], "policies/rules/membership.policy");
    assert!(e["line"].as_u64().is_some_and(|l| l > 1), "{e}");
    assert!(e["message"].as_str().unwrap_or_default().contains("no purchase date"), "{e}");
}

#[test]
fn the_corpus_is_at_full_rule_coverage() {
    let o = entitle(&root(), &["test", "examples", "--coverage", "--min-coverage", "100"]);
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("rule coverage of partner-benefits"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("rule coverage: 100.0% (")), "{out}");
    assert!(!out.contains("MISS"), "{out}");
}

#[test]
fn coverage_below_the_minimum_fails_and_names_what_is_missing() {
    let o = entitle(&root(), &["test", "examples/keys", "--min-coverage", "100"]);
    assert_eq!(code(&o), 1, "{}\n{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("is below the minimum of 100%"), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("MISS RENEW-WINDOW"), "{out}");
    assert!(out.contains("the rule never applied"), "{out}");
    // The same run passes a threshold it meets; without --min-coverage it only reports.
    let low = entitle(&root(), &["test", "examples/keys", "--min-coverage", "5"]);
    assert_eq!(code(&low), 0, "{}", stderr(&low));
    let plain = entitle(&root(), &["test", "examples/keys", "--coverage"]);
    assert_eq!(code(&plain), 0, "{}", stderr(&plain));
}

#[test]
fn a_condition_seen_only_true_is_not_covered() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "early.yaml",
        b"scenario: too early\nas_of: 2021-08-01\ninput:\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  request: { action: renew }\nexpect: { decision: deny, denied_by: [RENEW-WINDOW] }\n",
    );
    let o = entitle(dir.path(), &["test", "early.yaml", "--coverage"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let window = out.lines().skip_while(|l| !l.contains("RENEW-WINDOW")).take(3).collect::<Vec<_>>().join("\n");
    assert!(window.contains("MISS RENEW-WINDOW"), "{out}");
    assert!(window.contains("this deny fired whenever its rule applied"), "{window}");
    assert!(window.contains("membership.policy:22:3"), "{window}");
}

#[test]
fn a_minimum_coverage_that_is_not_a_percentage_is_a_usage_error() {
    for bad in ["101", "abc", "-5"] {
        let o = entitle(&root(), &["test", "examples", "--min-coverage", bad]);
        assert_eq!(code(&o), 2, "{bad}: {}", stderr(&o));
    }
}

#[test]
fn rules_lists_the_catalogue_in_three_formats() {
    let human = entitle(&root(), &["rules"]);
    assert_eq!(code(&human), 0, "{}", stderr(&human));
    assert!(stdout(&human).starts_with("partner-benefits 2.0.0: 37 rules"), "{}", stdout(&human));
    assert!(stdout(&human).contains("reads      renewal.closes_after, renewal.opens_after"));
    let json = entitle(&root(), &["rules", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let window = doc["rules"].as_array().unwrap().iter().find(|r| r["id"] == "RENEW-WINDOW").unwrap();
    assert_eq!(
        window["outputs"],
        serde_json::json!(["renewal_anniversary", "renewal_window_opens", "renewal_window_closes"])
    );
    assert_eq!(window["cites"], "000#membership");
    assert!(window.get("scenarios").is_none(), "no scenarios were given");
    let counted = entitle(&root(), &["rules", "--format", "json", "examples/renewal/window.yaml"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&counted)).unwrap();
    let window = doc["rules"].as_array().unwrap().iter().find(|r| r["id"] == "RENEW-WINDOW").unwrap();
    assert_eq!(window["scenarios"], 6);
    let md = entitle(&root(), &["rules", "--format", "markdown"]);
    assert!(stdout(&md).contains("| [RENEW-WINDOW](#renew-window) | Renewal window | | 000#membership |"));
    assert!(stdout(&md).contains(
        "| [LIC-RETIRED-BENEFITS](#lic-retired-benefits-from-2021-01-28) | Retired competency benefits | from 2021-01-28 |"
    ));
    assert!(stdout(&md).contains("\n## LIC-RETIRED-BENEFITS (from 2021-01-28)\n"), "GitHub anchors it as linked");
}

#[test]
fn every_report_names_the_pack_version_that_decided() {
    let dir = pack_copy();
    edit(dir.path(), "pack.toml", "version = \"2.0.0\"", "version = \"9.9.9-rc1\"");
    let scenario = root().join("examples/renewal/window.yaml");
    let scenario = scenario.to_str().unwrap();
    let runs: [&[&str]; 6] = [
        &["check", "--policy", "pack"],
        &["eval", "--policy", "pack", scenario],
        &["eval", "--policy", "pack", "--format", "json", scenario],
        &["test", "--policy", "pack", scenario],
        &["test", "--policy", "pack", "--coverage", scenario],
        &["rules", "--policy", "pack", "--format", "markdown"],
    ];
    for args in runs {
        let o = entitle(dir.path(), args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("9.9.9-rc1"), "{args:?} does not name the version:\n{}", stdout(&o));
    }
}

#[test]
fn the_output_is_the_same_whatever_the_number_of_threads() {
    for args in [
        &["test", "--coverage", "--format", "json", "examples", "tests/fixtures/formats"][..],
        &["test", "--coverage", "examples", "tests/fixtures/formats"][..],
        &["eval", "--format", "sarif", "examples", "tests/fixtures/scenarios"][..],
    ] {
        let run = |jobs: &str| {
            let o = entitle(&root(), &[args, &["--jobs", jobs]].concat());
            (stdout(&o), stderr(&o), code(&o))
        };
        let one = run("1");
        assert!(!one.0.is_empty());
        for jobs in ["2", "5"] {
            assert_eq!(run(jobs), one, "{args:?} with {jobs} threads");
        }
    }
}
