//! Effective dating on small in-memory packs: rules and parameter values in force
//! on days of their own, chosen by each scenario's date, and the checker's refusals.

use super::language::{codes, output, run, with_schema};
use entitle::outcome::Decision;
use entitle::program::Program;

const SCHEMA: &str = r#"
[enums]
action = ["order", "claim"]

[input.request]
action = { type = "action", required = true }
item = "string"

[params.t]
since = "date"
count = "int"
fee = "money(USD)"
"#;

const PARAMS: &str = r#"
[t]
since = 2021-01-28
count = 3
fee = [
  { until = 2021-06-30, value = "100 USD" },
  { from = 2021-07-01, value = "150 USD" },
]
"#;

fn compile(rules: &str) -> Program {
    compile_with(rules, PARAMS).unwrap_or_else(|e| panic!("{e:?}"))
}

fn compile_with(rules: &str, params: &str) -> Result<Program, Vec<entitle::error::Error>> {
    with_schema(SCHEMA, rules, params).build()
}

fn errors(rules: &str, params: &str) -> Vec<String> {
    codes(&compile_with(rules, params).err().unwrap_or_default())
}

fn on(program: &Program, day: &str) -> (Decision, Vec<String>, Vec<(String, String)>) {
    run(program, &format!("scenario: s\nas_of: {day}\ninput:\n  request: {{ action: claim, item: x }}\n"))
}

#[test]
fn a_bound_is_computed_from_dates_and_parameters() {
    let p = compile("rule R \"r\" cites \"x#y\" in force from params.t.since + 3 days until params.t.since + 1 month { deny \"no\" }");
    assert_eq!(
        p.rules.first().and_then(|r| r.in_force).map(|d| d.to_string()),
        Some("2021-01-31 to 2021-02-28".into())
    );
    assert_eq!(on(&p, "2021-01-30").0, Decision::Allow);
    assert_eq!(on(&p, "2021-01-31").0, Decision::Deny);
    assert_eq!(on(&p, "2021-02-28").0, Decision::Deny);
    assert_eq!(on(&p, "2021-03-01").0, Decision::Allow);
}

#[test]
fn a_rule_decides_from_its_first_day_to_its_last() {
    let p = compile(
        "rule R \"r\" cites \"x#y\" in force from 2021-01-28 until 2021-06-30 { deny \"no\" }\n\
         rule S \"s\" cites \"x#y\" in force from params.t.since { output seen = true }",
    );
    assert_eq!(on(&p, "2021-01-27").0, Decision::Allow);
    assert_eq!(on(&p, "2021-01-28").0, Decision::Deny);
    assert_eq!(on(&p, "2021-06-30").0, Decision::Deny);
    assert_eq!(on(&p, "2021-07-01").0, Decision::Allow);
    assert!(on(&p, "2021-01-27").2.is_empty(), "not in force before the parameter's date");
    assert_eq!(output(&on(&p, "2021-01-28").2, "seen"), "true");
}

#[test]
fn the_version_in_force_decides() {
    let p = compile(
        "rule R \"r\" cites \"x#y\" in force until 2021-01-27 { output v = 1\n deny \"old\" }\n\
         rule R \"r\" cites \"x#y\" continuously in force from 2021-01-28 { output v = 2\n deny \"new\" }",
    );
    let (_, denials, outs) = on(&p, "2021-01-27");
    assert_eq!((denials, output(&outs, "v")), (vec!["old".to_string()], "1".to_string()));
    let (_, denials, outs) = on(&p, "2021-01-28");
    assert_eq!((denials, output(&outs, "v")), (vec!["new".to_string()], "2".to_string()));
}

#[test]
fn a_dated_parameter_gives_the_value_in_force() {
    let p = compile("rule F \"f\" cites \"x#y\" { output fee = params.t.fee * 2 }");
    assert_eq!(output(&on(&p, "2021-06-30").2, "fee"), "200.00 USD");
    assert_eq!(output(&on(&p, "2021-07-01").2, "fee"), "300.00 USD");
    // Pinned to the rules of another day, the scenario's date stays its "today".
    let mut pinned = compile("rule F \"f\" cites \"x#y\" { output fee = params.t.fee\n output today = as_of }");
    pinned.rules_on = entitle::calendar::parse_date("2021-07-01").ok();
    let (_, _, outs) = on(&pinned, "2021-06-30");
    assert_eq!((output(&outs, "fee"), output(&outs, "today")), ("150.00 USD".into(), "2021-06-30".into()));
}

#[test]
fn a_rule_in_force_within_one_value_reads_it_as_a_constant() {
    let p = compile("rule F \"f\" cites \"x#y\" in force until 2021-06-30 { output fee = params.t.fee }");
    let expr = p.rules.first().and_then(|r| r.expressions().first().map(|e| e.unfolded().kind.clone()));
    assert!(matches!(expr, Some(entitle::program::ExprKind::Const(_))), "{expr:?}");
    assert_eq!(output(&on(&p, "2021-06-30").2, "fee"), "100.00 USD");
}

