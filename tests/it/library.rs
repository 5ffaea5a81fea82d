//! The front door as an embedding program uses it: only what the crate root exports.

use crate::common::root;
use entitle::{Date, Decision, Engine, InputValue};
use miette::Diagnostic;

fn as_of() -> Date {
    Date::from_ymd(2021, 9, 15).unwrap()
}

const EXTEND: &str = r#"{
  "subscription": { "active_seats": 100, "ends_on": "2022-01-31" },
  "request": { "action": "extend_end_date", "key_seats": 25 }
}"#;

#[test]
fn json_text_value_and_fields_by_name_give_the_same_outcome() {
    let engine = Engine::shipped().unwrap();
    let from_text = engine.evaluate_json(EXTEND, as_of()).unwrap();
    let value: serde_json::Value = serde_json::from_str(EXTEND).unwrap();
    let from_value = engine.evaluate_value(&value, as_of()).unwrap();
    let input = engine
        .input()
        .set("subscription.active_seats", 100)
        .set("subscription.ends_on", Date::parse("2022-01-31").unwrap())
        .set("request.action", "extend_end_date")
        .set("request.key_seats", 25)
        .build()
        .unwrap();
    let from_fields = engine.evaluate(&input, as_of()).unwrap();
    for decided in [&from_text, &from_value, &from_fields] {
        assert_eq!(decided.decision(), Decision::Allow);
        assert_eq!(decided.output("extension_months").unwrap().to_string(), "3");
        assert_eq!(decided.output("new_end_date").unwrap().as_date(), Date::from_ymd(2022, 4, 30));
        assert!(decided.output("no_such_output").is_none());
    }
    let names: Vec<&str> = from_text.outputs().map(|o| o.name).collect();
    assert_eq!(names, ["extension_months", "new_end_date"]);
}

#[test]
fn decide_gives_the_same_decision_and_rules_without_messages() {
    let engine = Engine::shipped().unwrap();
    let input = engine.input_from_json(&EXTEND.replace("25", "400")).unwrap();
    let full = engine.evaluate(&input, as_of()).unwrap();
    let quiet = engine.decide(&input, as_of()).unwrap();
    assert_eq!(full.decision(), Decision::Deny);
    assert_eq!(quiet.decision(), Decision::Deny);
    let rules = |d: &entitle::Decided<'_>| d.denials().map(|f| f.rule.to_string()).collect::<Vec<_>>();
    assert_eq!(rules(&full), rules(&quiet));
    assert!(full.denials().all(|f| !f.message.is_empty()));
    assert!(quiet.denials().all(|f| f.message.is_empty()));
}

#[test]
fn problems_are_values_with_codes_and_places_in_the_text() {
    let engine = Engine::shipped().unwrap();
    let text = EXTEND.replace("\"active_seats\": 100", "\"active_seats\": \"100\"");
    let problems = engine.evaluate_json(&text, as_of()).unwrap_err();
    let first = problems.iter().next().unwrap();
    assert_eq!(first.code().unwrap().to_string(), "entitle::scenario::wrong_type");
    let label = first.labels().unwrap().next().unwrap();
    assert_eq!(&text[label.offset()..label.offset() + label.len()], "\"100\"");

    let problems = engine.evaluate_json("{\"request\": ", as_of()).unwrap_err();
    assert_eq!(problems.iter().next().unwrap().code().unwrap().to_string(), "entitle::json::syntax");

    let problems = engine.input().set("request.action", "extend").build().unwrap_err();
    assert!(problems.to_string().contains("`extend` is not a value of `input.request.action`"), "{problems}");
    let problems = engine.input().set("request.key_seats", InputValue::number("2.5")).build().unwrap_err();
    assert!(problems.to_string().contains("must be a whole number"), "{problems}");
    assert!(Date::parse("2021-02-30").is_err());
}

#[test]
fn numbers_are_exact_whatever_their_source() {
    let pack = root().join("tests/fixtures/packs/seats");
    let engine = Engine::from_folder(&pack).unwrap();
    assert_eq!(engine.pack(), ("seats", "0.1.0"));
    let decided = engine.evaluate_json(r#"{"order": {"seats": 10, "groups": 3}}"#, as_of()).unwrap();
    let n = decided.output("per_group").unwrap().as_number().unwrap();
    assert_eq!((n.numerator(), n.denominator()), (10, 3));
    assert_eq!(n.to_decimal_string(4), "3.3333");
    assert!((n.to_f64() - 10.0 / 3.0).abs() < 1e-12);

    // An input given through the library is no scenario, and is not called one.
    for (input, said) in [
        (r#"{"order": {"seats": 10}}"#, "needs `order.groups`, which the input does not give"),
        (r#"{"order": {"seats": 10, "groups": 0}}"#, "divides by zero in the input"),
    ] {
        let problems = engine.evaluate_json(input, as_of()).unwrap_err();
        let first = problems.iter().next().unwrap();
        let help = first.help().map(|h| h.to_string()).unwrap_or_default();
        assert!(problems.to_string().contains(said) && !problems.to_string().contains("scenario"), "{problems}");
        assert!(!help.contains("scenario"), "{help}");
    }
    let problems = Engine::from_folder(root().join("tests/fixtures/packs/no_such_pack")).unwrap_err();
    assert!(problems.to_string().contains("does not exist"), "{problems}");
}

#[test]
fn one_engine_serves_many_threads() {
    let engine = Engine::shipped().unwrap();
    let seats = [5, 10, 15, 16, 25, 300, 301, 400];
    let expected: Vec<Decision> = seats
        .iter()
        .map(|s| engine.evaluate_json(&EXTEND.replace("25", &s.to_string()), as_of()).unwrap().decision())
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    seats
                        .iter()
                        .map(|s| {
                            engine.evaluate_json(&EXTEND.replace("25", &s.to_string()), as_of()).unwrap().decision()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), expected);
        }
    });
}
