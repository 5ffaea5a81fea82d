//! Rule coverage: which way every decision point of every rule went over a run.
//! A guard must be seen both applying and not applying; an output or effect must be
//! seen taken and, when it has an `if`, also held back. At the level of branches,
//! each `if` inside an expression must be seen taking either branch and each chain
//! of `and` / `or` deciding either way; at the level of MC/DC, each operand of such
//! a chain must be seen deciding it on its own (the chain's other outcome seen too).
//! An expression worked out when the pack is compiled (it reads only parameters) has
//! no decisions left to see. Rendered by the reporters.

use crate::ast::{EffectKind, Span};
use crate::eval::Observer;
use crate::number::Number;
use crate::program::{Expr, ExprKind, Op, Program, Stmt};
use std::collections::HashMap;

/// How much of each rule a run must exercise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Guards and the conditions of statements.
    #[default]
    Rules,
    /// And every `if` branch and every outcome of each `and` / `or` chain.
    Branches,
    /// And each operand of each chain deciding it on its own.
    Mcdc,
}

/// A decision inside a rule's expressions.
#[derive(Debug, Clone)]
struct Site {
    rule: usize,
    span: Span,
    /// `None` for an `if`; the connective and its operands' places for a chain.
    chain: Option<(Op, Vec<Span>)>,
}

/// What a site was seen doing.
#[derive(Debug, Clone, Default)]
struct SiteCounts {
    /// An `if`: then / else; a chain: true / false.
    outcome: Counts,
    /// A chain: per operand, how often it decided the chain on its own.
    decided_by: Vec<u32>,
    /// A chain: how often every operand was needed.
    through: u32,
}

/// How often each way of one decision point was seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub taken: u32,
    pub not_taken: u32,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.taken = self.taken.saturating_add(other.taken);
        self.not_taken = self.not_taken.saturating_add(other.not_taken);
    }
}

#[derive(Debug, Clone, Default)]
pub struct RuleCounts {
    /// The guard: taken = the rule applied.
    pub guard: Counts,
    /// One per statement of the rule's body (`let` statements stay at zero).
    pub statements: Vec<Counts>,
}

#[derive(Debug, Clone)]
pub struct Coverage {
    pub rules: Vec<RuleCounts>,
    pub scenarios: u32,
    /// The level points are reported at.
    pub level: Level,
    sites: Vec<Site>,
    counts: Vec<SiteCounts>,
    /// The site of each expression that is one, by the expression's address in the
    /// program (which does not move while it is evaluated).
    site_of: HashMap<usize, usize>,
}

/// What a decision point is, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointKind {
    Guard,
    Output(String),
    Effect(EffectKind),
    /// An `if` inside an expression: taken = `then`, not taken = `else`.
    Branch,
    /// A chain of `and` (`all` true) or `or`: taken = true, not taken = false.
    Chain {
        all: bool,
    },
    /// Operand `index` (from 0) of a chain: taken = it decided the chain on its
    /// own, not taken = the chain went the other way with every operand needed.
    Operand {
        all: bool,
        index: usize,
    },
}

/// One decision point of a rule and whether each required way of it was seen.
#[derive(Debug, Clone)]
pub struct Point {
    pub rule: usize,
    pub kind: PointKind,
    pub span: Span,
    pub counts: Counts,
    /// Whether the point has a condition, so that "not taken" is required too.
    pub conditional: bool,
}

impl Point {
    /// How many of its required ways were seen, and how many there are.
    pub fn ways(&self) -> (u32, u32) {
        let taken = u32::from(self.counts.taken > 0);
        if self.conditional {
            (taken + u32::from(self.counts.not_taken > 0), 2)
        } else {
            (taken, 1)
        }
    }

    pub fn is_covered(&self) -> bool {
        let (seen, total) = self.ways();
        seen == total
    }
}

impl Coverage {
    pub fn new(program: &Program) -> Self {
        let rules = program
            .rules
            .iter()
            .map(|r| RuleCounts { guard: Counts::default(), statements: vec![Counts::default(); r.body.len()] })
            .collect();
        let mut sites = Vec::new();
        let mut site_of = HashMap::new();
        for (index, rule) in program.rules.iter().enumerate() {
            for e in rule.expressions() {
                find_sites(e, index, &mut sites, &mut site_of);
            }
        }
        let counts = sites
            .iter()
            .map(|s| SiteCounts {
                decided_by: vec![0; s.chain.as_ref().map_or(0, |(_, o)| o.len())],
                ..SiteCounts::default()
            })
            .collect();
        Coverage { rules, scenarios: 0, level: Level::Rules, sites, counts, site_of }
    }

    /// Adds the counts of `other`, recorded over other scenarios of the same program.
    pub fn merge(&mut self, other: &Coverage) {
        for (mine, theirs) in self.rules.iter_mut().zip(&other.rules) {
            mine.guard.add(theirs.guard);
            for (m, t) in mine.statements.iter_mut().zip(&theirs.statements) {
                m.add(*t);
            }
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            mine.outcome.add(theirs.outcome);
            mine.through = mine.through.saturating_add(theirs.through);
            for (m, t) in mine.decided_by.iter_mut().zip(&theirs.decided_by) {
                *m = m.saturating_add(*t);
            }
        }
        self.scenarios = self.scenarios.saturating_add(other.scenarios);
    }

