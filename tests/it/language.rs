//! The language end to end on small in-memory packs: checked, compiled, evaluated.

use entitle::error::Error;
use entitle::outcome::Decision;
use entitle::pack::PackSources;
use entitle::program::display;
use entitle::program::Program;
use entitle::run::Run;
use entitle::source::SourceFile;

const SCHEMA: &str = r#"
[enums]
action = ["go", "stop", "merge"]
level = ["silver", "gold"]

[records.skill]
name = "string"
level = "level"

[records.team]
certified = { type = "bool", default = false }
skills = { type = "list<skill>", default = [] }

[input.request]
action = { type = "action", required = true }
code = "string"
amount = "money(USD)"
seats = { type = "int", min = 1 }
divisor = "int"
start = "date"
urgent = "bool"

[input.merge]
teams = "list<team>"

[params.t]
window = "days"
actions = "list<action>"
pattern = "string"
fee = "money(USD)"
rate = "decimal"
"#;

const PARAMS: &str = r#"
[calendar]
days_per_month = 30
fraction_rounding = "floor"

[t]
window = "30 days"
actions = ["go", "merge"]
pattern = "[A-Z0-9]{5}(-[A-Z0-9]{5}){4}"
fee = "100 USD"
rate = 1.5
"#;

fn sources(rules: &str, params: &str) -> PackSources {
    with_schema(SCHEMA, rules, params)
}

pub(crate) fn with_schema(schema: &str, rules: &str, params: &str) -> PackSources {
    let file = |name: &str, text: &str| (name.to_string(), SourceFile::new(format!("t/{name}"), text.to_string()));
    PackSources {
        files: vec![
            file("pack.toml", "[pack]\nname = \"t\"\nversion = \"1\"\n"),
            file("schema.toml", schema),
            file("params.toml", params),
            file("rules/t.policy", rules),
        ],
    }
}

fn compile(rules: &str) -> Result<Program, Vec<Error>> {
    sources(rules, PARAMS).build()
}

pub(crate) fn codes<E: miette::Diagnostic>(errors: &[E]) -> Vec<String> {
    errors.iter().map(|e| e.code().map(|c| c.to_string()).unwrap_or_default()).collect()
}

/// Evaluates one scenario; returns (decision, denial messages, outputs as text).
pub(crate) fn run(program: &Program, yaml: &str) -> (Decision, Vec<String>, Vec<(String, String)>) {
    let file = SourceFile::new("s.yaml", yaml.to_string());
    let mut r = Run::default();
    r.add_file(program, entitle::scenario::load(&file, program));
    assert!(r.file_errors.is_empty(), "{:?}", r.file_errors);
    let result = r.results.pop().map(|x| x.result);
    let Some(Ok(ev)) = result else { panic!("scenario failed: {result:?}") };
    let outputs = ev
        .outcome
        .outputs
        .iter()
        .filter_map(|(i, v)| program.outputs.get(*i).map(|o| (o.name.clone(), display(v, &o.ty, &program.schema))))
        .collect();
    (ev.outcome.decision, ev.outcome.denials.iter().map(|d| d.message.clone()).collect(), outputs)
}

pub(crate) fn output(outs: &[(String, String)], name: &str) -> String {
    outs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no output {name}"))
}

#[test]
fn date_plus_a_number_is_refused_with_a_hint() {
    let errors = compile("rule A \"a\" cites \"x#y\" { output d = request.start + 30 }").err().unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::check::type_mismatch"]);
    let help = errors.first().and_then(|e| miette::Diagnostic::help(e).map(|h| h.to_string())).unwrap_or_default();
    assert!(help.contains("30 days"), "{help}");
}

#[test]
fn days_and_months_do_not_add_up() {
    let errors = compile("rule A \"a\" cites \"x#y\" { output d = 30 days + 1 month }").err().unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::check::type_mismatch"]);
}

#[test]
fn unknown_names_fields_and_params_are_collected_together() {
    let rules =
        "rule A \"a\" cites \"x#y\" when request.acton == go {\n deny \"{params.t.windw}\" if reqest.code == \"x\"\n}";
    let errors = compile(rules).err().unwrap_or_default();
    assert_eq!(
        codes(&errors),
        ["entitle::check::unknown_field", "entitle::check::unknown_param", "entitle::check::unknown_name"]
    );
}

