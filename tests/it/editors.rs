//! The VS Code extension's grammar keeps up with the language: it highlights every
//! built-in (its own grammar test, run by `.ci/run`, checks the scopes).

use crate::common::*;

#[test]
fn the_grammar_knows_every_built_in() {
    let path = root().join("editors/vscode/syntaxes/entitle.tmLanguage.json");
    let grammar: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default()).unwrap_or_default();
    let patterns = grammar["repository"]["expression"]["patterns"].as_array().cloned().unwrap_or_default();
    let builtins = patterns
        .iter()
        .find(|p| p["name"] == "support.function.builtin.entitle")
        .and_then(|p| p["match"].as_str())
        .unwrap_or_default()
        .to_string();
    for (name, _, _) in entitle::check::BUILTINS {
        assert!(
            builtins.contains(&format!("|{name}|"))
                || builtins.contains(&format!("({name}|"))
                || builtins.contains(&format!("|{name})")),
            "`{name}` is not highlighted: {builtins}"
        );
    }
}
