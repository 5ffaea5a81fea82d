//! `entitle edges`: boundary cases found on a small pack (where each line falls, and
//! which side decides what), and on the shipped pack from templates of the renewal
//! window, the COVID range, the replacement-token deadline and the 3x cap.

use super::language::with_schema;
use crate::common::{code, copy_dir, edit, entitle, root, stderr, stdout};
use entitle::edges::{cases, Case, Template};
use entitle::outcome::Decision;
use entitle::program::{display, Program};

const SCHEMA: &str = r#"
[enums]
action = ["order"]

[input.request]
action = { type = "action", required = true }
amount = { type = "int", min = 0 }
day = "date"

[params.t]
cap = "int"
"#;

const RULES: &str = r#"
rule CAP "cap" cites "x#y" { deny "too many" if request.amount > params.t.cap }
rule LATE "late" cites "x#y" {
  output deadline = request.day + 30 days
  deny "late" if as_of > deadline
}
rule RANGE "range" cites "x#y" { output first_half = request.day in 2021-01-01 ..= 2021-06-30 }
"#;

fn program(rules: &str) -> Program {
    with_schema(SCHEMA, rules, "[t]\ncap = 15\n").build().unwrap_or_else(|e| panic!("{e:?}"))
}

fn template(p: &Program, amount: i64) -> Template {
    let text = format!(
        "scenario: t\nas_of: 2021-03-10\ninput:\n  request: {{ action: order, amount: {amount}, day: 2021-03-01 }}\n"
    );
    let file = entitle::source::SourceFile::new("t.yaml", text);
    let loaded = entitle::scenario::load(&file, p);
    let s = loaded.documents.into_iter().next().and_then(|d| d.result.ok()).unwrap();
    Template { as_of: s.as_of, input: s.input }
}

/// `(rule, thing moved, value, place)` of every case.
fn found(p: &Program, cases: &[Case]) -> Vec<(String, String, String, String)> {
    cases
        .iter()
        .map(|c| {
            let rule = c.rule.and_then(|r| p.rules.get(r)).map_or("-".into(), |r| r.id.clone());
            (rule, c.variable.name().to_string(), display(&c.value, &c.variable.ty(), &p.schema), c.place.to_string())
        })
        .collect()
}

fn has(found: &[(String, String, String, String)], rule: &str, moved: &str, value: &str, place: &str) -> bool {
    found.iter().any(|(r, m, v, pl)| r == rule && m == moved && v == value && pl == place)
}

fn decision(p: &Program, case: &Case) -> Decision {
    entitle::eval::evaluate(p, case.as_of, &case.input, "").map(|o| o.decision).unwrap()
}

#[test]
fn each_line_is_found_below_on_and_above() {
    let p = program(RULES);
    let cs = cases(&p, &[template(&p, 5)], |_| true);
    let f = found(&p, &cs);
    for (value, place) in [("14", "just below"), ("15", "on"), ("16", "just above")] {
        assert!(has(&f, "CAP", "request.amount", value, place), "{value} {place}: {f:?}");
    }
    for (value, place) in [("2021-03-30", "just below"), ("2021-03-31", "on"), ("2021-04-01", "just above")] {
        assert!(has(&f, "LATE", "as_of", value, place), "{value} {place}: {f:?}");
    }
    // The deadline moves with the day: it passes the template's date between Feb 7 and 8.
    assert!(has(&f, "LATE", "request.day", "2021-02-07", "just below"), "{f:?}");
    assert!(has(&f, "LATE", "request.day", "2021-02-08", "on"), "{f:?}");
    for (value, place) in
        [("2020-12-31", "just below"), ("2021-01-01", "on"), ("2021-06-30", "on"), ("2021-07-01", "just above")]
    {
        assert!(has(&f, "RANGE", "request.day", value, place), "{value} {place}: {f:?}");
    }
    // Which side decides what: `>` allows the cap itself.
    let at = |value: &str| {
        cs.iter()
            .find(|c| {
                c.variable.name() == "request.amount"
                    && display(&c.value, &entitle::types::Type::Int, &p.schema) == value
            })
            .unwrap()
    };
    assert_eq!(decision(&p, at("15")), Decision::Allow);
    assert_eq!(decision(&p, at("16")), Decision::Deny);
}

#[test]
fn a_cap_far_from_the_template_is_found_and_bounds_are_kept() {
    let p = program(&RULES.replace("params.t.cap", "params.t.cap * 1000000"));
    let f = found(&p, &cases(&p, &[template(&p, 5)], |_| true));
    assert!(has(&f, "CAP", "request.amount", "15000000", "on"), "{f:?}");
    assert!(has(&f, "CAP", "request.amount", "15000001", "just above"), "{f:?}");
    // `amount` has `min = 0`: no case below it, though `amount >= 0` is a line.
    let p = program("rule Z \"z\" cites \"x#y\" { deny \"none\" if request.amount <= 0 }");
    let f = found(&p, &cases(&p, &[template(&p, 3)], |_| true));
    assert!(has(&f, "Z", "request.amount", "0", "on"), "{f:?}");
    assert!(!f.iter().any(|(_, _, v, _)| v == "-1"), "{f:?}");
}