#[test]
fn a_parameter_value_outside_its_enumeration_is_refused_where_it_is_written() {
    let params = PARAMS.replace("\"merge\"]", "\"marge\"]");
    let errors = sources("rule A \"a\" cites \"x#y\" when request.action in params.t.actions { deny \"no\" }", &params)
        .build()
        .err()
        .unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::pack::wrong_type"]);
    let text = format!("{:?}", errors.first().map(|e| miette::Diagnostic::labels(e).map(|l| l.collect::<Vec<_>>())));
    let at = PARAMS.replace("\"merge\"]", "\"marge\"]").find("\"marge\"").unwrap_or_default();
    assert!(text.contains(&format!("offset: SourceOffset({at})")), "{text}");
}

#[test]
fn guards_effects_and_interpolation() {
    let p = compile(
        "rule A \"a\" cites \"x#y\" when request.action in params.t.actions {\n\
         output until = request.start + params.t.window\n\
         deny \"too late: the last day was {until}\" if as_of > until\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let (d, denials, outs) =
        run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, start: 2021-01-01 }\n");
    assert_eq!(d, Decision::Deny);
    assert_eq!(denials, ["too late: the last day was 2021-01-31"]);
    assert_eq!(output(&outs, "until"), "2021-01-31");
    let (d, _, outs) =
        run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: stop, start: 2021-01-01 }\n");
    assert_eq!(d, Decision::Allow);
    assert!(outs.is_empty(), "a rule whose guard fails writes nothing");
}

#[test]
fn presence_tests_guard_optional_fields() {
    let p = compile("rule A \"a\" cites \"x#y\" { deny \"a code is required\" if request.code is absent }")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let (d, _, _) = run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go }\n");
    assert_eq!(d, Decision::Deny);
    let (d, _, _) = run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, code: x }\n");
    assert_eq!(d, Decision::Allow);
}

#[test]
fn patterns_are_whole_string_matches() {
    let p = compile("rule A \"a\" cites \"x#y\" { deny \"bad key {request.code}\" if not matches(upper(request.code), params.t.pattern) }")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let key = |k: &str| {
        run(&p, &format!("scenario: s\nas_of: 2021-02-01\ninput:\n  request: {{ action: go, code: \"{k}\" }}\n")).0
    };
    assert_eq!(key("abcde-12345-ABCDE-12345-ABCDE"), Decision::Allow);
    assert_eq!(key("ABCDE-12345-ABCDE-12345-ABCDE-"), Decision::Deny);
    assert_eq!(key("ABCD-12345-ABCDE-12345-ABCDE"), Decision::Deny);
}

#[test]
fn an_invalid_pattern_is_reported_in_the_toml() {
    let params = PARAMS.replace("{4}\"", "{4\"");
    let errors =
        sources("rule A \"a\" cites \"x#y\" { deny \"x\" if matches(request.code, params.t.pattern) }", &params)
            .build()
            .err()
            .unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::check::bad_pattern"]);
}

#[test]
fn quantifiers_comprehensions_and_list_functions() {
    let p = compile(
        "rule M \"m\" cites \"x#y\" when request.action == merge {\n\
         output packs = if any(a in merge.teams: a.certified) then 1 else 0\n\
         output level = if any(a in merge.teams: any(c in a.skills: c.level == gold)) then \"gold\" else \"none\"\n\
         output names = sort(distinct([c.name for a in merge.teams for c in a.skills]))\n\
         output golds = count([c for a in merge.teams for c in a.skills if c.level == gold])\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let yaml = "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: merge }\n  merge:\n    teams:\n      - { certified: true, skills: [{ name: B, level: silver }, { name: A, level: gold }] }\n      - { skills: [{ name: B, level: gold }] }\n";
    let (_, _, outs) = run(&p, yaml);
    assert_eq!(output(&outs, "packs"), "1");
    assert_eq!(output(&outs, "level"), "gold");
    assert_eq!(output(&outs, "names"), "A, B");
    assert_eq!(output(&outs, "golds"), "2");
}

