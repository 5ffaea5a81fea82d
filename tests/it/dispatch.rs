//! Running only the rules that can apply (`Program::dispatch`) gives the outcome of
//! running every rule: on every scenario of the corpus, on mutated inputs, and on
//! errors. An observer that sees every rule turns the index off; one that sees every
//! value turns off the shortcuts of plain evaluation too.

use crate::common::root;
use entitle::eval::{evaluate, evaluate_observed, Observer};
use entitle::source::SourceFile;

/// Sees every rule, so that evaluation runs every guard.
struct EveryRule;

impl Observer for EveryRule {
    fn guard(&mut self, _: usize, _: bool) {}
    fn statement(&mut self, _: usize, _: usize, _: bool) {}
}

/// Sees every value, so that evaluation makes a value of every step: the plain way,
/// which the shortcuts of unobserved evaluation (numbers and comparisons worked out
/// in place) must agree with.
struct EveryValue;

impl Observer for EveryValue {
    fn guard(&mut self, _: usize, _: bool) {}
    fn statement(&mut self, _: usize, _: usize, _: bool) {}
    const SEES_VALUES: bool = true;
}

fn scenario_files() -> Vec<SourceFile> {
    fn walk(dir: &std::path::Path, out: &mut Vec<SourceFile>) {
        let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "yaml") {
                out.push(SourceFile::new(p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("examples"), &mut out);
    out
}

fn summary(result: &Result<entitle::outcome::Outcome, entitle::eval::EvalError>) -> String {
    match result {
        Ok(o) => format!("{:?} {:?} {:?} {:?} {:?}", o.decision, o.denials, o.warnings, o.notes, o.outputs),
        Err(e) => format!("error {e}"),
    }
}

#[test]
fn the_shipped_pack_is_indexed_by_its_action() {
    let program = entitle::embedded::default_pack().build().unwrap();
    let dispatch = program.dispatch.as_ref().expect("an index");
    let most = dispatch.rules.iter().map(Vec::len).max().unwrap();
    assert!(most < program.rules.len() / 2, "no action needs half the rules: {most} of {}", program.rules.len());
}

#[test]
fn only_the_rules_that_can_apply_run_with_the_same_outcome() {
    let program = entitle::embedded::default_pack().build().unwrap();
    let mut compared = 0;
    for file in scenario_files() {
        let loaded = entitle::scenario::load(&file, &program);
        for doc in loaded.documents {
            let Ok(s) = doc.result else { continue };
            // The scenario as written, and without each part in turn (errors too must agree).
            let mut inputs = vec![s.input.clone()];
            for i in 0..s.input.len() {
                let mut without = s.input.clone();
                if without[i].take().is_some() {
                    inputs.push(without);
                }
            }
            for input in inputs {
                let indexed = evaluate(&program, s.as_of, &input, &s.name);
                let every = evaluate_observed(&program, s.as_of, &input, &s.name, &mut EveryRule);
                assert_eq!(summary(&indexed), summary(&every), "{}: {}", file.name, s.name);
                let valued = evaluate_observed(&program, s.as_of, &input, &s.name, &mut EveryValue);
                assert_eq!(summary(&indexed), summary(&valued), "{}: {}", file.name, s.name);
                compared += 1;
            }
        }
    }
    assert!(compared > 500, "{compared}");
}
