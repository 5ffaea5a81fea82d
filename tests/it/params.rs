//! Typed parameters: each parameter's type is declared in schema.toml, and a value
//! in params.toml that does not fit is reported there, on the value, with its fix
//! (the mistakes of the newcomer study, which were reported at the rules or not at
//! all).

use crate::common::*;

/// `check` with `options` of a copy of the shipped pack with `edits` made to its files.
fn check_with(edits: &[(&str, &str, &str)], options: &[&str]) -> std::process::Output {
    let dir = pack_copy();
    for (file, from, to) in edits {
        edit(dir.path(), file, from, to);
    }
    let args: Vec<&str> = ["check", "--policy", "pack"].iter().chain(options).copied().collect();
    entitle(dir.path(), &args)
}

/// `check` of a copy of the shipped pack with `edits` made to its files.
fn check(edits: &[(&str, &str, &str)]) -> (String, i32) {
    let o = check_with(edits, &[]);
    (stderr(&o), code(&o))
}

/// The messages and helps of a check's output, one per diagnostic, in order.
fn summary(err: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in err.lines().map(str::trim) {
        if let Some(m) = line.strip_prefix("× ") {
            out.push(m.to_string());
        } else if let (Some(h), Some(last)) = (line.strip_prefix("help: "), out.last_mut()) {
            last.push_str(" | ");
            last.push_str(h);
        } else if let (Some(at), Some(last)) = (line.strip_prefix("╭─["), out.last_mut()) {
            last.push_str(" @ ");
            last.push_str(at.trim_end_matches(']'));
        }
    }
    out
}

#[test]
fn each_mistake_of_a_value_is_reported_on_the_value_with_its_fix() {
    let (err, code) = check(&[
        ("params.toml", "opens_after = \"1 day\"", "opens_after = \"1 dya\""),
        ("params.toml", "closes_after = \"30 days\"", "closes_after = \"30 Days\""),
        ("params.toml", "anniversaries_from = 2021-01-01", "anniversaries_from = \"2021-01-01\""),
        ("params.toml", "max_replacements = 1", "max_replacements = \"1\""),
        ("params.toml", "monthly_credit = \"100 USD\"", "monthly_credit = 100"),
        ("params.toml", "\"6000 USD\", \"12000 USD\"", "\"6,000 USD\", \"12000 EUR\""),
        ("params.toml", "access_grace = \"30 days\"", "access_grace = \"1 month\""),
        ("params.toml", "\"account_admin\", \"mpn_admin\"]", "\"account_admin\", \"mpn_admn\"]"),
    ]);
    assert_eq!(code, 2, "{err}");
    let found = summary(&err);
    let expected = [
        ("`renewal.opens_after` must be a number of days: unknown unit `dya`", "did you mean \"1 day\"?"),
        ("`renewal.closes_after` must be a number of days: `Days` is written in capitals", "\"30 days\""),
        ("`covid.anniversaries_from` must be a date", "a date is written without quotes: 2021-01-01"),
        ("`membership.access_grace` must be a number of days: found months", "declare the type `months`"),
        ("each item of `roles.admin_roles` must be a value of `role`", "did you mean `mpn_admin`?"),
        ("`tokens.max_replacements` must be a whole number", "a number is written without quotes: 1"),
        ("`azure.monthly_credit` must be an amount of money(USD)", "write \"100 USD\""),
        ("each item of `azure.bulk_credit` must be an amount of money(USD): an amount has no", "write \"6000 USD\""),
        ("each item of `azure.bulk_credit` must be an amount of money(USD): found money(EUR)", "\"12000 USD\""),
    ];
    assert_eq!(found.len(), expected.len(), "one diagnostic per mistake, nothing at the rules:\n{err}");
    for ((message, help), got) in expected.iter().zip(&found) {
        assert!(got.contains(message) && got.contains(help), "expected `{message}` with `{help}`, got {got}");
        assert!(got.contains("@ pack/params.toml:"), "in params.toml: {got}");
    }
    insta::assert_snapshot!(err);
}

