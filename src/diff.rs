//! What changed between two versions of a pack: its parameters, the text of its
//! rules, and the outcome of every scenario evaluated under both. Values are
//! compared as the reader sees them, each displayed by its own program's types.

use crate::outcome::{Finding, Outcome};
use crate::program::display;
use crate::program::{Program, Rule};
use crate::run::{Run, ScenarioResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamChange {
    pub name: String,
    /// `None` where the parameter does not exist.
    pub base: Option<String>,
    pub current: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleChange {
    Added,
    Removed,
    /// The rule's title, citation, comment or text differs, and/or parameters it
    /// reads changed value.
    Changed {
        text: bool,
        params: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDiff {
    pub id: String,
    pub change: RuleChange,
}

/// One part of an outcome that moved: `decision`, `denials`, `warnings`,
/// `outputs.NAME`, or `evaluation` when one side could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub what: String,
    pub base: String,
    pub current: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioDiff {
    pub file: String,
    pub scenario: String,
    pub moved: Vec<Moved>,
}

#[derive(Debug, Clone, Default)]
pub struct Diff {
    pub params: Vec<ParamChange>,
    pub rules: Vec<RuleDiff>,
    pub scenarios: Vec<ScenarioDiff>,
    /// How many scenarios were compared.
    pub compared: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.params.is_empty() && self.rules.is_empty() && self.scenarios.is_empty()
    }
}

/// The text that makes a rule what it is: title, citation, comment and body (its
/// `in force` clause among it: days moved by a parameter are that parameter's change).
fn rule_text<'p>(program: &'p Program, rule: &Rule) -> (&'p str, String) {
    let body = program.sources.get(rule.file).and_then(|f| f.text.get(rule.span.start..rule.span.end)).unwrap_or("");
    (body, format!("{}\n{}\n{}", rule.title, rule.cites, rule.doc.join("\n")))
}

fn param_texts(program: &Program) -> Vec<(&str, String)> {
    program.params.iter().map(|p| (p.name.as_str(), program.param_text(p))).collect()
}

/// The rules a side of the comparison has, by the name they are matched under: on
/// a program pinned to a day, the rules in force that day; otherwise every rule. A
/// rule of several versions is matched version by version (by id and days), any
/// other by its id, so that moving its days is a change, not a new rule.
fn rules_by_key(program: &Program) -> Vec<(String, &Rule)> {
    let rules: Vec<&Rule> = program
        .rules_in_source_order()
        .into_iter()
        .filter_map(|i| program.rules.get(i))
        .filter(|r| program.rules_on.is_none_or(|day| r.in_force_on(day)))
        .collect();
    let mut versions: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in &rules {
        *versions.entry(r.id.as_str()).or_default() += 1;
    }
    rules
        .into_iter()
        .map(|r| (if versions.get(r.id.as_str()) > Some(&1) { r.versioned_id().into_owned() } else { r.id.clone() }, r))
        .collect()
}

/// Parameters and rules that differ, in the current pack's order (removed ones last).
/// A side pinned to a day (`Program::rules_on`) is its rules and values of that day.
pub fn pack_changes(base: &Program, current: &Program) -> (Vec<ParamChange>, Vec<RuleDiff>) {
    let (b, c) = (param_texts(base), param_texts(current));
    let mut params: Vec<ParamChange> = Vec::new();
    for (name, value) in &c {
        let old = b.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        if old.as_ref() != Some(value) {
            params.push(ParamChange { name: name.to_string(), base: old, current: Some(value.clone()) });
        }
    }
    for (name, value) in &b {
        if !c.iter().any(|(n, _)| n == name) {
            params.push(ParamChange { name: name.to_string(), base: Some(value.clone()), current: None });
        }
    }
    let (base_rules, current_rules) = (rules_by_key(base), rules_by_key(current));
    let base_index: std::collections::HashMap<&str, &Rule> = base_rules.iter().map(|(k, r)| (k.as_str(), *r)).collect();
    let current_keys: std::collections::HashSet<&str> = current_rules.iter().map(|(k, _)| k.as_str()).collect();
    let mut rules = Vec::new();
    for (key, rule) in &current_rules {
        let Some(old) = base_index.get(key.as_str()) else {
            rules.push(RuleDiff { id: key.clone(), change: RuleChange::Added });
            continue;
        };
        let text = rule_text(base, old) != rule_text(current, rule);
        let read: Vec<String> = rule.params.iter().filter(|p| params.iter().any(|c| c.name == **p)).cloned().collect();
        if text || !read.is_empty() {
            rules.push(RuleDiff { id: key.clone(), change: RuleChange::Changed { text, params: read } });
        }
    }
    for (key, _) in base_rules.iter().filter(|(k, _)| !current_keys.contains(k.as_str())) {
        rules.push(RuleDiff { id: key.clone(), change: RuleChange::Removed });
    }
    (params, rules)
}

/// The scenarios whose outcome differs between the two runs, matched by file and
/// name (by position in the file for a document without a name).
pub fn scenario_changes(base: &Program, base_run: &Run, current: &Program, current_run: &Run) -> Vec<ScenarioDiff> {
    let key = |run: &Run, i: usize| {
        let r = run.results.get(i)?;
        let position = run.results.iter().take(i).filter(|o| o.file.name == r.file.name).count();
        Some((r.file.name.clone(), r.name.clone().unwrap_or_else(|| format!("(document {})", position + 1))))
    };
    let base_keys: Vec<_> = (0..base_run.results.len()).filter_map(|i| key(base_run, i)).collect();
    let mut out = Vec::new();
    let mut matched = vec![false; base_keys.len()];
    for (i, r) in current_run.results.iter().enumerate() {
        let Some(k) = key(current_run, i) else {
            continue;
        };
        let other = base_keys.iter().position(|b| *b == k);
        if let Some(slot) = other.and_then(|o| matched.get_mut(o)) {
            *slot = true;
        }
        let old = other.and_then(|o| base_run.results.get(o));
        let moved = compare(base, old, current, Some(r));
        if !moved.is_empty() {
            out.push(ScenarioDiff { file: k.0.to_string(), scenario: k.1, moved });
        }
    }
    for (o, k) in base_keys.into_iter().enumerate() {
        if !matched.get(o).copied().unwrap_or(true) {
            let moved = compare(base, base_run.results.get(o), current, None);
            out.push(ScenarioDiff { file: k.0.to_string(), scenario: k.1, moved });
        }
    }
    out
}

/// An outcome as the texts compared: decision, denials, warnings, outputs.
fn texts(program: &Program, r: Option<&ScenarioResult>) -> Vec<(String, String)> {
    let Some(r) = r else {
        return vec![("evaluation".into(), "(no such scenario)".into())];
    };
    match &r.result {
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            vec![("evaluation".into(), format!("error: {first}"))]
        }
        Ok(ev) => outcome_texts(program, &ev.outcome),
    }
}

fn findings_text(program: &Program, findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "(none)".into();
    }
    let parts: Vec<String> = findings
        .iter()
        .map(|f| format!("{}: {}", program.rules.get(f.rule).map_or("?", |r| r.id.as_str()), f.message))
        .collect();
    parts.join("; ")
}

