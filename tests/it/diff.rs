//! `entitle diff` on a real change: the renewal window from 30 to 45 days moves
//! exactly the scenarios it must, and none of the others; from a folder and from git.

use crate::common::{code, edit, entitle, pack_copy, root, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const WINDOW_30: &str = "closes_after = \"30 days\"";
const WINDOW_45: &str = "closes_after = \"45 days\"";

/// The scenarios that ask to renew 31 to 45 days after an anniversary: refused
/// as too early for the next window under 30 days, inside the window under 45.
const INSIDE_45_DAYS: [&str; 5] = [
    "Purchase on Jan 31: Mar 3 is past the window, which closed on Mar 2",
    "Purchase on Mar 31: May 1 is past the window",
    "Purchase on Dec 31: one day after the window closes it has closed; the next one is a year away",
    "The day after the window closes: this year's window closed, next year's is reported",
    COVID_LAST_WINDOW,
];

/// A competency of the last covered anniversary asking 31 days after it: the COVID
/// extension is in force until that anniversary's window closes, so it follows the
/// window to 45 days and waives the exams.
const COVID_LAST_WINDOW: &str = "The day after, the window has closed and nothing is waived";

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)))
}

fn examples() -> String {
    root().join("examples").to_string_lossy().into_owned()
}

/// Base and current packs side by side: `base/` as shipped, `pack/` with a 45-day window.
fn two_packs() -> tempfile::TempDir {
    let dir = pack_copy();
    let copy = |from: &Path, to: &Path| {
        let status = Command::new("cp").arg("-r").arg(from).arg(to).status();
        assert!(status.is_ok_and(|s| s.success()));
    };
    copy(&dir.path().join("pack"), &dir.path().join("base"));
    edit(dir.path(), "params.toml", WINDOW_30, WINDOW_45);
    dir
}

