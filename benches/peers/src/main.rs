//! The same three rules, the same generated inputs, in entitle (through its public
//! API only), zen-expression, regorus (compiled to its VM), cel and hand-written Rust.
//! Every engine's answer is checked against the hand-written one on every input before
//! anything is timed. Times are thread CPU time per evaluation, the median of
//! several rounds in which the engines take turns, so that a busy machine slows them
//! alike; each is also given as a ratio to zen-expression measured in the same rounds.
//!
//! Run: `cargo run --release --manifest-path benches/peers/Cargo.toml [-- N]`.

mod inputs;
mod peers;

use inputs::{Case, Rule};
use std::time::Duration;

const ROUNDS: usize = 7;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let cases = inputs::generate(n);
    println!("{n} inputs per rule, {ROUNDS} rounds, thread CPU time per evaluation (median)\n");
    println!("| rule | engine | ns / eval | vs zen-expression |");
    println!("|---|---|---:|---:|");
    let mut from_json = Vec::new();
    let only_rule = std::env::var("PEERS_RULE").ok();
    for rule in Rule::ALL {
        if only_rule.as_deref().is_some_and(|r| !rule.name().starts_with(r)) {
            continue;
        }
        let cases: Vec<&Case> = cases.iter().filter(|c| c.rule() == rule).collect();
        let expected: Vec<peers::Answer> = cases.iter().map(|c| peers::typed(c)).collect();
        let mut engines = peers::engines(rule, &cases);
        // For profiling one engine: PEERS_ONLY=entitle keeps the engines so named.
        if let Ok(only) = std::env::var("PEERS_ONLY") {
            engines.retain(|e| e.name.starts_with(&only));
        }
        for engine in &mut engines {
            let got = engine.answers();
            if let Some(i) = (0..cases.len()).find(|&i| !got[i].agrees(&expected[i])) {
                eprintln!(
                    "{} disagrees on {:?} input {i}: {:?} where hand-written Rust says {:?}",
                    engine.name, rule, got[i], expected[i]
                );
                std::process::exit(1);
            }
        }
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); engines.len()];
        let rounds = std::env::var("PEERS_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(ROUNDS);
        for _ in 0..rounds {
            for (engine, t) in engines.iter_mut().zip(&mut times) {
                t.push(engine.time());
            }
        }
        let per_eval = |t: &mut Vec<Duration>| {
            t.sort();
            t[t.len() / 2].as_nanos() as f64 / cases.len() as f64
        };
        let medians: Vec<f64> = times.iter_mut().map(per_eval).collect();
        let zen = engines.iter().position(|e| e.name == "zen-expression (prepared)").map(|i| medians[i]);
        let zen_json = engines.iter().position(|e| e.name == "zen-expression (from JSON)").map(|i| medians[i]);
        for (engine, ns) in engines.iter().zip(&medians) {
            let base = if engine.from_json { zen_json } else { zen };
            let ratio = base.map_or(String::new(), |z| format!("{:.2}x", z / ns));
            println!("| {} | {} | {:.0} | {ratio} |", rule.name(), engine.name, ns);
            if engine.from_json {
                from_json.push((rule, engine.name, *ns));
            }
        }
    }
    println!("\nRatios above 1 are faster than zen-expression; prepared inputs are each engine's own");
    println!("input value built beforehand, from-JSON inputs a serde_json::Value read per evaluation.");
}