    /// Counts one evaluated scenario; call once per scenario evaluated with `self` as observer.
    pub fn scenario_done(&mut self) {
        self.scenarios = self.scenarios.saturating_add(1);
    }

    /// How many scenarios each rule applied in, by rule index.
    pub fn applied(&self, rule: usize) -> u32 {
        self.rules.get(rule).map_or(0, |r| r.guard.taken)
    }

    /// Every decision point of the program, rule by rule in evaluation order.
    pub fn points(&self, program: &Program) -> Vec<Point> {
        let mut out = Vec::new();
        for (index, rule) in program.rules.iter().enumerate() {
            let Some(counts) = self.rules.get(index) else {
                continue;
            };
            let guard_span = rule.guard.as_ref().map_or(rule.span, |g| g.span);
            out.push(Point {
                rule: index,
                kind: PointKind::Guard,
                span: guard_span,
                counts: counts.guard,
                conditional: rule.guard.is_some(),
            });
            for (stmt, c) in rule.body.iter().zip(&counts.statements) {
                let (kind, span, conditional) = match stmt {
                    Stmt::Let { .. } => continue,
                    Stmt::Output { output, value, condition } => {
                        let name = program.outputs.get(*output).map(|o| o.name.clone()).unwrap_or_default();
                        let span = condition.as_ref().map_or(value.span, |c| value.span.to(c.span));
                        (PointKind::Output(name), span, condition.is_some())
                    }
                    Stmt::Effect { kind, condition, span, .. } => {
                        (PointKind::Effect(*kind), *span, condition.is_some())
                    }
                };
                out.push(Point { rule: index, kind, span, counts: *c, conditional });
            }
            if self.level >= Level::Branches {
                self.site_points(index, &mut out);
            }
        }
        out
    }

    /// The points of the decisions inside rule `rule`'s expressions, in source order.
    fn site_points(&self, rule: usize, out: &mut Vec<Point>) {
        let mut mine: Vec<(&Site, &SiteCounts)> =
            self.sites.iter().zip(&self.counts).filter(|(s, _)| s.rule == rule).collect();
        mine.sort_by_key(|(s, _)| s.span.start);
        for (site, counts) in mine {
            let point = |kind, span, counts| Point { rule, kind, span, counts, conditional: true };
            let Some((op, operands)) = &site.chain else {
                out.push(point(PointKind::Branch, site.span, counts.outcome));
                continue;
            };
            let all = *op == Op::And;
            out.push(point(PointKind::Chain { all }, site.span, counts.outcome));
            if self.level >= Level::Mcdc {
                for (index, (span, decided)) in operands.iter().zip(&counts.decided_by).enumerate() {
                    let c = Counts { taken: *decided, not_taken: counts.through };
                    out.push(point(PointKind::Operand { all, index }, *span, c));
                }
            }
        }
    }
}

/// Registers the `if`s and chains of connectives in `e` (not in what was worked out
/// when the pack was compiled: nothing is decided there per scenario).
fn find_sites(e: &Expr, rule: usize, sites: &mut Vec<Site>, site_of: &mut HashMap<usize, usize>) {
    let mut register = |chain| {
        site_of.insert(e as *const Expr as usize, sites.len());
        sites.push(Site { rule, span: e.span, chain });
    };
    match &e.kind {
        ExprKind::If { cond, then, otherwise } => {
            register(None);
            for child in [cond, then, otherwise] {
                find_sites(child, rule, sites, site_of);
            }
        }
        ExprKind::Binary { op: op @ (Op::And | Op::Or), .. } => {
            let operands = crate::eval::chain(e, *op);
            register(Some((*op, operands.iter().map(|o| o.span).collect())));
            for operand in operands {
                find_sites(operand, rule, sites, site_of);
            }
        }
        ExprKind::Folded { .. } | ExprKind::Const(_) | ExprKind::AsOf | ExprKind::Input { .. } => {}
        ExprKind::Dated(_) => {}
        ExprKind::Local(_) | ExprKind::Output(_) => {}
        ExprKind::Field { base: inner, .. }
        | ExprKind::Not(inner)
        | ExprKind::Neg(inner)
        | ExprKind::Presence { operand: inner, .. }
        | ExprKind::Matches { subject: inner, .. } => find_sites(inner, rule, sites, site_of),
        ExprKind::Binary { lhs, rhs, .. } => {
            find_sites(lhs, rule, sites, site_of);
            find_sites(rhs, rule, sites, site_of);
        }
        ExprKind::Quantifier { list, body, .. } => {
            find_sites(list, rule, sites, site_of);
            find_sites(body, rule, sites, site_of);
        }
        ExprKind::Comprehension { element, clauses, filter } => {
            for (_, list) in clauses {
                find_sites(list, rule, sites, site_of);
            }
            find_sites(element, rule, sites, site_of);
            if let Some(f) = filter {
                find_sites(f, rule, sites, site_of);
            }
        }
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
            for item in items {
                find_sites(item, rule, sites, site_of);
            }
        }
    }
}