#[test]
fn only_the_rule_asked_for_and_each_scenario_once() {
    let p = program(RULES);
    let late = p.rules.iter().position(|r| r.id == "LATE").unwrap();
    let cs = cases(&p, &[template(&p, 5)], |i| i == late);
    assert!(!cs.is_empty() && cs.iter().all(|c| c.rule.is_none_or(|r| r == late)));
    let mut seen = std::collections::HashSet::new();
    assert!(cs.iter().all(|c| seen.insert((c.as_of, c.input.clone()))), "a scenario twice");
}

fn templates() -> std::path::PathBuf {
    root().join("tests/fixtures/edges/templates.yaml")
}

#[test]
fn the_shipped_pack_gives_the_edges_of_its_windows_ranges_deadlines_and_caps() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("edges.yaml");
    let o = entitle(&root(), &["edges", "--output", out.to_str().unwrap(), templates().to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("# Boundary cases generated by `entitle edges`"));
    assert!(text.contains("GENERATED, TO BE REVIEWED"));
    let case =
        |needle: &str| text.split("---\n").find(|c| c.contains(needle)).unwrap_or_else(|| panic!("no case {needle}"));
    // The renewal window of a purchase on 2020-09-01: opens on Sep 2, closes on Oct 1.
    let window =
        |day: &str| case(&format!("as_of: {day}\ninput:\n  offer: {{ kind: action_pack, purchased_on: 2020-09-01 }}"));
    assert!(window("2021-09-01").contains("denied_by: [RENEW-WINDOW]"));
    assert!(window("2021-09-02").contains("denied_by: []"));
    assert!(window("2021-10-01").contains("denied_by: []"));
    assert!(window("2021-10-02").contains("denied_by: [RENEW-WINDOW]"));
    // The 3x cap: 15 seats on 5 active are allowed, 16 refused.
    assert!(case("key_seats: 15 }").contains("decision: allow"));
    assert!(case("key_seats: 16 }").contains("denied_by: [EXTEND-3X-CAP]"));
    // The COVID range: anniversaries on 2021-06-30 and 2021-07-01.
    assert!(case("purchased_on: 2020-06-30 }").contains("covid_extended_to: 2022-06-30"));
    assert!(!case("purchased_on: 2020-07-01 }").contains("covid_extended_to"));
    // The replacement-token deadline, 30 days after activation on 2021-06-01.
    assert!(case("as_of: 2021-07-01\ninput:\n  token").contains("decision: allow"));
    assert!(case("as_of: 2021-07-02\ninput:\n  token").contains("denied_by: [TOKEN-REPLACEMENT]"));
    // Calendar edges of the purchase date, with the window of each.
    assert!(text.contains("purchased_on: 2020-02-29 }"), "a leap day");
    assert!(text.contains("a calendar edge of `offer.purchased_on`"));

    // Kept as it is, the file passes; with the window opening one day later, it does not.
    let ok = entitle(&root(), &["test", out.to_str().unwrap()]);
    assert_eq!(code(&ok), 0, "{}", stdout(&ok));
    copy_dir(&root().join("policies"), &dir.path().join("pack"));
    edit(dir.path(), "params.toml", "opens_after = \"1 day\"", "opens_after = \"2 days\"");
    let moved = entitle(dir.path(), &["test", "--policy", "pack", out.to_str().unwrap()]);
    assert_eq!(code(&moved), 1, "{}", stdout(&moved));
    assert!(stdout(&moved).contains("FAIL"), "{}", stdout(&moved));
}

#[test]
fn an_unknown_rule_or_template_is_an_error() {
    let o = entitle(&root(), &["edges", "--rule", "RENEW-WINDW", templates().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("did you mean `RENEW-WINDOW`"), "{}", stderr(&o));
    let o = entitle(&root(), &["edges", "--scenario", "nothing like it", templates().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
}

#[test]
fn a_line_depends_on_what_its_sides_read_through_outputs_and_bindings() {
    let p = program(&format!(
        "{RULES}\nrule USE \"u\" cites \"x#y\" {{\n  let d = deadline\n  deny \"x\" if d < 2021-05-01\n}}"
    ));
    let sites = entitle::edges::sites(&p, |_| true);
    let mut deps = entitle::edges::Dependencies::default();
    let of = |id: &str, deps: &mut entitle::edges::Dependencies| {
        let rule = p.rules.iter().position(|r| r.id == id).unwrap();
        let site = sites.iter().find(|s| s.rule == rule).unwrap();
        deps.of_site(&p, site)
    };
    // request is input part 0; its fields: action 0, amount 1, day 2.
    let used = of("USE", &mut deps);
    assert!(used.moved_by(Some(&[0, 2])), "through the binding and the output to request.day");
    assert!(!used.moved_by(Some(&[0, 1])), "not the amount");
    assert!(!used.moved_by(None), "not the date: the deadline is computed from the day alone");
    let late = of("LATE", &mut deps);
    assert!(late.moved_by(None) && late.moved_by(Some(&[0, 2])) && !late.moved_by(Some(&[0, 1])));
    let cap = of("CAP", &mut deps);
    assert!(cap.moved_by(Some(&[0, 1])) && !cap.moved_by(None));
}
