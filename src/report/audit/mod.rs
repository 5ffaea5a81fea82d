//! The audit report of `entitle report`: one document a compliance reviewer can hand
//! over, for one version of a pack. Per rule: its id, title, plain words, the passage
//! of the source it cites (quoted from the pack's copy of its sources), the parameters
//! it reads with their values and days in force, the scenarios that prove it with
//! their outcomes, and its coverage; a summary; a timeline of what is in force when;
//! every scenario; the sources themselves. HTML (self-contained) or Markdown.

mod html;
mod markdown;
mod timeline;

pub use html::html;
pub use markdown::markdown;

use crate::calendar::Period;
use crate::citation::{self, Document, Section};
use crate::coverage::{Coverage, Point, Summary};
use crate::program::{Program, Rule};
use crate::run::{Run, ScenarioResult};

/// Where the pack came from, as the caller knows it.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The git commit of the pack's folder, when it is in a repository.
    pub revision: Option<String>,
    /// The pack's folder has changes the commit does not hold.
    pub modified: bool,
    /// The report's date: given, or the commit's.
    pub date: Option<String>,
    /// Where the pack was read from (`policies`, `(built in)`).
    pub origin: String,
}

/// Everything the report shows, gathered once (each part in one pass over the run,
/// the coverage and the parameters, whatever their sizes).
pub struct Audit<'a> {
    pub program: &'a Program,
    pub run: &'a Run,
    /// For each result of the run (by index), the rules that applied to it.
    pub applied: &'a [Vec<usize>],
    pub provenance: &'a Provenance,
    /// For each rule (by index), the results it applied in.
    proving: Vec<Vec<usize>>,
    /// For each rule (by index), its points of coverage.
    points: Vec<Vec<Point>>,
    summary: Option<Summary>,
    params: std::collections::HashMap<&'a str, &'a crate::program::ParamValue>,
    documents: std::collections::HashMap<&'a str, &'a Document>,
}

/// One citation of a rule, resolved when the pack's sources have it.
pub struct Quote<'a> {
    pub text: String,
    pub found: Option<(&'a Document, Option<&'a Section>)>,
}

impl<'a> Audit<'a> {
    pub fn new(program: &'a Program, run: &'a Run, applied: &'a [Vec<usize>], provenance: &'a Provenance) -> Self {
        let mut proving = vec![Vec::new(); program.rules.len()];
        for (result, rules) in applied.iter().enumerate() {
            for &r in rules {
                if let Some(list) = proving.get_mut(r) {
                    list.push(result);
                }
            }
        }
        let mut points = vec![Vec::new(); program.rules.len()];
        let all = run.coverage.as_ref().map(|c| c.points(program)).unwrap_or_default();
        let summary = run.coverage.as_ref().map(|_| Summary::of(&all));
        for p in all {
            if let Some(list) = points.get_mut(p.rule) {
                list.push(p);
            }
        }
        let params = program.params.iter().map(|p| (p.name.as_str(), p)).collect();
        let documents = program.documents.iter().map(|d| (d.id.as_str(), d)).collect();
        Audit { program, run, applied, provenance, proving, points, summary, params, documents }
    }

    pub fn coverage(&self) -> Option<&'a Coverage> {
        self.run.coverage.as_ref()
    }

    /// A parameter by its name (`table.key`).
    pub fn param(&self, name: &str) -> Option<&'a crate::program::ParamValue> {
        self.params.get(name).copied()
    }

    /// Rules in source order.
    pub fn rules(&self) -> Vec<(usize, &'a Rule)> {
        self.program
            .rules_in_source_order()
            .into_iter()
            .filter_map(|i| self.program.rules.get(i).map(|r| (i, r)))
            .collect()
    }

    /// The scenarios the rule applied in, by index of the run's results.
    pub fn proving(&self, rule: usize) -> &[usize] {
        self.proving.get(rule).map_or(&[], Vec::as_slice)
    }

    /// The citations of a rule, each with its document and section when found.
    pub fn quotes(&self, rule: &Rule) -> Vec<Quote<'a>> {
        citation::parse(&rule.cites)
            .into_iter()
            .map(|c| {
                let text =
                    if c.anchor.is_empty() { c.document.to_string() } else { format!("{}#{}", c.document, c.anchor) };
                let found = self.documents.get(c.document).copied().and_then(|d| {
                    if c.anchor.is_empty() {
                        Some((d, None))
                    } else {
                        d.section(c.anchor).map(|s| (d, Some(s)))
                    }
                });
                Quote { text, found }
            })
            .collect()
    }

    /// The points of coverage of one rule.
    pub fn points(&self, rule: usize) -> &[Point] {
        self.points.get(rule).map_or(&[], Vec::as_slice)
    }

    pub fn summary(&self) -> Option<Summary> {
        self.summary
    }

    /// Every rule version and parameter value with days of its own: (what, days).
    pub fn dated(&self) -> Vec<(String, Period)> {
        let mut out: Vec<(String, Period)> =
            self.rules().into_iter().filter_map(|(_, r)| r.in_force.map(|p| (r.id.clone(), p))).collect();
        for p in &self.program.params {
            out.extend(p.versions.iter().map(|(period, _)| (format!("params.{}", p.name), *period)));
        }
        out
    }

    pub fn result_status(r: &ScenarioResult) -> &'static str {
        match &r.result {
            Err(_) => "error",
            Ok(ev) => match &ev.mismatches {
                None => "unchecked",
                Some(m) if m.is_empty() => "passed",
                Some(_) => "failed",
            },
        }
    }
}

/// The anchor of a scenario in the report.
pub fn scenario_anchor(index: usize) -> String {
    format!("scenario-{}", index + 1)
}

/// The anchor of a rule version in the report.
pub fn rule_anchor(rule: &Rule) -> String {
    format!("rule-{}", rule.anchor())
}

/// The anchor of a source section (or a whole document) in the report.
pub fn source_anchor(document: &Document, section: Option<&Section>) -> String {
    match section {
        Some(s) => format!("source-{}-{}", document.id, s.anchor),
        None => format!("source-{}", document.id),
    }
}

/// The text of a section up to its first subsection: what the appendix shows under
/// its heading (the subsections follow with their own).
pub fn own_text<'d>(document: &'d Document, section: &Section) -> &'d str {
    let body = document.body(section);
    let mut end = body.len();
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        if line.starts_with('#') {
            end = at;
            break;
        }
        at += line.len();
    }
    body.get(..end).unwrap_or(body).trim()
}