#[test]
fn versions_on_the_same_days_are_refused() {
    let twice = "rule R \"r\" cites \"x#y\" in force until 2021-01-28 { deny \"a\" }\n\
                 rule R \"r\" cites \"x#y\" in force from 2021-01-28 { deny \"b\" }";
    assert_eq!(errors(twice, PARAMS), ["entitle::check::overlapping_versions"]);
    let undated =
        "rule R \"r\" cites \"x#y\" { deny \"a\" }\nrule R \"r\" cites \"x#y\" in force from 2021-01-28 { deny \"b\" }";
    assert_eq!(errors(undated, PARAMS), ["entitle::check::overlapping_versions"]);
    let plain = "rule R \"r\" cites \"x#y\" { deny \"a\" }\nrule R \"r\" cites \"x#y\" { deny \"b\" }";
    assert_eq!(errors(plain, PARAMS), ["entitle::check::duplicate"]);
    let apart = "rule R \"r\" cites \"x#y\" in force until 2021-01-27 { output o = 1 }\n\
                 rule R \"r\" cites \"x#y\" in force from 2021-01-28 { output o = 2 }";
    assert!(compile_with(apart, PARAMS).is_ok(), "versions on days of their own write one output");
}

#[test]
fn a_continuous_rule_leaves_no_day_uncovered() {
    let gap = "rule R \"r\" cites \"x#y\" continuously in force until 2021-01-26 { deny \"a\" }\n\
               rule R \"r\" cites \"x#y\" in force from 2021-01-28 { deny \"b\" }";
    let found = compile_with(gap, PARAMS).err().unwrap_or_default();
    assert_eq!(codes(&found), ["entitle::check::gap_between_versions"]);
    assert!(
        found
            .iter()
            .any(|e| e.to_string()
                == "rule `R` is continuously in force, but no version of it is in force on 2021-01-27"),
        "{found:?}"
    );
    let allowed = gap.replace("continuously ", "");
    assert!(compile_with(&allowed, PARAMS).is_ok(), "a gap is allowed where the rule does not ask otherwise");
}

#[test]
fn a_dated_parameter_must_have_a_value_whenever_its_rule_is_in_force() {
    let params = PARAMS.replace(
        "{ until = 2021-06-30, value = \"100 USD\" },",
        "{ from = 2021-01-01, until = 2021-06-30, value = \"100 USD\" },",
    );
    assert_eq!(
        errors("rule F \"f\" cites \"x#y\" { output fee = params.t.fee }", &params),
        ["entitle::check::no_value_in_force"]
    );
    assert!(compile_with("rule F \"f\" cites \"x#y\" in force from 2021-01-01 { output fee = params.t.fee }", &params)
        .is_ok());
    let hole = PARAMS.replace("from = 2021-07-01", "from = 2021-07-02");
    let found =
        compile_with("rule F \"f\" cites \"x#y\" { output fee = params.t.fee }", &hole).err().unwrap_or_default();
    assert_eq!(codes(&found), ["entitle::check::no_value_in_force"]);
    assert!(
        found.iter().any(|e| e.to_string().contains("has no value in force on 2021-07-01, when rule `F` is in force")),
        "{found:?}"
    );
}

#[test]
fn dated_values_on_the_same_days_are_refused_in_params_toml() {
    let params = PARAMS.replace("from = 2021-07-01", "from = 2021-06-30");
    assert_eq!(
        errors("rule F \"f\" cites \"x#y\" { output fee = params.t.fee }", &params),
        ["entitle::pack::overlapping_values"]
    );
    let wrong = PARAMS.replace("\"150 USD\"", "\"150 EUR\"");
    assert_eq!(
        errors("rule F \"f\" cites \"x#y\" { output fee = params.t.fee }", &wrong),
        ["entitle::pack::wrong_type"]
    );
    let backwards = PARAMS.replace("from = 2021-07-01", "from = 2021-07-01, until = 2021-06-01");
    assert_eq!(
        errors("rule F \"f\" cites \"x#y\" { output fee = params.t.fee }", &backwards),
        ["entitle::pack::invalid_value"]
    );
}

