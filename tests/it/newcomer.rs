//! The diagnostics a new user scored 1-2 out of 5 (shared research, newcomer
//! study), each with what it says now: where the problem began and how to fix it.

use crate::common::*;

const SEATS: &str = "tests/fixtures/packs/seats";

/// A folder holding a copy of the seats pack in `pack/`, so that reports name
/// relative paths.
fn seats_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(SEATS), &dir.path().join("pack"));
    dir
}

/// `check` of a copy of the shipped pack whose membership rules are `text`.
fn check_with_rules(text: &[u8]) -> (String, i32) {
    let dir = pack_copy();
    std::fs::write(dir.path().join("pack/rules/membership.policy"), text).unwrap();
    let o = entitle(dir.path(), &["check", "--policy", "pack"]);
    (stderr(&o), code(&o))
}

fn membership() -> String {
    std::fs::read_to_string(root().join("policies/rules/membership.policy")).unwrap()
}

#[test]
fn a_byte_order_mark_is_accepted_in_rule_files() {
    let mut text = "\u{feff}".as_bytes().to_vec();
    text.extend_from_slice(membership().as_bytes());
    let (err, code) = check_with_rules(&text);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_missing_closing_brace_points_at_the_open_one() {
    let text = membership();
    let cut = text.trim_end().strip_suffix('}').unwrap();
    let (err, code) = check_with_rules(cut.as_bytes());
    assert_eq!(code, 2);
    assert!(err.contains("`{` is not closed"), "{err}");
    assert!(err.contains("opened here") && err.contains("the file ends here"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn an_unterminated_string_names_where_it_began() {
    let text = membership().replacen("deny \"", "deny \"never closed ", 1);
    let text = text.replacen("never closed ", "never closed \n//", 1);
    let (err, code) = check_with_rules(text.as_bytes());
    assert_eq!(code, 2);
    assert!(err.contains("this string is not closed"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_too_large_whole_number_gives_the_range() {
    let dir = seats_dir();
    let text = "scenario: big\nas_of: 2021-09-15\ninput:\n  order: { seats: 99999999999999999999, groups: 1 }\n";
    write(dir.path(), "big.yaml", text.as_bytes());
    let o = entitle(dir.path(), &["eval", "--policy", "pack", "big.yaml"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2);
    assert!(err.contains("`99999999999999999999` is too large for `input.order.seats`"), "{err}");
    assert!(err.contains("between -9223372036854775808 and 9223372036854775807"), "{err}");
}

#[test]
fn a_merge_key_says_it_is_not_supported() {
    let dir = seats_dir();
    let text = "scenario: merged\nas_of: 2021-09-15\ninput:\n  order: { <<: { seats: 4 }, groups: 2 }\n";
    write(dir.path(), "m.yaml", text.as_bytes());
    let o = entitle(dir.path(), &["eval", "--policy", "pack", "m.yaml"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2);
    assert!(err.contains("YAML merge keys (`<<`) are not supported"), "{err}");
    assert!(!err.contains("unknown field `<<`"), "reported once: {err}");
    insta::assert_snapshot!(err);
}

#[test]
fn explain_suggests_a_scenario_named_in_another_case() {
    let o = entitle(
        &root(),
        &["explain", "examples/renewal", "--scenario", "a partner without an action pack can BUY one"],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("did you mean `A partner without an Action Pack can buy one`?"), "{}", stderr(&o));
}

#[test]
fn a_missing_field_points_into_the_scenario_and_is_drawn_once_for_many() {
    let dir = seats_dir();
    let docs: Vec<String> = (1..=4)
        .map(|i| format!("scenario: no seats {i}\nas_of: 2021-09-15\ninput:\n  order: {{ groups: 2 }}\n"))
        .chain(["scenario: no order\nas_of: 2021-09-15\ninput: {}\n".to_string()])
        .collect();
    write(dir.path(), "s.yaml", docs.join("---\n").as_bytes());
    let o = entitle(dir.path(), &["eval", "--policy", "pack", "s.yaml"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2);
    assert_eq!(err.matches("╰── read here").count(), 1, "one drawing of the rule:\n{err}");
    assert!(
        err.contains("the same in 4 more scenarios: `no seats 2`, `no seats 3`, `no seats 4`, `no order`"),
        "{err}"
    );
    assert!(err.contains("scenario `no seats 1` gives `order` without `seats`"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_division_by_zero_points_into_the_scenario() {
    let dir = seats_dir();
    write(
        dir.path(),
        "z.yaml",
        b"scenario: zero groups\nas_of: 2021-09-15\ninput:\n  order: { seats: 4, groups: 0 }\n",
    );
    let o = entitle(dir.path(), &["eval", "--policy", "pack", "z.yaml"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2);
    assert!(err.contains("divides by zero in scenario `zero groups`"), "{err}");
    assert!(err.contains("z.yaml:1:1"), "the scenario is located: {err}");
}

#[test]
fn a_quantifier_without_its_colon_says_how_it_reads() {
    let text = membership().replacen("{\n", "{\n  output n = count(c in partner.competencies)\n", 1);
    let (err, code) = check_with_rules(text.as_bytes());
    assert_eq!(code, 2);
    assert!(err.contains("expected an operator, `:` and a condition"), "{err}");
    assert!(err.contains("a quantifier reads `any(x in list: condition)`"), "{err}");
}
