//! Hostile rule files: every construct that nests, at the nesting limit and one
//! beyond it, written correctly and broken, goes through the whole pipeline (parse,
//! check, evaluate, explain) and ends with a result or a located diagnostic. Each
//! case runs under a watchdog, so that a parser that backtracks exponentially fails
//! the test instead of hanging CI; the speed itself is measured by the benchmark.

use entitle::pack::PackSources;
use entitle::report::Renderer;
use entitle::run::Run;
use entitle::source::SourceFile;
use entitle::syntax::{MAX_HEIGHT, MAX_NESTING};
use miette::Diagnostic;
use std::sync::mpsc;
use std::time::Duration;

/// A scenario every rule of the shipped pack can read.
const SCENARIO: &str = "scenario: hostile\nas_of: 2021-09-15\ninput:\n  actor: { role: global_admin }\n  \
                        partner: { competencies: [] }\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  \
                        request: { action: renew }\n";

/// What a pack with `rule` added gives: the error codes of the build, or the
/// outcome's rendering after evaluating and explaining a scenario.
fn outcome_of(rule: String) -> Result<String, Vec<String>> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sources: PackSources = entitle::embedded::default_pack();
        sources.files.push(("rules/hostile.policy".into(), SourceFile::new("hostile.policy", rule)));
        let result = match sources.build() {
            Err(errors) => {
                let renderer = Renderer::plain(80);
                Err(errors
                    .iter()
                    .map(|e| {
                        let text = renderer.render(e);
                        format!("{} {}", e.code().map(|c| c.to_string()).unwrap_or_default(), text)
                    })
                    .collect())
            }
            Ok(program) => {
                let file = SourceFile::new("s.yaml", SCENARIO);
                let loaded = entitle::scenario::load(&file, &program);
                let mut tracer = entitle::trace::Tracer::new(&program);
                let explained = entitle::run::explain(&program, &loaded, None, &mut tracer);
                let mut run = Run::default();
                run.add_file(&program, loaded);
                let outputs = run
                    .results
                    .iter()
                    .map(|r| match &r.result {
                        Ok(e) => format!("{:?}", e.outcome.decision),
                        Err(errors) => {
                            format!("error: {}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
                        }
                    })
                    .collect::<Vec<_>>();
                Ok(format!("{} explained, {}", explained.len(), outputs.join(", ")))
            }
        };
        let _ = send.send(result);
    });
    receive.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("no result within a minute"))
}

fn rule(expr: &str) -> String {
    format!("rule HOSTILE \"hostile\" cites \"000#membership\" {{\n  output hostile = {expr}\n}}\n")
}

/// Each construct written to nest `depth` levels, and the same text broken.
fn constructs(depth: usize) -> Vec<(&'static str, String, String)> {
    let drop_last =
        |s: String, what: &str| s.rfind(what).map_or(s.clone(), |i| format!("{}{}", &s[..i], &s[i + what.len()..]));
    let nested =
        |open: &str, inner: &str, close: &str, n: usize| format!("{}{inner}{}", open.repeat(n), close.repeat(n));
    let mut comprehension = "1".to_string();
    for i in 0..depth - 1 {
        comprehension = format!("[{comprehension} for a{i} in [1]]");
    }
    let parens = nested("(", "1", ")", depth);
    let lists = nested("[", "1", "]", depth);
    let calls = nested("floor(", "1", ")", depth);
    let quantifiers = nested("any(a in [1]: ", "true", ")", depth - 1);
    let ifs = nested("if true then ", "1", " else 1", depth);
    let unary = nested("not (", "true", ")", depth);
    let negation = nested("-(", "1", ")", depth);
    vec![
        ("parentheses", parens.clone(), drop_last(parens, ")")),
        ("lists", lists.clone(), drop_last(lists, "]")),
        ("comprehensions", comprehension.clone(), drop_last(comprehension, " in [1]")),
        ("calls", calls.clone(), drop_last(calls, ")")),
        ("quantifiers", quantifiers.clone(), nested("count(a in ", "[1]", ")", depth - 1)),
        ("if/else", ifs.clone(), drop_last(ifs, " else 1")),
        ("not", unary.clone(), drop_last(unary, ")")),
        ("negation", negation.clone(), drop_last(negation, ")")),
    ]
}

fn is_too_deep(errors: &[String]) -> bool {
    errors.iter().any(|e| e.starts_with("entitle::syntax::too_deep") && e.contains("hostile.policy:2:"))
}

#[test]
fn every_nesting_construct_at_the_limit_is_read() {
    for (name, valid, broken) in constructs(MAX_NESTING) {
        match outcome_of(rule(&valid)) {
            Ok(text) => assert!(text.starts_with("1 explained"), "{name}: {text}"),
            // Some constructs are type errors at depth (`not` of a number); never too deep.
            Err(errors) => assert!(!is_too_deep(&errors), "{name} at the limit:\n{errors:?}"),
        }
        let errors = outcome_of(rule(&broken)).expect_err(name);
        assert!(!is_too_deep(&errors), "{name} broken at the limit is a syntax error, not too deep:\n{errors:?}");
    }
}

#[test]
fn every_nesting_construct_beyond_the_limit_is_too_deep() {
    for (name, valid, broken) in constructs(MAX_NESTING + 1) {
        for (how, text) in [("valid", valid), ("broken", broken)] {
            let errors = outcome_of(rule(&text)).expect_err(name);
            assert!(is_too_deep(&errors), "{name} ({how}) one beyond the limit:\n{errors:?}");
        }
    }
}

#[test]
fn the_classic_blowups_are_linear() {
    // Each of these doubled its time per level before (2^n at n = 24 is over a minute).
    for text in [
        format!("{}1{}", "[".repeat(24), "]".repeat(24)),
        format!("{}[1]{}", "count(x in ".repeat(24), ")".repeat(24)),
        format!("{}1", "[".repeat(24)),
    ] {
        let _ = outcome_of(rule(&text));
    }
}

#[test]
fn a_flat_chain_is_not_nesting_and_has_its_own_limit() {
    let sum = |n: usize| vec!["1"; n].join(" + ");
    assert!(outcome_of(rule(&sum(65))).is_ok(), "65 terms are not 65 levels");
    let at_limit = outcome_of(rule(&sum(MAX_HEIGHT)));
    assert!(at_limit.is_ok(), "{at_limit:?}");
    let errors = outcome_of(rule(&sum(MAX_HEIGHT + 1))).expect_err("too long");
    assert!(errors.iter().any(|e| e.starts_with("entitle::syntax::too_long")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("longer than 256 operations")), "{errors:?}");
}