/// Scenario name -> the parts of its outcome that moved.
fn moved(doc: &Value) -> Vec<(String, Vec<String>)> {
    doc["scenarios"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    let what = s["moved"]
                        .as_array()
                        .map(|m| m.iter().map(|x| x["what"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>());
                    (s["scenario"].as_str().unwrap_or("").to_string(), what.unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Independently of `diff`: the scenarios whose window closes are computed under
/// the base pack, plus those asked 31 to 45 days after an anniversary.
fn expected_moves(dir: &Path) -> BTreeSet<String> {
    let eval = entitle(dir, &["eval", "--policy", "base", "--format", "json", &examples()]);
    let doc = json(&eval);
    let mut names: BTreeSet<String> = doc["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter(|x| !x["outputs"]["renewal_window_closes"].is_null())
                .map(|x| x["scenario"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    names.extend(INSIDE_45_DAYS.iter().map(|s| s.to_string()));
    names
}

fn check_window_change(doc: &Value, expected: &BTreeSet<String>) {
    let moved = moved(doc);
    let names: BTreeSet<String> = moved.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(names.len(), moved.len(), "a scenario is listed twice");
    assert_eq!(&names, expected, "the scenarios that moved");
    for (name, what) in &moved {
        if INSIDE_45_DAYS.contains(&name.as_str()) {
            let mut want = vec![
                "decision",
                "denials",
                "outputs.renewal_anniversary",
                "outputs.renewal_window_opens",
                "outputs.renewal_window_closes",
            ];
            if name == COVID_LAST_WINDOW {
                want.push("outputs.covid_extended_to");
            }
            assert_eq!(what, &want, "{name}");
        } else if what.iter().any(|w| w == "denials") {
            // A window missed: the denial quotes the day it closed, which moved.
            assert_eq!(what, &["denials", "outputs.renewal_window_closes"], "{name}");
        } else {
            assert_eq!(what, &["outputs.renewal_window_closes"], "{name}");
        }
    }
    // Every window that stays closes 15 days later; the four inside move to allow.
    for s in doc["scenarios"].as_array().into_iter().flatten() {
        for m in s["moved"].as_array().into_iter().flatten() {
            let (b, c) = (m["base"].as_str().unwrap_or(""), m["current"].as_str().unwrap_or(""));
            match m["what"].as_str() {
                Some("decision") => assert_eq!((b, c), ("deny", "allow")),
                Some("outputs.renewal_window_closes")
                    if !INSIDE_45_DAYS.contains(&s["scenario"].as_str().unwrap_or("")) =>
                {
                    let parse = |t: &str| {
                        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap_or_else(|e| panic!("{t}: {e}"))
                    };
                    assert_eq!((parse(c) - parse(b)).num_days(), 15, "{s}");
                }
                _ => {}
            }
        }
    }
    assert_eq!(
        doc["parameters"],
        serde_json::json!([{"name": "renewal.closes_after", "base": "30 days", "current": "45 days"}])
    );
    // COVID-EXTENSION is in force until the last covered window closes: it reads the window too.
    assert_eq!(doc["rules"].as_array().map(Vec::len), Some(2));
    for (i, id) in ["RENEW-WINDOW", "COVID-EXTENSION"].iter().enumerate() {
        assert_eq!(doc["rules"][i]["rule"], *id);
        assert_eq!(doc["rules"][i]["text_changed"], false);
        assert_eq!(doc["rules"][i]["parameters_changed"], serde_json::json!(["renewal.closes_after"]));
    }
}

#[test]
fn a_45_day_window_moves_exactly_the_scenarios_it_must() {
    let dir = two_packs();
    let expected = expected_moves(dir.path());
    assert!(expected.len() > INSIDE_45_DAYS.len());
    let o = entitle(dir.path(), &["diff", "--policy", "pack", "--base", "base", "--format", "json", &examples()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc = json(&o);
    check_window_change(&doc, &expected);
    assert_eq!(
        doc["compared"],
        json(&entitle(&root(), &["eval", "--format", "json", "examples"]))["results"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
    );
}

#[test]
fn the_base_is_read_from_git_without_touching_the_work_tree() {
    let dir = pack_copy();
    let git = |args: &[&str]| crate::common::git(dir.path(), args);
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "base"]);
    edit(dir.path(), "params.toml", WINDOW_30, WINDOW_45);
    let before = (git(&["status", "--porcelain"]), git(&["rev-parse", "HEAD"]));
    let params = std::fs::read_to_string(dir.path().join("pack/params.toml")).unwrap_or_default();

    let o = entitle(dir.path(), &["diff", "--policy", "pack", "--base", "HEAD", "--format", "json", &examples()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // The same moves as against a folder holding the base.
    let base = two_packs();
    check_window_change(&json(&o), &expected_moves(base.path()));

    assert_eq!(before, (git(&["status", "--porcelain"]), git(&["rev-parse", "HEAD"])), "the work tree or HEAD changed");
    assert_eq!(std::fs::read_to_string(dir.path().join("pack/params.toml")).unwrap_or_default(), params);

    let o = entitle(dir.path(), &["diff", "--policy", "pack", "--base", "no-such-branch"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("neither a folder nor a git revision"), "{}", stderr(&o));
}

#[test]
fn fail_on_change_exits_1_only_when_something_moved() {
    let dir = two_packs();
    let window = root().join("examples/renewal/window.yaml").to_string_lossy().into_owned();
    let o = entitle(dir.path(), &["diff", "--policy", "pack", "--base", "base", "--fail-on-change", &window]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let o = entitle(dir.path(), &["diff", "--policy", "base", "--base", "base", "--fail-on-change", &window]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("0 of 6 scenarios moved; 0 rules and 0 parameters changed"), "{}", stdout(&o));
}

#[test]
fn rule_text_additions_and_removals_are_listed() {
    let dir = two_packs();
    edit(dir.path(), "params.toml", WINDOW_45, WINDOW_30);
    edit(dir.path(), "rules/roles.policy", "must be performed by", "can only be performed by");
    edit(dir.path(), "rules/membership.policy", "rule MAP-ONE ", "rule MAP-ONLY-ONE ");
    let o = entitle(dir.path(), &["diff", "--policy", "pack", "--base", "base", "--format", "json"]);
    let doc = json(&o);
    let rules: Vec<(String, String)> = doc["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["rule"].as_str().unwrap_or("").into(), r["change"].as_str().unwrap_or("").into()))
        .collect();
    let want: Vec<(String, String)> = [("MAP-ONLY-ONE", "added"), ("ROLE-REQUIRED", "changed"), ("MAP-ONE", "removed")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(rules, want);
    assert_eq!(doc["parameters"], serde_json::json!([]));
}

#[test]
fn markdown_and_human_reports() {
    let dir = two_packs();
    let window = root().join("examples/renewal/window.yaml").to_string_lossy().into_owned();
    for format in ["human", "markdown"] {
        let o = entitle(dir.path(), &["diff", "--policy", "pack", "--base", "base", "--format", format, &window]);
        let text = stdout(&o).replace(&root().to_string_lossy().into_owned(), "ROOT");
        insta::assert_snapshot!(format!("diff_window_{format}"), text);
    }
}
