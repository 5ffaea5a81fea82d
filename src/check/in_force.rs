//! Effective dating: the days each rule is in force (`in force from A until B`),
//! versions of a rule (rules of one id) on days of their own, and dated parameters
//! read only on days they have a value.

use super::{CheckError, Checker, PARAMS};
use crate::ast::{self, ExprKind, Span};
use crate::calendar::Period;
use crate::pack::params::Version;
use crate::program;
use crate::types::Type;
use crate::value::Value;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A rule's `in force` clause, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Dating {
    pub period: Period,
    pub continuously: bool,
    /// The parameters its bounds read (`table.key`).
    pub reads: Vec<String>,
}

impl Checker<'_> {
    /// Resolves the clause of each rule (in declaration order); `None` for a rule
    /// without one, in force every day.
    pub(crate) fn datings(&mut self, rules: &[(usize, &ast::Rule)]) -> Vec<Option<Dating>> {
        if rules.iter().all(|(_, r)| r.in_force.is_none()) {
            return vec![None; rules.len()];
        }
        // Bounds are computed as constants are: by a program with no rules.
        let pack = self.pack;
        let scratch = program::Program {
            manifest: pack.manifest.clone(),
            schema: pack.schema.clone(),
            calendar: pack.params.calendar,
            sources: Vec::new(),
            documents: Vec::new(),
            rules: Vec::new(),
            outputs: Vec::new(),
            frame_size: 0,
            params: Vec::new(),
            dispatch: None,
            rules_on: None,
        };
        let mut out = Vec::with_capacity(rules.len());
        for &(file, rule) in rules {
            self.file = file;
            out.push(rule.in_force.as_ref().and_then(|clause| self.dating(rule, clause, &scratch)));
            self.rule_params.clear();
        }
        out
    }

    fn dating(&mut self, rule: &ast::Rule, clause: &ast::InForce, scratch: &program::Program) -> Option<Dating> {
        let from = match &clause.from {
            Some(b) => Some(self.bound(b, scratch)?),
            None => None,
        };
        let until = match &clause.until {
            Some(b) => Some(self.bound(b, scratch)?),
            None => None,
        };
        let period = Period { from, until };
        if period.is_empty() {
            self.push(CheckError::BadInForce {
                message: format!("rule `{}` is never in force: {period}", rule.id.name),
                src: self.src(),
                span: clause.span.into(),
                label: "ends before it begins".into(),
                help: Some("`until` is the last day in force: a day on or after `from`".into()),
            });
            return None;
        }
        Some(Dating { period, continuously: clause.continuously, reads: std::mem::take(&mut self.rule_params) })
    }

    /// A bound: a date computed from dates and parameters when the pack is compiled
    /// (`2021-01-28`, `params.a.since`, `params.a.last + params.b.window`).
    fn bound(&mut self, e: &ast::Expr, scratch: &program::Program) -> Option<NaiveDate> {
        let bad = |c: &mut Self, span: Span, message: String, label: &str, help: &str| {
            c.push(CheckError::BadInForce {
                message,
                src: c.src(),
                span: span.into(),
                label: label.into(),
                help: Some(help.into()),
            });
            None
        };
        if let Some((path, text)) = first_path(e, &|segs| segs.first().is_none_or(|s| s.name != PARAMS)) {
            return bad(
                self,
                path.span,
                format!("`{text}` is not known when the pack is compiled, so it cannot date a rule"),
                "read when a scenario is decided",
                "a rule is in force from and until dates and `params` values: `in force from params.table.key`",
            );
        }
        let dated = |segs: &[ast::Ident]| {
            let key = segs.iter().skip(1).map(|s| s.name.as_str()).collect::<Vec<_>>().join(".");
            self.param_node(&key).is_some_and(|p| p.is_dated())
        };
        if let Some((path, text)) = first_path(e, &dated) {
            return bad(
                self,
                path.span,
                format!("`{text}` has dated values, so it cannot date a rule"),
                "dated parameter",
                "the days a rule is in force are known when the pack is compiled: name a parameter with one value",
            );
        }
        self.scopes.clear();
        self.next_slot = 0;
        let typed = self.expr(e, Some(&Type::Date))?;
        if typed.ty != Type::Date {
            let found = self.show(&typed.ty);
            return bad(
                self,
                e.span,
                format!("this is {found}, not a date"),
                "not a date",
                "a rule is in force from and until a date",
            );
        }
        match crate::eval::constant(scratch, &typed.expr, self.next_slot) {
            Some(Value::Date(d)) => Some(d),
            _ => bad(
                self,
                e.span,
                "this date cannot be computed".into(),
                "out of range",
                "compute a date between the years 1 and 9999",
            ),
        }
    }

    /// The parameter leaf at `table.key`, when there is one.
    fn param_node(&self, key: &str) -> Option<&crate::pack::Param> {
        let mut level = self.pack.params.root.as_slice();
        let mut parts = key.split('.').peekable();
        while let Some(part) = parts.next() {
            let (_, node) = level.iter().find(|(k, _)| k.name == part)?;
            match node {
                crate::pack::ParamNode::Table(t) => level = t,
                crate::pack::ParamNode::Leaf(p) => return parts.peek().is_none().then_some(p),
            }
        }
        None
    }

    /// Refuses two rules of one id in force on one day, and days between versions
    /// of a rule that is `continuously in force`.
    pub(crate) fn versions(&mut self, rules: &[(usize, &ast::Rule)]) {
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, (_, rule)) in rules.iter().enumerate() {
            by_id.entry(rule.id.name.as_str()).or_default().push(index);
        }
        let mut groups: Vec<Vec<usize>> = by_id.into_values().filter(|v| v.len() > 1 || self.continuous(v)).collect();
        // Reported in declaration order, whatever the map's.
        groups.sort_by_key(|g| g.first().copied());
        for group in groups {
            self.version_group(rules, group);
        }
    }

    fn continuous(&self, group: &[usize]) -> bool {
        group.iter().any(|&i| self.datings.get(i).and_then(Option::as_ref).is_some_and(|d| d.continuously))
    }

    fn version_group(&mut self, rules: &[(usize, &ast::Rule)], mut group: Vec<usize>) {
        let period = |c: &Self, i: usize| c.datings.get(i).and_then(Option::as_ref).map(|d| d.period);
        let place = |_: &Self, i: usize| rules.get(i).map(|&(f, r)| (f, r.id.span, r.id.name.clone()));
        if let Some(undated) = group.iter().position(|&i| period(self, i).is_none()) {
            // Every version but the first undated one is reported against it.
            let first = group.remove(undated);
            let Some((f0, s0, id)) = place(self, first) else { return };
            for other in group {
                let Some((f, s, _)) = place(self, other) else { continue };
                let related = vec![self.note(f0, s0, "declared here without `in force`", "in force every day")];
                let both_undated = period(self, other).is_none();
                if both_undated {
                    self.push(CheckError::Duplicate {
                        message: format!("rule `{id}` is declared twice"),
                        src: self.src_of(f),
                        span: s.into(),
                        related,
                    });
                } else {
                    self.push(CheckError::OverlappingVersions {
                        message: format!("rule `{id}` has a version in force every day beside this one"),
                        src: self.src_of(f),
                        span: s.into(),
                        label: "a second version".into(),
                        help: Some(format!("give every version of `{id}` an `in force` clause, on days of its own")),
                        related,
                    });
                }
            }
            return;
        }
        group.sort_by_key(|&i| period(self, i).map(|p| p.start_key()));
        let continuously = self.continuous(&group);
        for pair in group.windows(2) {
            let &[a, b] = pair else { continue };
            let (Some(pa), Some(pb)) = (period(self, a), period(self, b)) else { continue };
            let (Some((fa, sa, id)), Some((fb, sb, _))) = (place(self, a), place(self, b)) else { continue };
            if pa.overlaps(&pb) {
                let help = pb
                    .from
                    .and_then(|d| d.pred_opt())
                    .map(|d| format!("end the earlier version the day before this one begins: `until {d}`"));
                let related = vec![self.note(fa, sa, format!("in force {pa}"), "the other version")];
                self.push(CheckError::OverlappingVersions {
                    message: format!("two versions of rule `{id}` are in force on the same days"),
                    src: self.src_of(fb),
                    span: sb.into(),
                    label: format!("in force {pb}"),
                    help,
                    related,
                });
            } else if let Some(gap) = pa.gap_before(&pb).filter(|_| continuously) {
                let related = vec![self.note(fa, sa, format!("in force {pa}"), "the version before")];
                self.push(CheckError::GapBetweenVersions {
                    id,
                    gap: gap.to_string(),
                    src: self.src_of(fb),
                    span: sb.into(),
                    help: pa.until.and_then(|d| d.succ_opt()).map(|d| format!("begin this version on {d}, the day after the one before ends, or date a version for the days between")),
                    related,
                });
            }
        }
    }

    /// A dated parameter read by the current rule: its value when one version covers
    /// every day the rule is in force, else its versions, to be chosen by the day
    /// (refusing days the rule is in force and the parameter has no value).
    pub(crate) fn dated(&mut self, name: &str, versions: &[Version], span: Span) -> Option<program::ExprKind> {
        let period = self.rule_period;
        let runs = self.runs.entry(name.to_string()).or_insert_with(|| runs(versions)).clone();
        if let Some(gap) = uncovered(&runs, period) {
            self.push(CheckError::NoValueInForce {
                param: format!("params.{name}"),
                gap: gap.to_string(),
                id: self.rule_id.clone(),
                src: self.src(),
                span: span.into(),
                help: Some(format!("give `{name}` a value for those days in params.toml, or date the rule")),
            });
            return None;
        }
        let mut in_force = versions.iter().filter(|v| v.period.overlaps(&period));
        match (in_force.next(), in_force.next()) {
            (Some(only), None) => Some(program::ExprKind::Const(only.value.clone())),
            _ => Some(program::ExprKind::Dated(
                versions.iter().filter(|v| v.period.overlaps(&period)).map(|v| (v.period, v.value.clone())).collect(),
            )),
        }
    }
}

