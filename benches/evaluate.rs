//! Speed of the three stages a user pays for: compiling the pack (once per run),
//! reading and typing scenario files, and evaluating one scenario.

use criterion::{criterion_group, criterion_main, Criterion};
use entitle::source::SourceFile;
use std::hint::black_box;
use std::path::Path;

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

fn benches(c: &mut Criterion) {
    let sources = entitle::embedded::default_pack();
    c.bench_function("compile the shipped pack", |b| b.iter(|| black_box(sources.build().is_ok())));

    let Ok(program) = sources.build() else { return };
    let files = example_files();
    c.bench_function("load and type every example file", |b| {
        b.iter(|| files.iter().map(|f| entitle::scenario::load(f, &program).documents.len()).sum::<usize>())
    });

    let scenarios: Vec<_> = files
        .iter()
        .flat_map(|f| entitle::scenario::load(f, &program).documents)
        .filter_map(|d| d.result.ok())
        .collect();
    let n = scenarios.len();
    c.bench_function(&format!("evaluate {n} example scenarios"), |b| {
        b.iter(|| {
            scenarios.iter().filter(|s| entitle::eval::evaluate(&program, s.as_of, &s.input, &s.name).is_ok()).count()
        })
    });
    c.bench_function(&format!("evaluate {n} example scenarios recording coverage"), |b| {
        b.iter(|| {
            let mut coverage = entitle::coverage::Coverage::new(&program);
            scenarios
                .iter()
                .filter(|s| {
                    entitle::eval::evaluate_observed(&program, s.as_of, &s.input, &s.name, &mut coverage).is_ok()
                })
                .count()
        })
    });
}

criterion_group!(all, benches);
criterion_main!(all);
