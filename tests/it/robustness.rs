//! No input may make `entitle` panic. Every example scenario and every file of the
//! shipped pack is mutated many times (deterministically) and pushed through loading,
//! checking, evaluation and diagnostic rendering.

use entitle::pack::PackSources;
use entitle::report::Renderer;
use entitle::run::Run;
use entitle::source::SourceFile;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    ":",
    "-",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "\n",
    "  ",
    "\t",
    "é",
    "😀",
    "*a",
    "&a ",
    "---\n",
    "0",
    "010",
    "2021-02-29",
    "2021-02-30",
    "99999999999999999999999",
    "\u{202e}",
    "\r\n",
    "#",
    "//",
    "///",
    "..=",
    "==",
    " and ",
    " not ",
    "{x}",
    "params.",
    "as_of",
    " if ",
    "1e400",
    "~",
    "null",
    "- ",
    "\0",
    "\u{feff}",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 => {
                let end = (at + rng.below(12)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 | 2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            3 => chars.truncate(at),
            _ => {
                let line: Vec<char> = chars.iter().skip(at).take_while(|c| **c != '\n').copied().collect();
                chars.splice(at..at, line.into_iter().chain(['\n']));
            }
        }
    }
    chars.into_iter().collect()
}

fn files_below(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_below(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn render_all(renderer: &Renderer, errors: &[entitle::Error]) {
    for e in errors {
        let _ = renderer.render(e);
    }
}

#[test]
fn mutated_scenarios_never_panic() {
    let program = entitle::embedded::default_pack().build().unwrap_or_else(|e| panic!("{e:?}"));
    let renderer = Renderer::plain(80);
    let mut paths = Vec::new();
    files_below(&crate::common::root().join("examples"), &mut paths);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "yaml")) {
        let text = std::fs::read_to_string(path).unwrap();
        for i in 0..150 {
            let mutated = mutate(&text, &mut rng);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let file = SourceFile::new("m.yaml", mutated.clone());
                let mut run = Run::default();
                run.add_file(&program, entitle::scenario::load(&file, &program));
                for r in &run.results {
                    if let Err(errors) = &r.result {
                        render_all(&renderer, errors);
                    }
                }
                let file_errors: Vec<_> = run.file_errors.into_iter().map(|(_, e)| e).collect();
                render_all(&renderer, &file_errors);
            }));
            assert!(outcome.is_ok(), "mutation {i} of {} panicked:\n{mutated}", path.display());
        }
    }
}

#[test]
fn mutated_packs_never_panic() {
    let base = entitle::embedded::default_pack();
    let renderer = Renderer::plain(80);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for index in 0..base.files.len() {
        for i in 0..120 {
            let mut sources: PackSources = base.clone();
            let Some((_, file)) = sources.files.get_mut(index) else { continue };
            let mutated = mutate(&file.text, &mut rng);
            *file = SourceFile::new(file.name.clone(), mutated.clone());
            let name = file.name.clone();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                if let Err(errors) = sources.build() {
                    render_all(&renderer, &errors);
                }
            }));
            assert!(outcome.is_ok(), "mutation {i} of {name} panicked:\n{mutated}");
        }
    }
}
