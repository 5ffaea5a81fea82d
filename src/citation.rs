//! Citations and the source documents they point into. A rule cites
//! `DOC#anchor[, DOC#anchor...]`; a pack may carry its sources as `sources/DOC.md`,
//! Markdown whose headings hold `<a name="anchor"></a>`. A section runs from its
//! heading to the next heading of its level or above.

use crate::source::SourceFile;
use std::collections::HashMap;
use std::ops::Range;

/// The folder of a pack that holds its source documents.
pub const SOURCES_DIR: &str = "sources/";

/// One `DOC#anchor` of a rule's `cites`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Citation<'a> {
    pub document: &'a str,
    pub anchor: &'a str,
    /// Where it is written within the `cites` text.
    pub at: usize,
}

/// The citations of a `cites` text, in order; a part without `#` cites a whole document.
pub fn parse(cites: &str) -> Vec<Citation<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for part in cites.split(',') {
        let trimmed = part.trim();
        let lead = part.len() - part.trim_start().len();
        if !trimmed.is_empty() {
            let (document, anchor) = trimmed.split_once('#').unwrap_or((trimmed, ""));
            out.push(Citation { document: document.trim(), anchor: anchor.trim(), at: at + lead });
        }
        at += part.len() + 1;
    }
    out
}

/// A section of a source document.
#[derive(Debug, Clone)]
pub struct Section {
    pub anchor: String,
    pub title: String,
    /// 1 for `#`, 2 for `##`, ...
    pub level: usize,
    /// The heading line and the text under it, in the document's text.
    pub span: Range<usize>,
}

/// A source document and its sections by anchor.
#[derive(Debug, Clone)]
pub struct Document {
    /// The name citations use: the file's name without `.md`.
    pub id: String,
    pub file: SourceFile,
    pub sections: Vec<Section>,
    by_anchor: HashMap<String, usize>,
}

impl Document {
    /// Reads the sections of `file`, one pass over its lines.
    pub fn new(id: &str, file: SourceFile) -> Document {
        let mut sections: Vec<Section> = Vec::new();
        // Sections not yet ended, innermost last.
        let mut open: Vec<usize> = Vec::new();
        let text: &str = &file.text;
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            if let Some((level, anchor, title)) = heading(line) {
                while let Some(&last) = open.last() {
                    match sections.get_mut(last) {
                        Some(s) if s.level >= level => {
                            s.span.end = start;
                            open.pop();
                        }
                        _ => break,
                    }
                }
                open.push(sections.len());
                sections.push(Section { anchor, title, level, span: start..text.len() });
            }
            start += line.len();
        }
        let mut by_anchor = HashMap::new();
        for (i, s) in sections.iter().enumerate() {
            by_anchor.entry(s.anchor.clone()).or_insert(i);
        }
        Document { id: id.to_string(), file, sections, by_anchor }
    }

    pub fn section(&self, anchor: &str) -> Option<&Section> {
        self.by_anchor.get(anchor).and_then(|&i| self.sections.get(i))
    }

    /// The text of a section without its heading line.
    pub fn body(&self, section: &Section) -> &str {
        let text = self.file.text.get(section.span.clone()).unwrap_or("");
        text.split_once('\n').map_or("", |(_, rest)| rest).trim()
    }
}

/// At most this much of a section is quoted where it is cited.
pub const MAX_QUOTE: usize = 1500;

/// A passage to quote: the section's text (the whole document's for `None`), at most
/// [`MAX_QUOTE`] bytes cut at a line, and whether it was cut.
pub fn passage(document: &Document, section: Option<&Section>) -> (String, bool) {
    let text = match section {
        Some(s) => document.body(s),
        None => document.file.text.as_ref(),
    };
    if text.len() <= MAX_QUOTE {
        return (text.to_string(), false);
    }
    let mut cut = 0;
    for line in text.split_inclusive('\n') {
        if cut + line.len() > MAX_QUOTE {
            break;
        }
        cut += line.len();
    }
    if cut == 0 {
        cut = text.char_indices().map(|(i, _)| i).take_while(|&i| i <= MAX_QUOTE).last().unwrap_or(0);
    }
    (text.get(..cut).unwrap_or("").trim_end().to_string(), true)
}

/// `## <a name="membership"></a>Lidmaatschap` -> (2, "membership", "Lidmaatschap").
fn heading(line: &str) -> Option<(usize, String, String)> {
    let line = line.trim_end();
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = line.get(level..)?.strip_prefix(' ')?.trim_start();
    let inner = rest.strip_prefix("<a name=\"")?;
    let (anchor, after) = inner.split_once('"')?;
    let title = after.split_once("</a>").map_or(after, |(_, t)| t).trim();
    Some((level, anchor.to_string(), title.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_are_split_and_placed() {
        let c = parse("000#a, 004#b-c ,x");
        let got: Vec<(&str, &str, usize)> = c.iter().map(|c| (c.document, c.anchor, c.at)).collect();
        assert_eq!(got, [("000", "a", 0), ("004", "b-c", 7), ("x", "", 16)]);
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level_or_above() {
        let text = "---\nfront: x\n---\n# <a name=\"top\"></a>Top\nintro\n## <a name=\"a\"></a>A\na text\n### <a name=\"a1\"></a>A1\nsub\n## <a name=\"b\"></a>B\nb text\n";
        let d = Document::new("d", SourceFile::new("d.md", text));
        let titles: Vec<(&str, usize)> = d.sections.iter().map(|s| (s.title.as_str(), s.level)).collect();
        assert_eq!(titles, [("Top", 1), ("A", 2), ("A1", 3), ("B", 2)]);
        let body = |a: &str| d.section(a).map(|s| d.body(s).to_string()).unwrap_or_default();
        assert_eq!(body("a"), "a text\n### <a name=\"a1\"></a>A1\nsub");
        assert_eq!(body("a1"), "sub");
        assert_eq!(body("b"), "b text");
        assert!(body("top").ends_with("b text"), "the top section holds the others");
        assert!(d.section("none").is_none());
    }
}
