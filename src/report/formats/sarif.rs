//! SARIF 2.1.0: one run of `entitle`, a result per problem with its file, line and
//! column, related locations for the other labels (a failing test's rule, say).

use super::super::cases::Report;
use super::super::json_value::{json, Json, Map};
use super::super::problem::{Place, Problem};

/// A relative path as a URI reference: unreserved characters and `/` kept, the rest
/// percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn physical(at: &Place) -> Json {
    json!({
        "artifactLocation": {"uri": uri(&at.file)},
        "region": {
            "startLine": at.line,
            "startColumn": at.column,
            "endLine": at.end_line,
            "endColumn": at.end_column,
        }
    })
}

fn result(p: &Problem, rule_index: usize) -> Json {
    let mut obj = Map::new();
    obj.insert("ruleId", json!(&p.code));
    obj.insert("ruleIndex", json!(rule_index));
    // SARIF's levels have the same names.
    let level = p.level.as_str();
    obj.insert("level", json!(level));
    let mut text = p.text();
    if let Some(h) = &p.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    obj.insert("message", json!({"text": text}));
    if let Some((at, _)) = &p.at {
        obj.insert("locations", json!([{"physicalLocation": physical(at)}]));
    }
    if !p.related.is_empty() {
        let related: Vec<Json> = p
            .related
            .iter()
            .enumerate()
            .map(|(i, (at, label))| json!({"id": i, "physicalLocation": physical(at), "message": {"text": label}}))
            .collect();
        obj.insert("relatedLocations", Json::Array(related));
    }
    Json::Object(obj)
}

pub fn render(report: &Report) -> Json {
    let mut codes: Vec<(&str, &str)> = Vec::new();
    for p in report.problems() {
        if !codes.iter().any(|(c, _)| *c == p.code) {
            codes.push((&p.code, &p.message));
        }
    }
    let rules: Vec<Json> = codes
        .iter()
        .map(|(code, _)| json!({"id": code, "shortDescription": {"text": format!("entitle diagnostic {code}")}}))
        .collect();
    let results: Vec<Json> =
        report.problems().map(|p| result(p, codes.iter().position(|(c, _)| *c == p.code).unwrap_or(0))).collect();
    let mut properties = Map::new();
    properties.insert("command", json!(report.command));
    if let Some((name, version)) = &report.pack {
        properties.insert("pack", json!({"name": name, "version": version}));
    }
    properties.insert("summary", json!(report.counts_text()));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "entitle",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
            "properties": properties,
        }]
    })
}