#[test]
fn date_parts_and_anniversaries_in_a_year() {
    let p = compile(
        "rule D \"d\" cites \"x#y\" when request.action == go {\n\
         output y = year(request.start)\n\
         output m = month(request.start)\n\
         output d = day(request.start)\n\
         output this_year = anniversary_in(request.start, year(as_of))\n\
         output earlier = anniversary_in(request.start, 2019)\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let (_, _, outs) =
        run(&p, "scenario: s\nas_of: 2023-06-01\ninput:\n  request: { action: go, start: 2020-02-29 }\n");
    assert_eq!(output(&outs, "y"), "2020");
    assert_eq!(output(&outs, "m"), "2");
    assert_eq!(output(&outs, "d"), "29");
    assert_eq!(output(&outs, "this_year"), "2023-02-28", "Feb 29 falls on Feb 28 in a common year");
    assert_eq!(output(&outs, "earlier"), "2019-02-28");
    let (_, _, outs) =
        run(&p, "scenario: s\nas_of: 2024-06-01\ninput:\n  request: { action: go, start: 2020-02-29 }\n");
    assert_eq!(output(&outs, "this_year"), "2024-02-29");
}

#[test]
fn names_compare_ignoring_case_and_spacing() {
    let p = compile(
        "rule N \"n\" cites \"x#y\" when request.action == go {\n\
         let names = [\"Cloud Platform\", \"Security\"]\n\
         output folded = fold(request.code)\n\
         output known = known_as(request.code, names)\n\
         output near = closest(request.code, names)\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let scenario =
        |code: &str| format!("scenario: s\nas_of: 2021-02-01\ninput:\n  request: {{ action: go, code: \"{code}\" }}\n");
    let (_, _, outs) = run(&p, &scenario(" cloud  PLATFORM "));
    assert_eq!(output(&outs, "folded"), "cloud platform");
    assert_eq!(output(&outs, "known"), "Cloud Platform");
    assert_eq!(output(&outs, "near"), "", "a known name is no misspelling");
    let (_, _, outs) = run(&p, &scenario("Securty  x"));
    assert_eq!(output(&outs, "known"), "Securty x", "an unknown name keeps its case, spacing squished");
    let (_, _, outs) = run(&p, &scenario("Securty"));
    assert_eq!(output(&outs, "near"), "Security");
}

#[test]
fn exact_arithmetic_money_and_division_by_zero() {
    let p = compile(
        "rule A \"a\" cites \"x#y\" {\n\
         output total = params.t.fee * params.t.rate\n\
         output share = 10 / request.divisor\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let (_, _, outs) = run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, divisor: 3 }\n");
    assert_eq!(output(&outs, "total"), "150.00 USD");
    assert_eq!(output(&outs, "share"), "3.333333333");
    let file =
        SourceFile::new("s.yaml", "scenario: zero\nas_of: 2021-02-01\ninput:\n  request: { action: go, divisor: 0 }\n");
    let mut r = Run::default();
    r.add_file(&p, entitle::scenario::load(&file, &p));
    let errors = r.results.pop().and_then(|x| x.result.err()).unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::eval::division_by_zero"]);
    assert!(errors.first().map(|e| e.to_string()).unwrap_or_default().contains("`zero`"));
}

#[test]
fn reading_an_absent_field_names_the_field_and_the_rule() {
    let p = compile("rule NEEDS-START \"a\" cites \"x#y\" { output d = request.start + 1 day }")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let file = SourceFile::new("s.yaml", "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go }\n");
    let mut r = Run::default();
    r.add_file(&p, entitle::scenario::load(&file, &p));
    let errors = r.results.pop().and_then(|x| x.result.err()).unwrap_or_default();
    let text = errors.first().map(|e| e.to_string()).unwrap_or_default();
    assert!(text.contains("NEEDS-START") && text.contains("request.start"), "{text}");
}

#[test]
fn outputs_order_rules_and_exclusive_guards_may_share_an_output() {
    let p = compile(
        "rule LATE \"b\" cites \"x#y\" { deny \"ends {end}\" if end > 2021-12-31 }\n\
         rule GO \"a\" cites \"x#y\" when request.action == go { output end = request.start + 1 year }\n\
         rule STOP \"c\" cites \"x#y\" when request.action == stop { output end = request.start }",
    );
    let p = p.unwrap_or_else(|e| panic!("{e:?}"));
    let ids: Vec<&str> = p.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["GO", "STOP", "LATE"], "writers run before their readers");
    let (d, _, _) = run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, start: 2021-06-01 }\n");
    assert_eq!(d, Decision::Deny);
}

