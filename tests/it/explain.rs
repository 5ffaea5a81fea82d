//! `entitle explain`: a reviewer reads why a scenario was denied, with the values,
//! and what would lift each denial; the same trace as JSON. The ways out it gives
//! are checked by applying them and evaluating again.

use crate::common::{code, entitle, root, stderr, stdout};
use serde_json::Value;

const DENIED: &str = "tests/fixtures/explain/denied.yaml";
const TOO_EARLY: &str = "too early to renew";
const SEATS: &str = "a 16-seat key on a 5-seat subscription";

fn explain(args: &[&str]) -> (String, String, i32) {
    let o = entitle(&root(), &[&["explain", DENIED], args].concat());
    (stdout(&o), stderr(&o), code(&o))
}

fn json(scenario: &str) -> Value {
    let (out, err, _) = explain(&["--scenario", scenario, "--format", "json"]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))
}

/// Evaluates `yaml` (one scenario) and returns the ids of the rules that denied it.
fn denials_of(yaml: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), yaml).unwrap();
    let o = entitle(dir.path(), &["eval", "--format", "json", "s.yaml"]);
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    doc["results"][0]["denials"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_denial_reads_with_its_values_and_its_way_out() {
    let (out, _, code) = explain(&["--scenario", TOO_EARLY]);
    assert_eq!(code, 0);
    assert!(out.contains(
        "denied by RENEW-WINDOW \"Renewal window\": renewal opens on 2021-09-02; on 2021-09-01 it is too early to renew"
    ));
    assert!(
        out.contains("  because: as_of = 2021-09-01, renewal_window_opens = 2021-09-02, missed = false\n"),
        "{out}"
    );
    assert!(
        out.contains("  it would not apply if: `as_of` on or after 2021-09-02 (`renewal_window_opens`)\n"),
        "{out}"
    );
    insta::assert_snapshot!("explain_too_early", out);

    let (out, _, _) = explain(&["--scenario", SEATS]);
    assert!(out.contains("  because: request.key_seats = 16, max_seats = 15\n"), "{out}");
    assert!(out.contains("  it would not apply if: `request.key_seats` at most 15 (`max_seats`)\n"), "{out}");
}

#[test]
fn every_rule_is_listed_in_evaluation_order() {
    let doc = json(TOO_EARLY);
    let scenario = &doc["scenarios"][0];
    let rules = scenario["rules"].as_array().unwrap();
    // Every rule in force on the scenario's day; the others are named apart.
    let catalogue = entitle(&root(), &["rules", "--format", "json", "--as-of", "2021-09-01"]);
    let all: Value = serde_json::from_str(&stdout(&catalogue)).unwrap();
    assert_eq!(rules.len(), all["rules"].as_array().unwrap().len());
    assert_eq!(
        scenario["not_in_force"],
        serde_json::json!([{"rule": "COVID-EXTENSION", "in_force": {"from": "2021-01-01", "until": "2021-07-30"}}])
    );
    let applied: Vec<&str> =
        rules.iter().filter(|r| r["applied"] == true).map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(
        applied,
        ["RENEW-WINDOW", "RENEW-REQUIREMENTS", "RENEW-PROFILE", "RENEW-NOTICES", "MAP-RENEW", "RENEW-ACCESS"]
    );
    // A rule that did not apply names the values of its guard.
    let retired = rules.iter().find(|r| r["rule"] == "LIC-RETIRED-BENEFITS").unwrap();
    assert_eq!(retired["guard"][0], serde_json::json!({"expr": "request.action", "value": "renew"}));
    assert_eq!(retired["in_force"], serde_json::json!({"from": "2021-01-28"}), "the version that ran");
    // Every rule is placed in its file.
    assert!(rules
        .iter()
        .all(|r| r["file"].as_str().is_some_and(|f| f.starts_with("policies/rules/")) && r["line"].as_u64() > Some(0)));
}

#[test]
fn the_way_out_in_json_lifts_the_denial_when_applied() {
    let doc = json(SEATS);
    let rules = doc["scenarios"][0]["rules"].as_array().unwrap();
    let cap = rules
        .iter()
        .find(|r| r["statements"].as_array().unwrap().iter().any(|s| s["kind"] == "deny" && s["taken"] == true))
        .unwrap();
    let deny =
        cap["statements"].as_array().unwrap().iter().find(|s| s["kind"] == "deny" && s["taken"] == true).unwrap();
    let change = &deny["lifted_by"][0]["changes"][0];
    assert_eq!(change["subject"], "request.key_seats");
    assert_eq!(change["relation"], "le");
    assert_eq!(change["value"], 15);
    let yaml = |seats: u64| {
        format!(
            "scenario: s\nas_of: 2021-09-15\ninput:\n  subscription: {{ active_seats: 5, ends_on: 2022-01-31 }}\n  request: {{ action: extend_end_date, key_seats: {seats} }}\n"
        )
    };
    let rule = cap["rule"].as_str().unwrap().to_string();
    assert!(denials_of(&yaml(16)).contains(&rule));
    assert!(!denials_of(&yaml(change["value"].as_u64().unwrap())).contains(&rule));

    let doc = json(TOO_EARLY);
    let window =
        &doc["scenarios"][0]["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "RENEW-WINDOW").unwrap();
    let deny = window["statements"].as_array().unwrap().iter().find(|s| s["kind"] == "deny").unwrap();
    let change = &deny["lifted_by"][0]["changes"][0];
    assert_eq!((change["subject"].as_str(), change["relation"].as_str()), (Some("as_of"), Some("ge")));
    let on = |day: &str| {
        format!("scenario: s\nas_of: {day}\ninput:\n  offer: {{ kind: action_pack, purchased_on: 2020-09-01 }}\n  request: {{ action: renew }}\n")
    };
    assert_eq!(denials_of(&on("2021-09-01")), ["RENEW-WINDOW"]);
    assert!(denials_of(&on(change["value"].as_str().unwrap())).is_empty());
}

#[test]
fn an_evaluation_error_ends_the_trace_at_the_rule_that_failed() {
    let (out, _, code) = explain(&["--scenario", "assigning credit without saying whether the user is in the tenant"]);
    assert_eq!(code, 2);
    assert!(out.contains("not decided, evaluation failed"), "{out}");
    assert!(out.contains("needs `request.user_in_tenant`"), "{out}");
    assert!(out.contains("rules after it were not evaluated"), "{out}");
}

#[test]
fn an_unknown_scenario_name_is_an_error_with_a_hint() {
    let (out, err, code) = explain(&["--scenario", "too early to renw"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("no scenario named `too early to renw` in the files given; did you mean `too early to renew`?"),
        "{err}"
    );
}

#[test]
fn a_failing_expectation_points_at_the_expect_node_and_the_deciding_rule() {
    let o = entitle(&root(), &["test", "tests/fixtures/formats/failing.yaml"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("╭─[tests/fixtures/formats/failing.yaml:9:13]"), "{err}");
    assert!(err.contains("╭─[policies/rules/membership.policy:"), "{err}");
    insta::assert_snapshot!("failing_expectation", err);
}