#[test]
fn an_in_force_bound_is_a_date_known_when_compiled() {
    let cases = [
        "in force from params.t.count",
        "in force from params.t.fee",
        "in force until request.item",
        "in force until as_of",
        "in force from 2021-07-01 until 2021-06-30",
        "in force from params.t.since until params.t.since - 1 day",
        "in force until 9999-12-31 + 1 day",
    ];
    for clause in cases {
        let rules = format!("rule R \"r\" cites \"x#y\" {clause} {{ deny \"a\" }}");
        assert_eq!(errors(&rules, PARAMS), ["entitle::check::bad_in_force"], "{clause}");
    }
    assert_eq!(
        errors("rule R \"r\" cites \"x#y\" in force from params.t.sinc { deny \"a\" }", PARAMS),
        ["entitle::check::unknown_param"]
    );
}

#[test]
fn the_cli_lists_and_compares_the_rules_of_a_day() {
    use crate::common::{code, entitle, root, stdout};
    let before = entitle(&root(), &["rules", "--as-of", "2021-01-27"]);
    assert_eq!(code(&before), 0);
    assert!(
        stdout(&before).starts_with("partner-benefits 2.0.0: 36 rules in force on 2021-01-27"),
        "{}",
        stdout(&before)
    );
    assert!(!stdout(&before).contains("LIC-RETIRED-BENEFITS"));
    let from = entitle(&root(), &["rules", "--as-of", "2021-01-28"]);
    assert!(stdout(&from).contains("LIC-RETIRED-BENEFITS  Retired competency benefits\n  in force   from 2021-01-28\n"));
    let bad = entitle(&root(), &["rules", "--as-of", "2021-02-30"]);
    assert_eq!(code(&bad), 2, "an impossible day is a usage error");

    let diff = entitle(
        &root(),
        &[
            "diff",
            "--as-of",
            "2021-01-27",
            "--against",
            "2021-01-28",
            "--format",
            "json",
            "examples/keys/retired_benefits.yaml",
        ],
    );
    assert_eq!(code(&diff), 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&diff)).unwrap();
    assert_eq!(
        doc["rules"],
        serde_json::json!([{"rule": "LIC-RETIRED-BENEFITS", "change": "added", "text_changed": null, "parameters_changed": null}])
    );
    // Every claim of a retired benefit moves from allow to deny, whatever its own date.
    let moved: Vec<&str> =
        doc["scenarios"].as_array().unwrap().iter().map(|s| s["scenario"].as_str().unwrap()).collect();
    assert_eq!(moved.len(), 7, "{moved:?}");
    assert!(moved.iter().all(|m| !m.contains("replaces") && !m.contains("other")), "{moved:?}");
    let lone = entitle(&root(), &["diff", "--as-of", "2021-01-27", "examples"]);
    assert_eq!(code(&lone), 2, "--as-of needs --against");
}

#[test]
fn explain_names_the_version_and_the_dated_values_that_decided() {
    use crate::common::{code, entitle, stdout, write};
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pack/rules")).unwrap();
    let rules = "rule F \"f\" cites \"x#y\" { output fee = params.t.fee }\n\
                 rule R \"r\" cites \"x#y\" in force from params.t.since { deny \"no\" }\n\
                 rule O \"o\" cites \"x#y\" in force until 2020-12-31 { deny \"old\" }\n";
    write(dir.path(), "pack/pack.toml", b"[pack]\nname = \"t\"\nversion = \"1\"\n");
    write(dir.path(), "pack/schema.toml", SCHEMA.as_bytes());
    write(dir.path(), "pack/params.toml", PARAMS.as_bytes());
    write(dir.path(), "pack/rules/t.policy", rules.as_bytes());
    write(dir.path(), "s.yaml", b"scenario: s\nas_of: 2021-07-01\ninput:\n  request: { action: claim }\n");
    let human = entitle(dir.path(), &["explain", "--policy", "pack", "s.yaml"]);
    assert_eq!(code(&human), 0, "{}", stdout(&human));
    let text = stdout(&human);
    assert!(text.contains("denied by R (from 2021-01-28) \"r\": no"), "{text}");
    assert!(text.contains("not in force on 2021-07-01: O (until 2020-12-31)"), "{text}");
    assert!(
        text.contains("dated values read on 2021-07-01: params.t.fee = 150.00 USD (in force from 2021-07-01)"),
        "{text}"
    );
    let json = entitle(dir.path(), &["explain", "--policy", "pack", "--format", "json", "s.yaml"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let s = &doc["scenarios"][0];
    assert_eq!(
        s["dated_values"],
        serde_json::json!([{"param": "t.fee", "value": "150.00 USD", "in_force": {"from": "2021-07-01"}}])
    );
    assert_eq!(s["not_in_force"], serde_json::json!([{"rule": "O", "in_force": {"until": "2020-12-31"}}]));
    let eval = entitle(dir.path(), &["eval", "--policy", "pack", "--format", "json", "s.yaml"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&eval)).unwrap();
    assert_eq!(
        doc["results"][0]["denials"],
        serde_json::json!([{"rule": "R", "message": "no", "in_force": {"from": "2021-01-28"}}])
    );
}