/// The first name path in `e` that `matches`, with its text.
fn first_path<'e>(e: &'e ast::Expr, matches: &dyn Fn(&[ast::Ident]) -> bool) -> Option<(&'e ast::Expr, String)> {
    if let ExprKind::Path(segs) = &e.kind {
        if matches(segs) {
            return Some((e, segs.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(".")));
        }
    }
    e.children().into_iter().find_map(|c| first_path(c, matches))
}

/// The stretches of days a parameter has a value on: its versions (in date order,
/// not overlapping) with adjacent ones joined.
fn runs(versions: &[Version]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for v in versions {
        match out.last_mut() {
            Some(last) if last.gap_before(&v.period).is_none() && last.until.is_some() => last.until = v.period.until,
            _ => out.push(v.period),
        }
    }
    out
}

/// The first days of `period` in none of `runs` (sorted, apart), if any.
fn uncovered(runs: &[Period], period: Period) -> Option<Period> {
    let start = period.start_key();
    // The last run that starts on or before the period does.
    let at = runs.partition_point(|r| r.start_key() <= start);
    let run = at.checked_sub(1).and_then(|i| runs.get(i)).filter(|r| r.contains(start));
    match run {
        Some(r) => {
            let end = r.until?;
            if period.until.is_some_and(|u| u <= end) {
                return None;
            }
            let first = end.succ_opt()?;
            let next = runs.get(at).and_then(|n| n.from).and_then(|d| d.pred_opt());
            Some(Period { from: Some(first), until: earlier(next, period.until) })
        }
        None => {
            let next = runs.get(at).and_then(|n| n.from).and_then(|d| d.pred_opt());
            Some(Period { from: period.from, until: earlier(next, period.until) })
        }
    }
}

fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        crate::calendar::parse_date(text).unwrap_or_default()
    }

    fn p(from: Option<&str>, until: Option<&str>) -> Period {
        Period { from: from.map(day), until: until.map(day) }
    }

    fn v(from: Option<&str>, until: Option<&str>) -> Version {
        Version { period: p(from, until), value: Value::Bool(true), span: 0..0 }
    }

    #[test]
    fn adjacent_versions_make_one_run() {
        let r = runs(&[
            v(None, Some("2021-01-27")),
            v(Some("2021-01-28"), Some("2021-06-30")),
            v(Some("2021-08-01"), None),
        ]);
        assert_eq!(r, vec![p(None, Some("2021-06-30")), p(Some("2021-08-01"), None)]);
    }

    #[test]
    fn the_first_uncovered_days_are_found() {
        let r = runs(&[v(None, Some("2021-06-30")), v(Some("2021-08-01"), Some("2021-12-31"))]);
        assert_eq!(uncovered(&r, p(Some("2021-01-01"), Some("2021-06-30"))), None);
        assert_eq!(uncovered(&r, p(None, Some("2021-06-30"))), None);
        assert_eq!(uncovered(&r, p(Some("2021-08-01"), Some("2021-12-31"))), None);
        assert_eq!(
            uncovered(&r, p(Some("2021-06-01"), Some("2021-09-30"))),
            Some(p(Some("2021-07-01"), Some("2021-07-31")))
        );
        assert_eq!(
            uncovered(&r, p(Some("2021-07-01"), Some("2021-07-02"))),
            Some(p(Some("2021-07-01"), Some("2021-07-02")))
        );
        assert_eq!(uncovered(&r, p(Some("2021-09-01"), None)), Some(p(Some("2022-01-01"), None)));
        assert_eq!(uncovered(&r, Period::ALWAYS), Some(p(Some("2021-07-01"), Some("2021-07-31"))));
        let late = runs(&[v(Some("2021-01-28"), None)]);
        assert_eq!(uncovered(&late, Period::ALWAYS), Some(p(None, Some("2021-01-27"))));
        assert_eq!(uncovered(&late, p(Some("2021-01-28"), None)), None);
        assert_eq!(uncovered(&late, p(Some("2021-01-27"), None)), Some(p(Some("2021-01-27"), Some("2021-01-27"))));
    }
}
