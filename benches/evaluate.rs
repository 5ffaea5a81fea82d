//! Speed of the three stages a user pays for: compiling the pack (once per run),
//! reading and typing scenario files, and evaluating one scenario.

//!
//! A small harness of its own (criterion's build cost more than the rest of the test
//! build): each case runs in batches for about a second after a warm-up, and the
//! median time per iteration of the batches is printed. `cargo bench` runs it;
//! `cargo bench -- NAME` runs the cases whose name contains NAME.

use entitle::source::SourceFile;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn example_files() -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<SourceFile>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "yaml") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push(SourceFile::new(p.display().to_string(), text));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), &mut out);
    out
}

struct Bench {
    filter: Option<String>,
}

impl Bench {
    fn bench_function<R>(&mut self, name: &str, mut f: impl FnMut() -> R) {
        if self.filter.as_deref().is_some_and(|w| !name.contains(w)) {
            return;
        }
        let start = Instant::now();
        let mut per_batch = 1u32;
        // Warm up, and size a batch to about 10 ms.
        while start.elapsed() < Duration::from_millis(300) {
            let t = Instant::now();
            for _ in 0..per_batch {
                black_box(f());
            }
            if t.elapsed() < Duration::from_millis(10) {
                per_batch = per_batch.saturating_mul(2);
            }
        }
        let mut samples = Vec::new();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(1) || samples.len() < 5 {
            let t = Instant::now();
            for _ in 0..per_batch {
                black_box(f());
            }
            samples.push(t.elapsed().as_secs_f64() / f64::from(per_batch));
        }
        samples.sort_by(f64::total_cmp);
        let median = samples[samples.len() / 2];
        let (low, high) = (samples[samples.len() / 10], samples[samples.len() * 9 / 10]);
        println!("{name:<55} {:>12}  (p10 {}, p90 {})", human(median), human(low), human(high));
    }
}

fn human(seconds: f64) -> String {
    match seconds {
        s if s >= 1.0 => format!("{s:.3} s"),
        s if s >= 1e-3 => format!("{:.3} ms", s * 1e3),
        s if s >= 1e-6 => format!("{:.3} µs", s * 1e6),
        s => format!("{:.1} ns", s * 1e9),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; anything else is a name filter.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    benches(&mut Bench { filter });
}

fn benches(c: &mut Bench) {
    let sources = entitle::embedded::default_pack();
    c.bench_function("compile the shipped pack", || sources.build().is_ok());

    let Ok(program) = sources.build() else { return };
    let files = example_files();
    c.bench_function("load and type every example file", || {
        files.iter().map(|f| entitle::scenario::load(f, &program).documents.len()).sum::<usize>()
    });

    let scenarios: Vec<_> = files
        .iter()
        .flat_map(|f| entitle::scenario::load(f, &program).documents)
        .filter_map(|d| d.result.ok())
        .collect();
    let n = scenarios.len();
    c.bench_function(&format!("evaluate {n} example scenarios"), || {
        scenarios.iter().filter(|s| entitle::eval::evaluate(&program, s.as_of, &s.input, &s.name).is_ok()).count()
    });
    c.bench_function(&format!("evaluate {n} example scenarios recording coverage"), || {
        let mut coverage = entitle::coverage::Coverage::new(&program);
        scenarios
            .iter()
            .filter(|s| entitle::eval::evaluate_observed(&program, s.as_of, &s.input, &s.name, &mut coverage).is_ok())
            .count()
    });
    features(c, &program, &files);
    hostile(c, &sources, &program);
}

/// What issue 12 added: boundary cases from templates, and the audit report.
fn features(c: &mut Bench, program: &entitle::program::Program, files: &[SourceFile]) {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edges/templates.yaml"));
    let templates: Vec<entitle::edges::Template> =
        entitle::scenario::load(&SourceFile::new("t.yaml", text.unwrap_or_default()), program)
            .documents
            .into_iter()
            .filter_map(|d| d.result.ok())
            .map(|s| entitle::edges::Template { as_of: s.as_of, input: s.input })
            .collect();
    c.bench_function("find the boundary cases of the four edge templates", || {
        entitle::edges::cases(program, &templates, |_| true).len()
    });
    let mut run = entitle::run::Run::with_coverage(program);
    for f in files {
        run.add_file(program, entitle::scenario::load(f, program));
    }
    let applied = entitle::run::rules_applied(program, &run);
    let provenance = entitle::report::audit::Provenance::default();
    c.bench_function("write the audit report of the examples (HTML)", || {
        let audit = entitle::report::audit::Audit::new(program, &run, &applied, &provenance);
        entitle::report::audit::html(&audit).len()
    });
}

/// Hostile inputs: each rule-file construct nested at the limit and one beyond it,
/// written correctly and broken; scenario files with many diagnostics or documents.
fn hostile(c: &mut Bench, sources: &entitle::pack::PackSources, program: &entitle::program::Program) {
    let nested =
        |open: &str, inner: &str, close: &str, n: usize| format!("{}{inner}{}", open.repeat(n), close.repeat(n));
    for depth in [entitle::syntax::MAX_NESTING, entitle::syntax::MAX_NESTING + 1] {
        let cases = [
            ("lists", nested("[", "1", "]", depth)),
            ("lists, one `]` missing", nested("[", "1", "]", depth).replacen(']', "", 1)),
            ("quantifiers", nested("any(a in [1]: ", "true", ")", depth - 1)),
            ("quantifiers without `:`", nested("count(a in ", "[1]", ")", depth - 1)),
            ("calls", nested("floor(", "1", ")", depth)),
            ("if/else", nested("if true then ", "1", " else 1", depth)),
        ];
        for (name, expr) in cases {
            let rule = format!("rule HOSTILE \"h\" cites \"000#membership\" {{\n  output hostile = {expr}\n}}\n");
            let mut with = sources.clone();
            with.files.push(("rules/hostile.policy".into(), SourceFile::new("hostile.policy", rule)));
            c.bench_function(&format!("check the pack with {name} nested {depth} deep"), || with.build().is_ok());
        }
    }
    let mut dups = String::from("scenario: dup\nas_of: 2021-09-15\ninput:\n  request: { action: renew }\n");
    for i in 0..10_000 {
        dups.push_str(&format!("  request: {{ action: renew, note: \"{i:0>80}\" }}\n"));
    }
    let dups = SourceFile::new("dups.yaml", dups);
    c.bench_function("load a 1 MB scenario file with 10,000 duplicate keys", || {
        entitle::scenario::load(&dups, program).documents.len()
    });
    let tiny = SourceFile::new("tiny.yaml", "--- {x: 123456}\n".repeat(1_000_000));
    c.bench_function("load a 15 MiB file of a million tiny documents", || {
        entitle::scenario::load(&tiny, program).documents.len()
    });
}