fn outcome_texts(program: &Program, o: &Outcome) -> Vec<(String, String)> {
    let mut out = vec![
        ("evaluation".into(), "evaluated".into()),
        ("decision".into(), o.decision.as_str().into()),
        ("denials".into(), findings_text(program, &o.denials)),
        ("warnings".into(), findings_text(program, &o.warnings)),
    ];
    for (i, v) in &o.outputs {
        if let Some(def) = program.outputs.get(*i) {
            out.push((format!("outputs.{}", def.name), display(v, &def.ty, &program.schema)));
        }
    }
    out
}

fn compare(
    base: &Program,
    old: Option<&ScenarioResult>,
    current: &Program,
    new: Option<&ScenarioResult>,
) -> Vec<Moved> {
    let (b, c) = (texts(base, old), texts(current, new));
    let mut names: Vec<&String> = b.iter().map(|(k, _)| k).collect();
    for (k, _) in &c {
        if !names.contains(&k) {
            names.push(k);
        }
    }
    let none = "(none)".to_string();
    let get = |side: &[(String, String)], k: &str| side.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let evaluated = |side: &[(String, String)]| get(side, "evaluation").is_some_and(|v| v == "evaluated");
    let both = evaluated(&b) && evaluated(&c);
    names
        .into_iter()
        // With one side not evaluated, its evaluation is the change; the rest is noise.
        .filter(|k| both || *k == "evaluation")
        .filter_map(|k| {
            let (bv, cv) = (get(&b, k).unwrap_or_else(|| none.clone()), get(&c, k).unwrap_or_else(|| none.clone()));
            (bv != cv).then(|| Moved { what: k.clone(), base: bv, current: cv })
        })
        .collect()
}
