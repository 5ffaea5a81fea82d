//! `entitle report`: the audit page of the shipped pack over the examples holds every
//! rule and scenario, resolves every citation to its source text, links only to
//! places on the page and fetches nothing. (CI also renders it in headless Chromium:
//! tests/report/check_report.py.)

use crate::common::{code, entitle, root, stderr, stdout};
use std::collections::HashSet;

fn report(format: &str) -> String {
    let o = entitle(&root(), &["report", "--format", format, "--date", "2026-12-01", "examples"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    stdout(&o)
}

/// The values of `attr="..."` in `html`.
fn attributes<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| html.get(at + needle.len()..).and_then(|rest| rest.split('"').next()))
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[test]
fn the_page_holds_every_rule_and_scenario_and_links_only_within_itself() {
    let html = report("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    let ids: Vec<&str> = attributes(&html, "id");
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an id given twice");
    for href in attributes(&html, "href") {
        let target = href.strip_prefix('#').unwrap_or_else(|| panic!("a link out of the page: {href}"));
        assert!(unique.contains(target), "a broken link: {href}");
    }
    for fetch in ["<script", "<link", "<img", "<iframe", " src=\"", "url(", "@import"] {
        assert!(!html.contains(fetch), "the page fetches or runs something: {fetch}");
    }
    // Every rule, with its own section.
    let rules: serde_json::Value =
        serde_json::from_str(&stdout(&entitle(&root(), &["rules", "--format", "json"]))).unwrap();
    for r in rules["rules"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        assert!(html.contains(&format!("<h3>{id} <small>")), "rule {id}");
    }
    assert_eq!(html.matches("<article class=\"rule\"").count(), rules["rules"].as_array().unwrap().len());
    // Every scenario, by name, once in the list of scenarios.
    let eval: serde_json::Value =
        serde_json::from_str(&stdout(&entitle(&root(), &["eval", "--format", "json", "examples"]))).unwrap();
    let names: Vec<&str> =
        eval["results"].as_array().unwrap().iter().map(|r| r["scenario"].as_str().unwrap()).collect();
    let listed: Vec<String> = html
        .split("<tr id=\"scenario-")
        .skip(1)
        .filter_map(|row| row.split("<td>").nth(2).and_then(|c| c.split("</td>").next()).map(unescape))
        .collect();
    assert_eq!(listed, names);
    // Every citation resolved to its passage of the source, quoted.
    assert!(!html.contains("not in the pack's sources"));
    assert!(html.contains("<code>000#responding-to-covid-19</code>: 000 § Reageren op COVID-19</p><pre>"));
    assert!(html.contains("tussen 1 januari en 30 juni 2021"), "the COVID passage, quoted");
    assert!(html.contains("<div id=\"source-004-license-based-subscriptions\">"));
    // The summary and the timeline.
    assert!(html.contains("<th>Date</th><td>2026-12-01</td>"));
    assert!(html.contains(&format!(
        "<td>{} evaluated: <span class=\"passed\">{} passed</span>",
        names.len(),
        names.len()
    )));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(html.contains("LIC-RETIRED-BENEFITS in force from 2021-01-28"));
    assert!(html.contains("COVID-EXTENSION in force 2021-01-01 to 2021-07-30"));
    // A parameter with its value, and the scenarios that prove a rule with their outcomes.
    assert!(html.contains("<td><code>licenses.retired_from</code></td><td>2021-01-28</td><td>every day</td>"));
    let retired = html.split("id=\"rule-lic-retired-benefits-from-2021-01-28\"").nth(1).unwrap_or("");
    let retired = retired.split("</article>").next().unwrap_or("");
    assert!(retired.contains("Scenarios that prove it (9)"), "{retired}");
    assert!(retired.contains("deny: office_365_e3 is no longer part of competency benefit packages"));
    assert!(retired.contains("<h4>Coverage</h4>\n<p>4 of 4 branch ways seen (100.0 %).</p>"), "{retired}");
}

#[test]
fn the_report_is_the_same_every_time_and_in_markdown_too() {
    assert_eq!(report("html"), report("html"), "deterministic");
    let md = report("markdown");
    assert!(md.starts_with("# Audit report of `partner-benefits` 2.0.0"));
    assert!(md.contains("| `LIC-RETIRED-BENEFITS` | 2021-01-28 | open |"));
    assert!(md.contains("### COVID-EXTENSION (2021-01-01 to 2021-07-30)"));
    assert!(md.contains("> A. Als de jubileumdatum van uw competentie tussen 1 januari en 30 juni 2021 ligt"));
    assert!(md.contains("## Scenarios ("));
}

#[test]
fn a_citation_the_sources_do_not_have_is_a_warning_and_shows_in_the_report() {
    let dir = crate::common::pack_copy();
    crate::common::edit(
        dir.path(),
        "rules/membership.policy",
        "cites \"000#responding-to-covid-19\"",
        "cites \"000#responding-to-covid\"",
    );
    let check = entitle(dir.path(), &["check", "--policy", "pack"]);
    assert_eq!(code(&check), 0, "a warning only");
    assert!(stderr(&check).contains("entitle::check::unresolved_citation"), "{}", stderr(&check));
    assert!(stderr(&check).contains("did you mean `responding-to-covid-19`?"), "{}", stderr(&check));
    let strict = entitle(dir.path(), &["check", "--policy", "pack", "--deny-warnings"]);
    assert_eq!(code(&strict), 1);
    let o = entitle(dir.path(), &["report", "--policy", "pack"]);
    assert!(stdout(&o).contains("<code>000#responding-to-covid</code>: not in the pack's sources"), "{}", stdout(&o));
}
