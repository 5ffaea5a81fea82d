//! Citations checked against the source documents a pack carries: a document or a
//! section that is not there is a warning on the citation.

use super::{CheckError, Checker};
use crate::ast;
use crate::citation::{self, Document};
use crate::pack::Pack;

/// One warning per citation that does not resolve; none for a pack without sources.
pub(super) fn warnings(pack: &Pack, rules: &[(usize, &ast::Rule)], c: &Checker<'_>) -> Vec<CheckError> {
    let documents = &pack.documents;
    if documents.is_empty() {
        return Vec::new();
    }
    let by_id: std::collections::HashMap<&str, &Document> = documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut out = Vec::new();
    for &(file, rule) in rules {
        let text = &rule.cites;
        // Offsets within the quotes hold where the text has no escape.
        let exact =
            !c.source(file).and_then(|f| f.text.get(text.span.start..text.span.end)).is_some_and(|t| t.contains('\\'));
        for cite in citation::parse(&text.value) {
            let (message, help) = match by_id.get(cite.document).copied() {
                None => (
                    format!("rule `{}` cites `{}`, which is not among the pack's sources", rule.id.name, cite.document),
                    format!("the sources are: {}", names(documents)),
                ),
                Some(d) if d.section(cite.anchor).is_none() && !cite.anchor.is_empty() => {
                    let anchors = d.sections.iter().map(|s| s.anchor.as_str());
                    let help = crate::source::did_you_mean(cite.anchor, anchors)
                        .unwrap_or_else(|| format!("`{}` has no `<a name=\"{}\">` heading", d.id, cite.anchor));
                    (
                        format!(
                            "rule `{}` cites `{}#{}`, a section `{}` does not have",
                            rule.id.name, d.id, cite.anchor, d.id
                        ),
                        help,
                    )
                }
                Some(_) => continue,
            };
            let span = if exact {
                let start = text.span.start + 1 + cite.at;
                let len = cite.document.len() + if cite.anchor.is_empty() { 0 } else { 1 + cite.anchor.len() };
                (start, len).into()
            } else {
                text.span.into()
            };
            out.push(CheckError::UnresolvedCitation { message, src: c.src_of(file), span, help: Some(help) });
        }
    }
    out
}

fn names(documents: &[Document]) -> String {
    documents.iter().map(|d| format!("`{}`", d.id)).collect::<Vec<_>>().join(", ")
}
