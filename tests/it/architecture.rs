//! The module graph of `src/`: data flows one way, so the top-level modules import
//! each other without a loop, and only `syntax` knows pest.

use crate::common::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text without comments and string literals, so that `crate::x` in prose or a
/// diagnostic code is not read as an import.
fn code_only(text: &str) -> String {
    // A quote as a character literal (`'"'`, `b'"'`) opens no string.
    let text = text.replace("'\"'", "' '").replace("'\\\"'", "' '");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Top-level module -> the top-level modules it names through `crate::`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let module_of = |p: &Path| {
        let first =
            p.strip_prefix(&src).unwrap().components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        first.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = files.iter().map(|p| module_of(p)).filter(|m| m != "lib" && m != "main").collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for p in &files {
        let from = module_of(p);
        let Some(edges) = graph.get_mut(&from) else { continue };
        let code = code_only(&std::fs::read_to_string(p).unwrap());
        let mut rest = code.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                group
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or(""))
                    .collect()
            } else {
                vec![rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")]
            };
            for name in names {
                if modules.contains(name) && name != from {
                    edges.insert(name.to_string());
                }
            }
        }
    }
    graph
}

/// A loop of modules, if there is one (depth-first search).
fn find_loop(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_of_src_import_each_other_without_a_loop() {
    let graph = module_graph();
    assert!(graph.len() > 15, "the graph was read: {graph:?}");
    assert!(graph["cli"].contains("report"), "an edge that exists is found");
    assert_eq!(find_loop(&graph), None, "{graph:#?}");
}

#[test]
fn the_loop_finder_finds_a_loop() {
    let mut graph = module_graph();
    graph.get_mut("value").unwrap().insert("cli".into());
    assert!(find_loop(&graph).is_some());
}

#[test]
fn only_syntax_knows_pest() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for p in files {
        let code = code_only(&std::fs::read_to_string(&p).unwrap());
        if !p.starts_with(src.join("syntax")) {
            assert!(!code.contains("pest::") && !code.contains("pest_derive"), "{} uses pest", p.display());
        }
    }
}