/// The share of required ways seen over a set of points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub seen: u32,
    pub total: u32,
}

impl Summary {
    pub fn of(points: &[Point]) -> Self {
        points.iter().map(Point::ways).fold(Summary { seen: 0, total: 0 }, |s, (seen, total)| Summary {
            seen: s.seen + seen,
            total: s.total + total,
        })
    }

    /// The exact percentage; 100 for an empty pack.
    pub fn percent(&self) -> Number {
        if self.total == 0 {
            return Number::from_int(100);
        }
        Number::ratio(i128::from(self.seen) * 100, i128::from(self.total)).unwrap_or(Number::ZERO)
    }

    /// The percentage for people: one decimal, rounded down, so that 99.96 % never
    /// reads as 100 %.
    pub fn percent_text(&self) -> String {
        let tenths = self.percent().checked_mul(Number::from_int(10)).map(|n| n.floor()).unwrap_or(Number::ZERO);
        let tenths = tenths.checked_div(Number::from_int(10)).unwrap_or(Number::ZERO);
        let text = tenths.to_decimal_string(1);
        if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        }
    }

    pub fn meets(&self, minimum: Number) -> bool {
        self.percent() >= minimum
    }
}

impl Observer for Coverage {
    const SEES_BRANCHES: bool = true;

    fn branch(&mut self, expr: &Expr, then: bool) {
        if let Some(c) = self.site_of.get(&(expr as *const Expr as usize)).and_then(|i| self.counts.get_mut(*i)) {
            bump(&mut c.outcome, then);
        }
    }

    fn connective(&mut self, expr: &Expr, at: usize, result: bool) {
        if let Some(c) = self.site_of.get(&(expr as *const Expr as usize)).and_then(|i| self.counts.get_mut(*i)) {
            bump(&mut c.outcome, result);
            match c.decided_by.get_mut(at) {
                Some(n) => *n = n.saturating_add(1),
                None => c.through = c.through.saturating_add(1),
            }
        }
    }

    fn guard(&mut self, rule: usize, applies: bool) {
        if let Some(r) = self.rules.get_mut(rule) {
            bump(&mut r.guard, applies);
        }
    }

    fn statement(&mut self, rule: usize, statement: usize, taken: bool) {
        if let Some(c) = self.rules.get_mut(rule).and_then(|r| r.statements.get_mut(statement)) {
            bump(c, taken);
        }
    }
}

fn bump(c: &mut Counts, taken: bool) {
    let n = if taken { &mut c.taken } else { &mut c.not_taken };
    *n = n.saturating_add(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(taken: u32, not_taken: u32, conditional: bool) -> Point {
        Point {
            rule: 0,
            kind: PointKind::Guard,
            span: Span::default(),
            counts: Counts { taken, not_taken },
            conditional,
        }
    }

    #[test]
    fn a_condition_needs_both_ways() {
        assert!(!point(3, 0, true).is_covered());
        assert!(!point(0, 3, true).is_covered());
        assert!(point(1, 1, true).is_covered());
        assert!(point(1, 0, false).is_covered());
        assert!(!point(0, 5, false).is_covered());
    }

    #[test]
    fn percent_is_exact_and_rounds_down_for_people() {
        let s = Summary::of(&[point(1, 0, true), point(1, 1, true), point(1, 0, false)]);
        assert_eq!((s.seen, s.total), (4, 5));
        assert_eq!(s.percent_text(), "80.0");
        let s = Summary { seen: 2499, total: 2500 };
        assert_eq!(s.percent_text(), "99.9");
        assert!(!s.meets(Number::from_int(100)));
        assert!(s.meets(Number::parse_decimal("99.96").unwrap_or(Number::ZERO)));
        assert_eq!(Summary { seen: 0, total: 0 }.percent_text(), "100.0");
        assert_eq!(Summary { seen: 1, total: 3 }.percent_text(), "33.3");
    }
}

/// Records which rules applied (their guard held) in one evaluation.
#[derive(Debug, Default)]
pub struct Applied(pub Vec<usize>);

impl Observer for Applied {
    fn guard(&mut self, rule: usize, applies: bool) {
        if applies {
            self.0.push(rule);
        }
    }

    fn statement(&mut self, _: usize, _: usize, _: bool) {}
}

/// The rules that applied to a scenario (its date and input), in evaluation order.
pub fn rules_applied(program: &Program, as_of: chrono::NaiveDate, input: &[Option<crate::value::Value>]) -> Vec<usize> {
    let mut applied = Applied::default();
    let _ = crate::eval::evaluate_observed(program, as_of, input, "", &mut applied);
    applied.0
}