#[test]
fn two_rules_that_can_apply_together_may_not_write_one_output() {
    let errors = compile(
        "rule A \"a\" cites \"x#y\" when request.action == go { output x = 1 }\n\
         rule B \"b\" cites \"x#y\" when request.action in [go, stop] { output x = 2 }",
    )
    .err()
    .unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::check::duplicate"]);
}

#[test]
fn schema_constraints_are_checked_on_input() {
    let p =
        compile("rule A \"a\" cites \"x#y\" { deny \"x\" if request.seats > 3 }").unwrap_or_else(|e| panic!("{e:?}"));
    let file =
        SourceFile::new("s.yaml", "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, seats: 0 }\n");
    let loaded = entitle::scenario::load(&file, &p);
    let errors = loaded.documents.into_iter().next().and_then(|d| d.result.err()).unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::scenario::out_of_range"]);
}

#[test]
fn yaml_scalars_are_typed_by_the_schema_not_guessed() {
    let p =
        compile("rule A \"a\" cites \"x#y\" { deny \"x\" if request.seats > 3 }").unwrap_or_else(|e| panic!("{e:?}"));
    for (value, ok) in [("010", false), ("\"5\"", false), ("5", true), ("99999999999999999999", false), ("1e3", false)]
    {
        let text = format!("scenario: s\nas_of: 2021-02-01\ninput:\n  request: {{ action: go, seats: {value} }}\n");
        let loaded = entitle::scenario::load(&SourceFile::new("s.yaml", text), &p);
        let good = loaded.documents.first().is_some_and(|d| d.result.is_ok());
        assert_eq!(good, ok, "{value}");
    }
    let text = "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, code: no }\n";
    let loaded = entitle::scenario::load(&SourceFile::new("s.yaml", text), &p);
    assert!(loaded.documents.first().is_some_and(|d| d.result.is_ok()), "`no` is a string where a string is declared");
}

