//! Rule coverage: which way every decision point of every rule went over a run.
//! A guard must be seen both applying and not applying; an output or effect must be
//! seen taken and, when it has an `if`, also held back. Rendered by the reporters.

use crate::ast::{EffectKind, Span};
use crate::eval::Observer;
use crate::number::Number;
use crate::program::{Program, Stmt};

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
}

/// What a decision point is, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointKind {
    Guard,
    Output(String),
    Effect(EffectKind),
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
        Coverage { rules, scenarios: 0 }
    }

    /// Adds the counts of `other`, recorded over other scenarios of the same program.
    pub fn merge(&mut self, other: &Coverage) {
        for (mine, theirs) in self.rules.iter_mut().zip(&other.rules) {
            mine.guard.add(theirs.guard);
            for (m, t) in mine.statements.iter_mut().zip(&theirs.statements) {
                m.add(*t);
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
        }
        out
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
