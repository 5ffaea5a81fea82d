//! The shipped benefit pack against its sources: every rule id of the rules page,
//! cited and documented; no value hidden in a rule; every parameter commented; the
//! generated catalogue up to date; the corpus at full rule coverage.

use crate::common::*;
use entitle::ast::{Expr, ExprKind};
use entitle::source::SourceFile;

/// Every rule id of the program's rules page (the spec's rules.md: its tables, its roles
/// section, and SUB-ACTIVATE-ANEW of pack 1.1).
const RULE_IDS: &[&str] = &[
    "RENEW-REQUIREMENTS",
    "RENEW-PROFILE",
    "RENEW-WINDOW",
    "RENEW-NOTICES",
    "RENEW-ACCESS",
    "MAP-RENEW",
    "ACCESS-ACTIVE",
    "MAP-ONE",
    "COVID-EXTENSION",
    "IUR-ELIGIBLE",
    "TOKEN-NO-SPLIT",
    "TOKEN-REPLACEMENT",
    "KEY-ACTIVATION-REQUIRED",
    "KEY-MAK",
    "IUR-NOT-PERPETUAL",
    "VS-MAP-PRO-ONLY",
    "VS-PER-USER",
    "IUR-RESTRICTED",
    "MERGE-BENEFITS",
    "AZ-CREDIT-KINDS",
    "AZ-ASSIGN-USER",
    "AZ-MONTHLY-USERS",
    "AZ-BULK-NO-REMOVE",
    "AZ-BULK-NOT-COMBINABLE",
    "LIC-KEY-REQUIRED",
    "LIC-RETIRED-BENEFITS",
    "KEY-ONCE",
    "KEY-FORMAT",
    "KEY-ADD-SEATS-SHORTENS",
    "KEY-EXPIRY-DIFFERS",
    "KEY-12-MONTHS",
    "KEY-AVERAGING",
    "EXTEND-PROPORTIONAL",
    "EXTEND-3X-CAP",
    "EXTEND-OR-ADD",
    "ROLE-REQUIRED",
    "SUB-ACTIVATE-ANEW",
];

/// The section anchors of the two seed documents (`<a name="...">`).
const ANCHORS: &[&str] = &[
    "000#microsoft-partner-network-benefits-faq",
    "000#responding-to-covid-19",
    "000#membership",
    "000#product-licenses",
    "004#explore-the-azure-and-cloud-products-benefits-area-in-partner-center",
    "004#overview",
    "004#usage-based-vs-license-based-subscriptions",
    "004#usage-based-subscriptions-with-two-types-of-microsoft-azure-credit",
    "004#license-based-subscriptions",
    "004#extend-the-end-date-or-add-more-licenses-to-an-existing-subscription",
    "004#activate-a-subscription-for-the-first-time",
    "004#licensing-scenarios",
    "004#scenario-1",
    "004#scenario-2",
    "004#scenario-3",
    "004#scenario-4",
];

fn catalogue() -> serde_json::Value {
    let o = entitle(&root(), &["rules", "--format", "json", "examples"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn rule_files() -> Vec<SourceFile> {
    let dir = root().join("policies/rules");
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            SourceFile::new(e.path().display().to_string(), text)
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

#[test]
fn every_rule_id_of_the_rules_page_is_a_rule_of_the_pack() {
    let doc = catalogue();
    let ids: Vec<&str> = doc["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in RULE_IDS {
        assert!(ids.contains(id), "rule {id} of rules.md is not in the pack");
    }
    assert_eq!(ids.len(), RULE_IDS.len(), "rules not on the rules page: {ids:?}");
}

#[test]
fn every_rule_is_titled_documented_cited_and_exercised() {
    for rule in catalogue()["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        assert!(!rule["title"].as_str().unwrap().is_empty(), "{id} has no title");
        assert!(rule["doc"].as_str().unwrap().len() > 40, "{id} has no plain-words documentation");
        for cite in rule["cites"].as_str().unwrap().split(", ") {
            assert!(ANCHORS.contains(&cite), "{id} cites `{cite}`, not a section of the seeds");
        }
        assert!(rule["scenarios"].as_u64().unwrap() > 0, "no scenario exercises {id}");
    }
}

fn literals(e: &Expr, found: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Number(n) => found.push(format!("number {n:?}")),
        ExprKind::Date(d) => found.push(format!("date {d}")),
        ExprKind::Duration { .. } | ExprKind::Money { .. } => found.push("a quantity".into()),
        _ => e.children().into_iter().for_each(|child| literals(child, found)),
    }
}

#[test]
fn no_rule_hides_a_number_date_or_amount() {
    for file in rule_files() {
        let ast = entitle::syntax::parse_file(&file).unwrap();
        for rule in &ast.rules {
            let mut found = Vec::new();
            rule.expressions().into_iter().for_each(|e| literals(e, &mut found));
            assert!(found.is_empty(), "{} in {} holds {found:?}: make it a parameter", rule.id.name, file.name);
        }
    }
}

#[test]
fn every_parameter_has_a_comment() {
    let text = std::fs::read_to_string(root().join("policies/params.toml")).unwrap();
    let mut commented = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('#') {
            commented = true;
        } else if line.is_empty() || line.starts_with('[') {
            commented = false;
        } else {
            assert!(commented, "params.toml line {}: `{line}` has no comment above it", n + 1);
        }
    }
}

#[test]
fn the_rule_catalogue_in_docs_is_up_to_date() {
    let o = entitle(&root(), &["rules", "--format", "markdown", "examples"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == stdout(&o),
        "docs/rules.md is stale: run `cargo run -- rules --format markdown examples > docs/rules.md`"
    );
}

#[test]
fn the_corpus_has_two_hundred_named_scenarios_all_with_expectations() {
    let o = entitle(&root(), &["eval", "--format", "json", "examples"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let results = doc["results"].as_array().unwrap();
    assert!(results.len() >= 200, "only {} scenarios", results.len());
    let t = entitle(&root(), &["test", "examples"]);
    assert_eq!(code(&t), 0, "{}", stdout(&t));
    assert!(!stdout(&t).contains("EVAL "), "a scenario has no expect block:\n{}", stdout(&t));
}

#[test]
fn every_action_of_the_vocabulary_has_scenarios() {
    let schema = std::fs::read_to_string(root().join("policies/schema.toml")).unwrap();
    let start = schema.find("action = [").unwrap();
    let list = &schema[start..schema[start..].find(']').unwrap() + start];
    let mut corpus = String::new();
    for entry in walk(&root().join("examples")) {
        corpus.push_str(&std::fs::read_to_string(entry).unwrap());
    }
    for action in list.split('"').skip(1).step_by(2) {
        assert!(corpus.contains(&format!("action: {action}")), "no scenario asks for `{action}`");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
    out
}
