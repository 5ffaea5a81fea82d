//! Where a rule draws a line: each comparison of ordered values (dates, numbers,
//! amounts, durations) and each end of a range, outside loops; and a probe that reads
//! both sides of one while a scenario is evaluated.

use crate::eval::Observer;
use crate::program::{Expr, ExprKind, Op, Program};
use crate::types::Type;
use crate::value::Value;
use std::cmp::Ordering;

/// One comparison `lhs op rhs` (an end of a range is one too: `x in a ..= b` is
/// `x >= a` and `x <= b`).
#[derive(Debug, Clone, Copy)]
pub struct Site<'p> {
    pub rule: usize,
    pub op: Op,
    pub lhs: &'p Expr,
    pub rhs: &'p Expr,
    /// The comparison as written, for its span.
    pub whole: &'p Expr,
}

impl Site<'_> {
    /// Whether the comparison holds for the two values, `None` when they do not order.
    pub fn holds(&self, a: &Value, b: &Value) -> Option<bool> {
        let order = order(a, b)?;
        Some(match self.op {
            Op::Lt => order == Ordering::Less,
            Op::Le => order != Ordering::Greater,
            Op::Gt => order == Ordering::Greater,
            Op::Ge => order != Ordering::Less,
            Op::Eq => order == Ordering::Equal,
            Op::Ne => order != Ordering::Equal,
            _ => return None,
        })
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y),
        (Value::Days(x), Value::Days(y)) => Some(x.cmp(y)),
        (Value::Months(x), Value::Months(y)) => x.partial_cmp(y),
        _ => None,
    }
}

fn ordered(ty: &Type) -> bool {
    matches!(ty, Type::Date | Type::Int | Type::Decimal | Type::Money(_) | Type::Days | Type::Months)
}

/// The comparison sites of the rules chosen (`rule` filters by index), in rule and
/// source order. What was folded reads no scenario and draws no line of its own.
pub fn sites(program: &Program, chosen: impl Fn(usize) -> bool) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    for (index, rule) in program.rules.iter().enumerate().filter(|(i, _)| chosen(*i)) {
        for e in rule.expressions() {
            walk(index, e, &mut out);
        }
    }
    out
}

fn walk<'p>(rule: usize, e: &'p Expr, out: &mut Vec<Site<'p>>) {
    match &e.kind {
        ExprKind::Binary { op: op @ (Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne), lhs, rhs }
            if ordered(&lhs.ty) =>
        {
            out.push(Site { rule, op: *op, lhs, rhs, whole: e });
        }
        ExprKind::Binary { op: Op::In, lhs, rhs } if ordered(&lhs.ty) => {
            if let ExprKind::Binary { op: Op::Range { inclusive }, lhs: start, rhs: end } = &rhs.unfolded().kind {
                out.push(Site { rule, op: Op::Ge, lhs, rhs: start, whole: e });
                let op = if *inclusive { Op::Le } else { Op::Lt };
                out.push(Site { rule, op, lhs, rhs: end, whole: e });
            }
        }
        _ => {}
    }
    match &e.kind {
        // A loop's body is evaluated once per item: its values are not one line.
        ExprKind::Quantifier { list, .. } => walk(rule, list, out),
        ExprKind::Comprehension { clauses, .. } => {
            if let Some((_, list)) = clauses.first() {
                walk(rule, list, out);
            }
        }
        _ => e.children().into_iter().for_each(|c| walk(rule, c, out)),
    }
}

/// Reads the values both sides of one site took in an evaluation.
pub struct Probe {
    targets: [*const Expr; 2],
    pub values: [Option<Value>; 2],
}

impl Probe {
    pub fn new(site: &Site<'_>) -> Self {
        // A folded side is seen as written: its original is what reports its value.
        Probe { targets: [site.lhs.unfolded(), site.rhs.unfolded()], values: [None, None] }
    }

