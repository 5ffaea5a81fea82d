//! The rule coverage report of `test --coverage`.

use super::location::line_col;
use crate::ast::EffectKind;
use crate::coverage::{Coverage, Level, Point, PointKind, Summary};
use crate::program::Program;
use std::fmt::Write;

/// One line per rule (how often it applied, ways seen of its decision points), then
/// every way not seen with its place, then the total.
pub fn human(program: &Program, coverage: &Coverage) -> String {
    let points = coverage.points(program);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} of {} {} over {} scenario{}:",
        name(coverage.level),
        program.manifest.name,
        program.manifest.version,
        coverage.scenarios,
        if coverage.scenarios == 1 { "" } else { "s" }
    );
    let width = program.rules.iter().map(|r| r.versioned_id().len()).max().unwrap_or(0);
    for index in program.rules_in_source_order() {
        let Some(rule) = program.rules.get(index) else {
            continue;
        };
        let mine: Vec<&Point> = points.iter().filter(|p| p.rule == index).collect();
        let (seen, total) = mine.iter().map(|p| p.ways()).fold((0, 0), |(a, b), (s, t)| (a + s, b + t));
        let mark = if seen == total { "ok  " } else { "MISS" };
        let _ = writeln!(
            out,
            "  {mark} {:<width$}  applied in {:>4}  {seen}/{total} ways",
            rule.versioned_id(),
            coverage.applied(index)
        );
        for p in mine.iter().filter(|p| !p.is_covered()) {
            let place = program.sources.get(rule.file).map(|f| {
                let (line, col) = line_col(f, p.span.start);
                format!("{}:{line}:{col}", f.name)
            });
            let _ = writeln!(out, "         {}: {}", place.unwrap_or_default(), missing(p));
        }
    }
    let s = Summary::of(&points);
    let _ = writeln!(out, "{}: {}% ({} of {} ways seen)", name(coverage.level), s.percent_text(), s.seen, s.total);
    out
}

/// What the coverage of a level is called.
pub fn name(level: Level) -> &'static str {
    match level {
        Level::Rules => "rule coverage",
        Level::Branches => "branch coverage",
        Level::Mcdc => "MC/DC coverage",
    }
}

/// What a reviewer must add a scenario for.
pub(crate) fn missing(p: &Point) -> String {
    let seen = p.counts.taken > 0;
    let connective = |all: bool| if all { "and" } else { "or" };
    match &p.kind {
        PointKind::Branch if !seen => return "this `if` never took its `then` branch".into(),
        PointKind::Branch => return "this `if` never took its `else` branch".into(),
        PointKind::Chain { all } => {
            let never = if seen { "false" } else { "true" };
            return format!("this `{}` was never {never}", connective(*all));
        }
        PointKind::Operand { all, index } if !seen => {
            let (value, before) = if *all { ("false", "true") } else { ("true", "false") };
            return format!(
                "operand {} of this `{}` never decided it on its own ({value}, every operand before it {before})",
                index + 1,
                connective(*all)
            );
        }
        PointKind::Operand { all, .. } => {
            let every = if *all { "true" } else { "false" };
            return format!("this `{}` never needed every operand (all {every}), to pair with it", connective(*all));
        }
        _ => {}
    }
    let what = match &p.kind {
        PointKind::Guard => "the rule".to_string(),
        PointKind::Output(name) => format!("output `{name}`"),
        PointKind::Effect(kind) => format!(
            "this {}",
            match kind {
                EffectKind::Deny => "deny",
                EffectKind::Warn => "warn",
                EffectKind::Note => "note",
            }
        ),
        _ => String::new(),
    };
    let (taken, not_taken) = match p.kind {
        PointKind::Guard => ("never applied", "applied in every scenario"),
        PointKind::Output(_) => ("was never written", "was written whenever its rule applied"),
        _ => ("never fired", "fired whenever its rule applied"),
    };
    match (p.counts.taken > 0, p.counts.not_taken > 0 || !p.conditional) {
        (false, _) => format!("{what} {taken}"),
        _ => format!("{what} {not_taken}: no scenario sees its condition false"),
    }
}
