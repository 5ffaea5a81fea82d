//! `entitle schema`: the JSON Schema of the pack's scenario files accepts every
//! example, as the YAML language server reads it, and refuses a typo.

use crate::common::*;
use entitle::scenario::{documents_as_json, Syntax};
use entitle::source::SourceFile;

fn compiled() -> (boon::Schemas, boon::SchemaIndex) {
    let o = entitle(&root(), &["schema", "--policy", "builtin"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:entitle:scenarios", schema).unwrap_or_else(|e| panic!("{e}"));
    let index = compiler.compile("urn:entitle:scenarios", &mut schemas).unwrap_or_else(|e| panic!("{e}"));
    (schemas, index)
}

fn example_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        // Hidden entries (`.github`) hold no scenarios: entitle passes them over too.
        if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        if p.is_dir() {
            example_files(&p, out);
        } else if Syntax::of_name(&p.to_string_lossy()).is_some() {
            out.push(p);
        }
    }
}

#[test]
fn every_example_is_valid_against_the_schema() {
    let (schemas, index) = compiled();
    let mut files = Vec::new();
    example_files(&root().join("examples"), &mut files);
    let mut checked = 0;
    for path in files {
        let name = path.to_string_lossy().to_string();
        let syntax = Syntax::of_name(&name).unwrap_or(Syntax::Yaml);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (i, doc) in documents_as_json(&SourceFile::new(name.as_str(), text), syntax).into_iter().enumerate() {
            let doc = doc.unwrap_or_else(|| panic!("{name}: document {i} does not parse"));
            if let Err(e) = schemas.validate(&doc, index) {
                panic!("{name}: document {i} is not valid: {e:#}\n{doc}");
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked} scenarios checked");
}

#[test]
fn a_typo_is_refused() {
    let (schemas, index) = compiled();
    let good = "scenario: renew on time\nas_of: 2021-09-15\ninput:\n  offer: { kind: action_pack, purchased_on: 2020-09-01 }\n  request: { action: renew }\nexpect:\n  decision: allow\n  outputs: { renewal_window_opens: 2021-09-02 }\n";
    let valid = |text: &str| {
        let docs = documents_as_json(&SourceFile::new("t.yaml", text), Syntax::Yaml);
        let doc = docs.into_iter().next().flatten().unwrap_or_default();
        schemas.validate(&doc, index).is_ok()
    };
    assert!(valid(good));
    for (from, to) in [
        ("purchased_on", "purchased_onn"),
        ("action_pack", "action_pak"),
        ("decision: allow", "decision: alow"),
        ("renewal_window_opens", "renewal_window_open"),
        ("as_of: 2021-09-15", "as_of: 15/09/2021"),
        ("outputs: {", "denied_by: [RENEW-WINDOWS]\n  outputs: {"),
        ("request: { action: renew }", "request: { action: renew, seats: 3 }"),
    ] {
        assert!(!valid(&good.replace(from, to)), "`{to}` is accepted");
    }
}
