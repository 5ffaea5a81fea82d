//! `entitle diff`: what a change to a pack moves, as text, markdown or JSON.

use super::formats::markdown::cell;
use super::json_value::{json, Json};
use crate::diff::{Diff, RuleChange};
use std::fmt::Write;

/// The two packs compared: a label (`main`, a folder) and name and version.
pub struct Sides<'a> {
    pub base: (&'a str, String),
    pub current: (&'a str, String),
}

fn change_text(change: &RuleChange) -> String {
    match change {
        RuleChange::Added => "added".into(),
        RuleChange::Removed => "removed".into(),
        RuleChange::Changed { text, params } => {
            let mut parts = Vec::new();
            if *text {
                parts.push("rule text changed".to_string());
            }
            if !params.is_empty() {
                parts.push(format!("reads changed parameters {}", params.join(", ")));
            }
            parts.join("; ")
        }
    }
}

fn or_none(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(none)")
}

fn headline(diff: &Diff) -> String {
    format!(
        "{} of {} scenario{} moved; {} rule{} and {} parameter{} changed",
        diff.scenarios.len(),
        diff.compared,
        if diff.compared == 1 { "" } else { "s" },
        diff.rules.len(),
        if diff.rules.len() == 1 { "" } else { "s" },
        diff.params.len(),
        if diff.params.len() == 1 { "" } else { "s" },
    )
}

pub fn human(diff: &Diff, sides: &Sides) -> String {
    let mut out = String::new();
    let _ =
        writeln!(out, "base {} ({}) -> current {} ({})", sides.base.1, sides.base.0, sides.current.1, sides.current.0);
    let _ = writeln!(out, "{}", headline(diff));
    if !diff.params.is_empty() {
        let _ = writeln!(out, "\nparameters changed:");
        for p in &diff.params {
            let _ = writeln!(out, "  {}: {} -> {}", p.name, or_none(&p.base), or_none(&p.current));
        }
    }
    if !diff.rules.is_empty() {
        let _ = writeln!(out, "\nrules changed:");
        for r in &diff.rules {
            let _ = writeln!(out, "  {}: {}", r.id, change_text(&r.change));
        }
    }
    if !diff.scenarios.is_empty() {
        let _ = writeln!(out, "\nscenarios whose outcome moved:");
        for s in &diff.scenarios {
            let _ = writeln!(out, "  {}: {}", s.file, s.scenario);
            for m in &s.moved {
                let _ = writeln!(out, "    {}: {} -> {}", m.what, m.base, m.current);
            }
        }
    }
    out
}

pub fn markdown(diff: &Diff, sides: &Sides) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### entitle diff: {} -> {}\n", sides.base.1, sides.current.1);
    let _ = writeln!(out, "Base: `{}`. **{}**.", cell(sides.base.0), headline(diff));
    if !diff.params.is_empty() {
        let _ = writeln!(out, "\n#### Parameters\n\n| parameter | base | current |\n|---|---|---|");
        for p in &diff.params {
            let _ =
                writeln!(out, "| `{}` | {} | {} |", cell(&p.name), cell(or_none(&p.base)), cell(or_none(&p.current)));
        }
    }
    if !diff.rules.is_empty() {
        let _ = writeln!(out, "\n#### Rules\n\n| rule | change |\n|---|---|");
        for r in &diff.rules {
            let _ = writeln!(out, "| `{}` | {} |", cell(&r.id), cell(&change_text(&r.change)));
        }
    }
    if !diff.scenarios.is_empty() {
        let _ = writeln!(out, "\n#### Scenarios whose outcome moved\n\n| file | scenario | what | base | current |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for s in &diff.scenarios {
            for m in &s.moved {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} |",
                    cell(&s.file),
                    cell(&s.scenario),
                    cell(&m.what),
                    cell(&m.base),
                    cell(&m.current)
                );
            }
        }
    }
    out
}

pub fn json(diff: &Diff, sides: &Sides) -> Json {
    json!({
        "base": {"from": sides.base.0, "pack": &sides.base.1},
        "current": {"from": sides.current.0, "pack": &sides.current.1},
        "compared": diff.compared,
        "changed": !diff.is_empty(),
        "parameters": diff.params.iter().map(|p| json!({"name": &p.name, "base": &p.base, "current": &p.current})).collect::<Vec<_>>(),
        "rules": diff.rules.iter().map(|r| {
            let (change, text, params) = match &r.change {
                RuleChange::Added => ("added", Json::Null, Json::Null),
                RuleChange::Removed => ("removed", Json::Null, Json::Null),
                RuleChange::Changed { text, params } => ("changed", json!(text), json!(params)),
            };
            json!({"rule": &r.id, "change": change, "text_changed": text, "parameters_changed": params})
        }).collect::<Vec<_>>(),
        "scenarios": diff.scenarios.iter().map(|s| json!({
            "file": &s.file,
            "scenario": &s.scenario,
            "moved": s.moved.iter().map(|m| json!({"what": &m.what, "base": &m.base, "current": &m.current})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