#[test]
fn notes_inform_without_changing_the_decision() {
    let p = compile(
        "rule A \"a\" cites \"x#y\" {\n note \"started on {request.start}\" if request.start is present\n}\n\
         rule B \"b\" cites \"x#y\" { warn \"careful\" }",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let file = SourceFile::new("s.yaml", "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, start: 2021-01-01 }\nexpect: { decision: allow, notes: [A], warnings: [B] }\n");
    let mut r = Run::default();
    r.add_file(&p, entitle::scenario::load(&file, &p));
    let Some(Ok(ev)) = r.results.pop().map(|x| x.result) else { panic!("scenario failed") };
    assert_eq!(ev.outcome.decision, Decision::Allow);
    let notes: Vec<&str> = ev.outcome.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(notes, ["started on 2021-01-01"]);
    assert_eq!(ev.mismatches.as_deref(), Some(&[][..]));
}

#[test]
fn a_bare_value_in_a_list_belongs_to_the_list_items_enumeration() {
    let p = compile(
        "rule A \"a\" cites \"x#y\" when request.action == merge {\n\
         let levels = [s.level for t in merge.teams for s in t.skills]\n\
         output best = if gold in levels then \"gold\" else if silver not in levels then \"none\" else \"silver\"\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let team = |level: &str| format!("{{ skills: [{{ name: x, level: {level} }}] }}");
    for (teams, best) in [
        (format!("[{}, {}]", team("silver"), team("gold")), "gold"),
        (format!("[{}]", team("silver")), "silver"),
        ("[{}]".to_string(), "none"),
    ] {
        let yaml = format!(
            "scenario: s\nas_of: 2021-02-01\ninput:\n  request: {{ action: merge }}\n  merge: {{ teams: {teams} }}\n"
        );
        let (_, _, outs) = run(&p, &yaml);
        assert_eq!(output(&outs, "best"), best, "{teams}");
    }
    let errors =
        compile("rule A \"a\" cites \"x#y\" { output b = bronze in [s.level for t in merge.teams for s in t.skills] }")
            .err()
            .unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::check::not_a_value"]);
}

#[test]
fn work_on_constants_is_done_once_with_the_same_results() {
    let params = format!("{PARAMS}names = [\"Cloud Platform\", \"Security\", \"cloud  platform\"]\nzero = 0\n");
    let schema = format!("{SCHEMA}names = \"list<string>\"\nzero = \"int\"\n");
    let rules = "rule F \"f\" cites \"x#y\" when request.action == go {\n\
         output folded = fold(request.code) in [fold(n) for n in params.t.names]\n\
         output known = known_as(request.code, params.t.names)\n\
         output near = closest(request.code, params.t.names)\n\
         output window = params.t.window + days(count(params.t.names))\n\
         output each = [known_as(n, params.t.names) for n in [request.code, \"security\"]]\n\
         output share = 10 / params.t.zero if request.code == \"zero\"\n\
         output nested = [count([m for m in params.t.names if fold(m) == fold(n)]) for n in params.t.names]\n\
         output inner = any(n in [request.code]: n not in [m for m in params.t.names if m != n])\n}";
    let p = with_schema(&schema, rules, &params).build().unwrap_or_else(|e| panic!("{e:?}"));
    let compiled = format!("{:?}", p.rules);
    // The comprehension over parameters, the window and `nested` as a whole; not
    // the comprehension over the input, nor `10 / 0`, which has no value, nor the
    // list in `inner`, which reads the quantifier's variable.
    assert_eq!(compiled.matches("Folded {").count(), 3, "{compiled}");
    assert_eq!(compiled.matches("names: Some(").count(), 3, "each call over the list has its names folded once");
    let scenario =
        |code: &str| format!("scenario: s\nas_of: 2021-02-01\ninput:\n  request: {{ action: go, code: \"{code}\" }}\n");
    let (_, _, outs) = run(&p, &scenario(" CLOUD  platform "));
    assert_eq!(output(&outs, "folded"), "true");
    assert_eq!(output(&outs, "known"), "Cloud Platform", "the first spelling listed");
    assert_eq!(output(&outs, "near"), "");
    assert_eq!(output(&outs, "window"), "33 days");
    assert_eq!(output(&outs, "each"), "Cloud Platform, Security");
    let (_, _, outs) = run(&p, &scenario("Securty"));
    assert_eq!(output(&outs, "folded"), "false");
    assert_eq!(output(&outs, "known"), "Securty");
    assert_eq!(output(&outs, "near"), "Security");
    assert_eq!(output(&outs, "nested"), "2, 1, 2");
    assert_eq!(output(&outs, "inner"), "true");
    // A constant without a value is left to fail where it is evaluated, as before.
    let file = SourceFile::new("s.yaml", scenario("zero"));
    let mut r = Run::default();
    r.add_file(&p, entitle::scenario::load(&file, &p));
    let errors = r.results.pop().and_then(|x| x.result.err()).unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::eval::division_by_zero"]);
}

#[test]
fn a_pack_of_many_outputs_and_bindings_evaluates_alike() {
    // Slots live on the stack up to 32 (4, 16 or 32 of them), beyond that per thread.
    for count in [1, 3, 15, 31, 40] {
        let body: String =
            (0..count).map(|i| format!("  let b{i} = request.seats + {i}\n  output o{i} = b{i} * 2\n")).collect();
        let p = compile(&format!("rule W \"w\" cites \"x#y\" {{\n{body}}}")).unwrap_or_else(|e| panic!("{e:?}"));
        let (_, _, outs) = run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, seats: 5 }\n");
        assert_eq!(outs.len(), count);
        for i in 0..count {
            assert_eq!(output(&outs, &format!("o{i}")), ((5 + i) * 2).to_string(), "{count} outputs");
        }
    }
}

/// Every comparison, in a condition, of dates, durations, numbers and text: read in
/// place (an input field, `as_of`, a binding, a constant) and computed, on either
/// side of equality.
#[test]
fn every_comparison_holds_exactly_where_it_should() {
    let forms = [
        ("as_of", "request.start"),
        ("as_of", "request.start + 0 days"),
        ("gap", "0 days"),
        ("request.seats", "request.divisor"),
        ("request.seats + 0", "request.divisor"),
        ("request.code", "\"m\""),
    ];
    let ops = [("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">="), ("eq", "=="), ("ne", "!=")];
    let mut rules = String::from("rule A \"a\" cites \"x#y\" {\n  let gap = as_of - request.start\n");
    for (i, (lhs, rhs)) in forms.iter().enumerate() {
        for (name, op) in ops {
            rules.push_str(&format!("  deny \"{i} {name}\" if {lhs} {op} {rhs}\n"));
        }
    }
    rules.push('}');
    let p = compile(&rules).unwrap_or_else(|e| panic!("{e:?}"));
    // Left below, equal to and above right, in every form at once.
    let cases = [
        ("2021-01-01", 1, "a", ["lt", "le", "ne"]),
        ("2021-01-02", 2, "m", ["le", "ge", "eq"]),
        ("2021-01-03", 3, "z", ["gt", "ge", "ne"]),
    ];
    for (as_of, seats, code, holding) in cases {
        let yaml = format!(
            "scenario: s\nas_of: {as_of}\ninput:\n  request: {{ action: go, start: 2021-01-02, seats: {seats}, divisor: 2, code: {code} }}\n"
        );
        let (_, denials, _) = run(&p, &yaml);
        let expected: Vec<String> =
            (0..forms.len()).flat_map(|i| holding.iter().map(move |name| format!("{i} {name}"))).collect();
        let mut denials = denials;
        denials.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(denials, expected, "as_of {as_of}, seats {seats}, code {code}");
    }
}

/// The rule ids an `expect` block lists are compared with those that acted, both
/// ways: one listed that did not act is missing, one that acted unlisted is
/// unexpected, and a rule acting twice counts once.
#[test]
fn expected_rule_ids_are_missing_or_unexpected() {
    use entitle::scenario::Mismatch;
    let p = compile(
        "rule A \"a\" cites \"x#y\" when request.action == go {\n  note \"a\"\n  note \"again\"\n}\n\
         rule B \"b\" cites \"x#y\" when request.action == stop {\n  note \"b\"\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let rules = |action: &str, listed: &str| -> Vec<(Vec<String>, Vec<String>)> {
        let yaml = format!(
            "scenario: s\nas_of: 2021-01-01\ninput:\n  request: {{ action: {action} }}\nexpect:\n  notes: [{listed}]\n"
        );
        let file = SourceFile::new("s.yaml", yaml);
        let mut r = Run::default();
        r.add_file(&p, entitle::scenario::load(&file, &p));
        let Some(Ok(ev)) = r.results.pop().map(|x| x.result) else { panic!("not evaluated") };
        let mismatches = ev.mismatches.unwrap_or_default();
        mismatches
            .into_iter()
            .filter_map(|m| match m {
                Mismatch::Rules { missing, unexpected, .. } => Some((missing, unexpected)),
                _ => None,
            })
            .collect()
    };
    let strings = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(rules("go", "A"), []);
    assert_eq!(rules("go", "A, B"), [(strings(&["B"]), strings(&[]))]);
    assert_eq!(rules("go", ""), [(strings(&[]), strings(&["A"]))]);
    assert_eq!(rules("stop", "A"), [(strings(&["A"]), strings(&["B"]))]);
    assert_eq!(rules("merge", "B"), [(strings(&["B"]), strings(&[]))]);
}

/// A truth value already there (an input field, a binding) decides a condition as it
/// is, negated, and combined.
#[test]
fn truth_values_read_in_place_decide_conditions() {
    let p = compile(
        "rule A \"a\" cites \"x#y\" {\n  let flag = request.urgent\n\
         deny \"field\" if request.urgent\n  deny \"not field\" if not request.urgent\n\
         deny \"binding\" if flag\n  deny \"not binding\" if not flag\n\
         deny \"both\" if request.urgent and flag\n  deny \"either\" if not request.urgent or flag\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let denials = |urgent: bool| {
        let yaml = format!("scenario: s\nas_of: 2021-01-01\ninput:\n  request: {{ action: go, urgent: {urgent} }}\n");
        run(&p, &yaml).1
    };
    assert_eq!(denials(true), ["field", "binding", "both", "either"]);
    assert_eq!(denials(false), ["not field", "not binding", "either"]);
}

#[test]
fn a_value_of_an_enumeration_is_a_value_anywhere_its_enumeration_is_known() {
    let rules = "rule E \"e\" cites \"x#y\" {\n\
         let best = gold\n\
         output tier = if request.urgent then best else silver\n\
         output declared: level = if request.urgent then gold else silver\n\
         output levels = [gold, silver]\n\
         output typed: list<level> = []\n\
         output same = tier == declared\n\
         output next: action = if request.action == go then stop else go\n}";
    let p = compile(rules).unwrap_or_else(|e| panic!("{e:?}"));
    let yaml = |urgent: bool| {
        format!("scenario: s\nas_of: 2021-02-01\ninput:\n  request: {{ action: go, urgent: {urgent} }}\n")
    };
    let (_, _, outs) = run(&p, &yaml(true));
    assert_eq!(output(&outs, "tier"), "gold");
    assert_eq!(output(&outs, "declared"), "gold");
    assert_eq!(output(&outs, "levels"), "gold, silver");
    assert_eq!(output(&outs, "same"), "true");
    assert_eq!(output(&outs, "next"), "stop");
    let (_, _, outs) = run(&p, &yaml(false));
    assert_eq!(output(&outs, "tier"), "silver");
    assert_eq!(output(&outs, "declared"), "silver");
    let types: Vec<String> = p.outputs.iter().map(|o| entitle::types::Display(&o.ty, &p.schema).to_string()).collect();
    let names: Vec<&str> = p.outputs.iter().map(|o| o.name.as_str()).collect();
    let typed = |n: &str| names.iter().position(|x| *x == n).and_then(|i| types.get(i)).cloned().unwrap_or_default();
    assert_eq!(typed("tier"), "level");
    assert_eq!(typed("levels"), "list<level>");
    assert_eq!(typed("typed"), "list<level>");
    assert_eq!(typed("next"), "action");
}

#[test]
fn a_declared_output_type_is_checked_and_says_which_enumeration() {
    let errors = |rules: &str| compile(rules).err().unwrap_or_default();
    let one = |rules: &str| {
        let e = errors(rules);
        assert_eq!(e.len(), 1, "{e:?}");
        let help = e.first().and_then(|e| miette::Diagnostic::help(e).map(|h| h.to_string())).unwrap_or_default();
        (codes(&e).pop().unwrap_or_default(), e.first().map(|e| e.to_string()).unwrap_or_default(), help)
    };
    let (code, _, help) = one("rule E \"e\" cites \"x#y\" { output t: level = bronze }");
    assert_eq!(code, "entitle::check::not_a_value");
    assert!(help.contains("silver, gold"), "{help}");
    let (code, message, _) = one("rule E \"e\" cites \"x#y\" { output t: level = request.code }");
    assert_eq!(code, "entitle::check::type_mismatch");
    assert!(message.contains("output `t` is declared level"), "{message}");
    let (_, message, help) = one("rule E \"e\" cites \"x#y\" { output t: levle = gold }");
    assert!(message.contains("`levle` is not a type"), "{message}");
    assert_eq!(help, "did you mean `level`?");
    let (_, message, _) = one("rule E \"e\" cites \"x#y\" { output t: skill = gold }");
    assert!(message.contains("`skill` is not a type an output can have"), "{message}");
    // Still an unknown name when no enumeration has it.
    assert_eq!(codes(&errors("rule E \"e\" cites \"x#y\" { output t = bronze }")), ["entitle::check::unknown_name"]);
}

#[test]
fn a_value_of_several_enumerations_needs_its_type_said() {
    let schema = SCHEMA.replacen("[enums]\n", "[enums]\nmedal = [\"bronze\", \"gold\"]\n", 1);
    let build = |rules: &str| with_schema(&schema, rules, PARAMS).build();
    let errors = build("rule E \"e\" cites \"x#y\" { output t = gold }").err().unwrap_or_default();
    assert_eq!(codes(&errors), ["entitle::check::type_mismatch"]);
    let text = errors.first().map(|e| e.to_string()).unwrap_or_default();
    assert!(text.contains("`gold` is a value of several enumerations: `medal`, `level`"), "{text}");
    let p = build(
        "rule E \"e\" cites \"x#y\" { output t: medal = gold\n output u: level = gold\n\
         output v = if request.urgent then gold else t\n output w = if request.urgent then u else gold }",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let (_, _, outs) = run(&p, "scenario: s\nas_of: 2021-02-01\ninput:\n  request: { action: go, urgent: true }\n");
    assert_eq!((output(&outs, "t"), output(&outs, "u")), ("gold".to_string(), "gold".to_string()));
    // Either branch says which enumeration the other's bare value belongs to.
    let ty = |name: &str| {
        let o = p.outputs.iter().find(|o| o.name == name);
        o.map(|o| entitle::types::Display(&o.ty, &p.schema).to_string()).unwrap_or_default()
    };
    assert_eq!((ty("v"), ty("w")), ("medal".to_string(), "level".to_string()));
}

/// The ways seen and required at `level`, and the texts of the ways not seen, over
/// scenarios given as YAML documents.
fn coverage_at(p: &Program, level: entitle::coverage::Level, yaml: &str) -> (u32, u32, Vec<String>) {
    let file = SourceFile::new("s.yaml", yaml.to_string());
    let mut r = Run::with_coverage(p);
    r.add_file(p, entitle::scenario::load(&file, p));
    assert!(r.file_errors.is_empty(), "{:?}", r.file_errors);
    let mut c = r.coverage.take().unwrap_or_else(|| panic!("no coverage"));
    c.level = level;
    let s = entitle::coverage::Summary::of(&c.points(p));
    let text = entitle::report::coverage::human(p, &c);
    let missing = text.lines().filter(|l| l.starts_with("         ")).map(|l| l.trim().to_string()).collect();
    (s.seen, s.total, missing)
}

#[test]
fn branch_and_mcdc_coverage_count_each_branch_and_each_deciding_operand() {
    use entitle::coverage::Level;
    let p = compile(
        "rule C \"c\" cites \"x#y\" {\n\
         output tier = if request.urgent then gold else silver\n\
         deny \"no\" if request.seats > 3 and (request.code == \"a\" or request.code == \"b\")\n}",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let doc = |urgent: bool, seats: i32, code: &str| {
        format!("scenario: u{urgent} s{seats} {code}\nas_of: 2021-02-01\ninput:\n  request: {{ action: go, urgent: {urgent}, seats: {seats}, code: {code} }}\n")
    };
    // Urgent only, and the chains decided by their first operands only.
    let few = [doc(true, 5, "a"), doc(true, 1, "a")].join("---\n");
    // Rules: the guard (unconditional: 1 way), the output (1), the deny (2).
    let (seen, total, _) = coverage_at(&p, Level::Rules, &few);
    assert_eq!((seen, total), (4, 4));
    // Branches: + the if (2 ways), the `and` (2), the `or` (2).
    let (seen, total, missing) = coverage_at(&p, Level::Branches, &few);
    assert_eq!((seen, total), (8, 10), "{missing:?}");
    assert!(missing.iter().any(|m| m.ends_with("this `if` never took its `else` branch")), "{missing:?}");
    assert!(missing.iter().any(|m| m.ends_with("this `or` was never false")), "{missing:?}");
    // MC/DC: + 2 operands of `and` and 2 of `or`, each needing its own decision and
    // the chain's other outcome with every operand needed.
    let (seen, total, missing) = coverage_at(&p, Level::Mcdc, &few);
    assert_eq!(total, 18, "{missing:?}");
    assert!(
        missing.iter().any(|m| m
            .ends_with("operand 2 of this `and` never decided it on its own (false, every operand before it true)")),
        "{missing:?}"
    );
    assert!(
        missing
            .iter()
            .any(|m| m
                .ends_with("operand 2 of this `or` never decided it on its own (true, every operand before it false)")),
        "{missing:?}"
    );
    assert_eq!(seen, 12, "{missing:?}");
    // Enough scenarios: every operand shown to decide on its own.
    let all = [doc(true, 5, "a"), doc(false, 1, "a"), doc(true, 5, "b"), doc(true, 5, "c")].join("---\n");
    let (seen, total, missing) = coverage_at(&p, Level::Mcdc, &all);
    assert_eq!((seen, total), (18, 18), "{missing:?}");
    // Without the first `or` operand true, it is never shown to decide.
    let some = [doc(true, 5, "b"), doc(false, 1, "a"), doc(true, 5, "c")].join("---\n");
    let (_, _, missing) = coverage_at(&p, Level::Mcdc, &some);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0]
            .ends_with("operand 1 of this `or` never decided it on its own (true, every operand before it false)"),
        "{missing:?}"
    );
}