    pub fn clear(&mut self) {
        self.values = [None, None];
    }
}

impl Observer for Probe {
    const SEES_VALUES: bool = true;

    fn guard(&mut self, _: usize, _: bool) {}

    fn statement(&mut self, _: usize, _: usize, _: bool) {}

    fn value(&mut self, expr: &Expr, value: &Value) {
        for (target, slot) in self.targets.iter().zip(self.values.iter_mut()) {
            if std::ptr::eq(*target, expr) {
                *slot = Some(value.clone());
            }
        }
    }
}

/// What the values of an expression can depend on in a scenario: its date, and the
/// input fields it reads (by path; a record read whole covers its fields).
#[derive(Debug, Clone, Default)]
pub struct Reads {
    pub as_of: bool,
    pub paths: Vec<Box<[usize]>>,
}

impl Reads {
    fn add(&mut self, other: &Reads) {
        self.as_of |= other.as_of;
        for p in &other.paths {
            if !self.paths.contains(p) {
                self.paths.push(p.clone());
            }
        }
    }

    /// Whether moving the field at `path` (or the date, for `None`) can change them.
    pub fn moved_by(&self, path: Option<&[usize]>) -> bool {
        match path {
            None => self.as_of,
            Some(path) => self.paths.iter().any(|p| path.starts_with(p) || p.starts_with(path)),
        }
    }
}

/// What each site's sides read, following outputs to the rules that write them (their
/// guards and values) and bindings to their `let`; each output's reads are worked
/// out once.
#[derive(Default)]
pub struct Dependencies {
    outputs: std::collections::HashMap<usize, Reads>,
}

impl Dependencies {
    pub fn of_site(&mut self, program: &Program, site: &Site<'_>) -> Reads {
        let mut out = Reads::default();
        self.walk(program, site.rule, site.lhs, &mut out);
        self.walk(program, site.rule, site.rhs, &mut out);
        out
    }

    fn walk(&mut self, program: &Program, rule: usize, e: &Expr, out: &mut Reads) {
        match &e.kind {
            ExprKind::AsOf | ExprKind::Dated(_) => out.as_of = true,
            ExprKind::Input { path, .. } => out.add(&Reads { as_of: false, paths: vec![path.clone()] }),
            ExprKind::Output(o) => {
                let reads = self.output(program, *o);
                out.add(&reads);
            }
            ExprKind::Local(slot) => {
                let value = program.rules.get(rule).and_then(|r| {
                    r.body.iter().find_map(|s| match s {
                        crate::program::Stmt::Let { slot: s, value, .. } if s == slot => Some(value),
                        _ => None,
                    })
                });
                // A loop's variable has no `let`: its list is read where the loop is.
                if let Some(v) = value {
                    self.walk(program, rule, v, out);
                }
            }
            _ => {
                for child in e.children() {
                    self.walk(program, rule, child, out);
                }
            }
        }
    }

    fn output(&mut self, program: &Program, o: usize) -> Reads {
        if let Some(r) = self.outputs.get(&o) {
            return r.clone();
        }
        // Outputs are ordered without cycles; the entry stops a walk that would loop.
        self.outputs.insert(o, Reads::default());
        let mut reads = Reads::default();
        for &w in program.outputs.get(o).map(|d| d.writers.as_slice()).unwrap_or_default() {
            let Some(rule) = program.rules.get(w) else { continue };
            if let Some(g) = &rule.guard {
                self.walk(program, w, g, &mut reads);
            }
            for stmt in &rule.body {
                if let crate::program::Stmt::Output { output, value, condition } = stmt {
                    if *output == o {
                        self.walk(program, w, value, &mut reads);
                        if let Some(c) = condition {
                            self.walk(program, w, c, &mut reads);
                        }
                    }
                }
            }
            if rule.in_force.is_some() {
                reads.as_of = true;
            }
        }
        self.outputs.insert(o, reads.clone());
        reads
    }
}