#[test]
fn a_parameter_without_a_declaration_is_told_the_line_to_add() {
    let (err, code) =
        check(&[("params.toml", "min_remaining_months = 12", "min_remaining_months = 12\nfee = \"50 USD\"")]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(summary(&err).len(), 1, "{err}");
    assert!(err.contains("parameter `subscriptions.fee` has no declared type"), "{err}");
    assert!(err.contains("under `[params.subscriptions]` write `fee = \"money(USD)\"`"), "{err}");
    // The line it suggests is right: with it, the pack checks.
    let (err, code) = check(&[
        ("params.toml", "min_remaining_months = 12", "min_remaining_months = 12\nfee = \"50 USD\""),
        ("schema.toml", "[params.subscriptions]", "[params.subscriptions]\nfee = \"money(USD)\""),
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_misspelt_key_is_one_error_naming_the_declaration() {
    let (err, code) = check(&[("params.toml", "max_extension_multiple = 3", "max_extention_multiple = 3")]);
    assert_eq!(code, 2, "{err}");
    let found = summary(&err);
    assert_eq!(found.len(), 1, "not also at the declaration, nor at the rules reading it:\n{err}");
    assert!(found[0].contains("did you mean `max_extension_multiple`? schema.toml declares it, as int"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn a_declaration_without_a_value_points_into_the_schema() {
    let (err, code) = check(&[("schema.toml", "[params.subscriptions]", "[params.subscriptions]\nlimit = \"int\"")]);
    assert_eq!(code, 2, "{err}");
    let found = summary(&err);
    assert_eq!(found.len(), 1, "{err}");
    assert!(found[0].starts_with("parameter `subscriptions.limit` is declared but has no value"), "{err}");
    assert!(found[0].contains("@ pack/schema.toml:"), "{err}");
}

#[test]
fn a_value_that_does_not_fit_adds_nothing_at_the_rules_reading_it() {
    // The rules reading `period` are checked against its declared type (months).
    let (err, code) = check(&[("params.toml", "period = \"1 year\"", "period = \"1 yaer\"")]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(summary(&err).len(), 1, "{err}");
    assert!(err.contains("did you mean \"1 year\"?"), "{err}");
}

#[test]
fn a_declaration_of_an_unknown_type_or_a_record_is_refused() {
    let (err, code) = check(&[("schema.toml", "term_months = { type = \"int\"", "term_months = { type = \"integer\"")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown type `integer`"), "{err}");
    let (err, code) =
        check(&[("schema.toml", "term_months = { type = \"int\"", "term_months = { type = \"competency\"")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("parameter `subscriptions.term_months` cannot be a record"), "{err}");
}

/// `check --deny-warnings` of a copy of the shipped pack with `edits` made.
fn check_strict(edits: &[(&str, &str, &str)]) -> (String, String, i32) {
    let o = check_with(edits, &["--deny-warnings"]);
    (stdout(&o), stderr(&o), code(&o))
}

#[test]
fn the_shipped_pack_has_no_warning() {
    let (out, err, code) = check_strict(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("16 outputs\n"), "{out}");
}

#[test]
fn a_parameter_no_rule_reads_is_a_warning_that_ci_can_deny() {
    let edits = [
        ("params.toml", "min_remaining_months = 12", "min_remaining_months = 12\nspare = \"3 days\""),
        ("schema.toml", "[params.subscriptions]", "[params.subscriptions]\nspare = \"days\""),
    ];
    let (out, err, exit) = check_strict(&edits);
    assert_eq!(exit, 1, "{err}");
    assert!(out.contains("is valid") && out.contains(", 1 warning"), "{out}");
    assert!(err.contains("⚠ parameter `subscriptions.spare` is read by no rule"), "{err}");
    assert!(err.contains("pack/params.toml:"), "{err}");
    // Without --deny-warnings it is said, and the pack is valid.
    let o = check_with(&edits, &["--format", "json"]);
    assert_eq!(code(&o), 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_default();
    assert_eq!(json["warnings"][0]["code"], "entitle::check::unused_param", "{json}");
    assert_eq!(json["valid"], true);
}

#[test]
fn a_field_no_rule_reads_is_a_warning_once_where_it_is_highest() {
    // `offer.level` is read by no rule: kept in the shipped pack for the contract.
    let (_, err, code) = check_strict(&[("schema.toml", ", kept = \"in the scenario contract", ", kep = \"")]);
    assert_eq!(code, 2, "an unknown key is an error: {err}");
    let (_, err, code) = check_strict(&[(
        "schema.toml",
        "level = { type = \"level\", doc = \"competency level\", kept = \"in the scenario contract; no rule depends on the level of the offer asked about\" }",
        "level = { type = \"level\", doc = \"competency level\" }",
    )]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("⚠ field `offer.level` is read by no rule"), "{err}");
    // A part no rule reads is one warning, not one per field.
    let (_, err, code) = check_strict(&[(
        "schema.toml",
        "[input.actor]",
        "[input.spare]\nfirst = \"int\"\nsecond = \"date\"\n\n[input.actor]",
    )]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches('⚠').count(), 1, "{err}");
    assert!(err.contains("⚠ field `spare` is read by no rule"), "{err}");
    // A field kept is kept with what it holds: the fields of its record are not
    // looked into.
    let (_, err, code) = check_strict(&[(
        "schema.toml",
        "[input.actor]",
        "[records.card]\nnumber = \"int\"\n\n[input.actor]\ncard = { type = \"card\", kept = \"for reports\" }",
    )]);
    assert_eq!(code, 0, "{err}");
}
