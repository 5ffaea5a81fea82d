//! The trace of one evaluation, for `explain` and failing tests: every rule in
//! evaluation order, whether it applied, each statement taken or held back, and the
//! values of the expressions that decided, with what would lift each denial.
//! Recorded by an [`Observer`], so plain evaluation pays nothing for it.

mod lift;

pub use lift::{Change, Relation};

use crate::ast::{EffectKind, Span};
use crate::eval::Observer;
use crate::program::{Expr, ExprKind, Program, Stmt};
use crate::types::Type;
use crate::value::Value;
use std::collections::{HashMap, HashSet};

/// The value of one expression of the rule text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub span: Span,
    pub value: Value,
    pub ty: Type,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Let,
    Output(usize),
    Effect(EffectKind),
}

/// One statement of an applied rule.
#[derive(Debug, Clone)]
pub struct Step {
    /// Index in the rule's body.
    pub statement: usize,
    pub kind: StepKind,
    /// Whether its condition held (always, for a statement without one).
    pub taken: bool,
    /// The values that decided the condition.
    pub condition: Vec<Shown>,
    /// The values the statement's value or message was computed from.
    pub inputs: Vec<Shown>,
    /// The value of a `let` or an output.
    pub value: Option<Shown>,
    /// For a denial taken: the ways it would not apply, each a set of changes that
    /// together lift it. Empty when nothing the scenario gives can change it.
    pub lifted_by: Vec<Vec<Change>>,
}

#[derive(Debug, Clone)]
pub struct RuleTrace {
    pub rule: usize,
    pub applied: bool,
    /// The values that decided the guard.
    pub guard: Vec<Shown>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// In evaluation order; a rule after an evaluation error is absent.
    pub rules: Vec<RuleTrace>,
}

impl Trace {
    pub fn rule(&self, rule: usize) -> Option<&RuleTrace> {
        self.rules.iter().find(|r| r.rule == rule)
    }
}

/// Records a [`Trace`]; one per program, reset for each scenario with [`Tracer::take`].
pub struct Tracer<'p> {
    program: &'p Program,
    /// The expressions a reader is shown: names, parameters, calls and whole
    /// quantifiers, but nothing inside a loop body, whose values change per item.
    shown: HashSet<*const Expr>,
    /// Values of the decision point being evaluated, shown ones only.
    pending: Vec<Shown>,
    /// Every value of the decision point being evaluated, for the lifting analysis.
    values: HashMap<*const Expr, Value>,
    /// The values of the guard of the rule being evaluated.
    guard_values: HashMap<*const Expr, Value>,
    /// The `let` statements of the rule being evaluated, by slot: the statement's
    /// index and every value its expression took.
    lets: HashMap<usize, (usize, HashMap<*const Expr, Value>)>,
    last: Option<Value>,
    trace: Trace,
}

impl<'p> Tracer<'p> {
    pub fn new(program: &'p Program) -> Self {
        let mut shown = HashSet::new();
        for rule in &program.rules {
            let text = program.sources.get(rule.file).map_or("", |f| &f.text);
            for e in rule.expressions() {
                mark_shown(e, text, &mut shown);
            }
        }
        Tracer {
            program,
            shown,
            pending: Vec::new(),
            values: HashMap::new(),
            guard_values: HashMap::new(),
            lets: HashMap::new(),
            last: None,
            trace: Trace::default(),
        }
    }

    /// The trace recorded since the last call.
    pub fn take(&mut self) -> Trace {
        self.pending.clear();
        self.values.clear();
        self.guard_values.clear();
        self.lets.clear();
        self.last = None;
        std::mem::take(&mut self.trace)
    }

    /// The `let` statements evaluated so far in `rule`: slot to expression and values.
    fn let_scope(&self, rule: usize) -> lift::Lets<'_> {
        let body = self.program.rules.get(rule).map_or(&[][..], |r| &r.body);
        self.lets
            .iter()
            .filter_map(|(slot, (at, values))| match body.get(*at) {
                Some(Stmt::Let { value, .. }) => Some((*slot, (value, values))),
                _ => None,
            })
            .collect()
    }

    fn current(&mut self) -> Option<&mut RuleTrace> {
        self.trace.rules.last_mut()
    }
}

/// Marks the expressions of `e` a reader is shown, skipping loop bodies.
fn mark_shown(e: &Expr, text: &str, shown: &mut HashSet<*const Expr>) {
    // A trace evaluates what was folded as written, and shows it so.
    let e = e.unfolded();
    let named = match &e.kind {
        ExprKind::Input { .. } | ExprKind::Field { .. } | ExprKind::Output(_) | ExprKind::Local(_) => true,
        ExprKind::AsOf | ExprKind::Call { .. } | ExprKind::Quantifier { .. } | ExprKind::Comprehension { .. } => true,
        // Shown as a whole: an absent operand has no value of its own.
        ExprKind::Presence { .. } => true,
        // A parameter is folded into a constant; its text still names it.
        ExprKind::Const(_) | ExprKind::Dated(_) => {
            text.get(e.span.start..e.span.end).is_some_and(|t| t.starts_with("params."))
        }
        _ => false,
    };
    if named {
        shown.insert(e as *const Expr);
    }
    match &e.kind {
        ExprKind::Quantifier { list, .. } => mark_shown(list, text, shown),
        ExprKind::Comprehension { clauses, .. } => {
            if let Some((_, list)) = clauses.first() {
                mark_shown(list, text, shown);
            }
        }
        ExprKind::Not(a) | ExprKind::Neg(a) => mark_shown(a, text, shown),
        ExprKind::Presence { .. } => {}
        ExprKind::Field { base, .. } => mark_shown(base, text, shown),
        ExprKind::Matches { subject, .. } => mark_shown(subject, text, shown),
        ExprKind::Binary { lhs, rhs, .. } => {
            mark_shown(lhs, text, shown);
            mark_shown(rhs, text, shown);
        }
        ExprKind::If { cond, then, otherwise } => {
            for x in [cond, then, otherwise] {
                mark_shown(x, text, shown);
            }
        }
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => {
            items.iter().for_each(|x| mark_shown(x, text, shown));
        }
        ExprKind::Const(_)
        | ExprKind::Dated(_)
        | ExprKind::Folded { .. }
        | ExprKind::AsOf
        | ExprKind::Input { .. }
        | ExprKind::Local(_)
        | ExprKind::Output(_) => {}
    }
}

/// Shown values, without repeating an expression text already shown.
fn distinct(values: Vec<Shown>) -> Vec<Shown> {
    let mut out: Vec<Shown> = Vec::with_capacity(values.len());
    for v in values {
        if !out.iter().any(|o| o.span == v.span) {
            out.push(v);
        }
    }
    out
}

impl Observer for Tracer<'_> {
    const SEES_VALUES: bool = true;

    fn guard(&mut self, rule: usize, applied: bool) {
        let guard = distinct(std::mem::take(&mut self.pending));
        self.guard_values = std::mem::take(&mut self.values);
        self.lets.clear();
        self.trace.rules.push(RuleTrace { rule, applied, guard, steps: Vec::new() });
    }

    fn statement(&mut self, rule: usize, statement: usize, taken: bool) {
        let program = self.program;
        let Some(stmt) = program.rules.get(rule).and_then(|r| r.body.get(statement)) else {
            return;
        };
        let condition = distinct(std::mem::take(&mut self.pending));
        let values = std::mem::take(&mut self.values);
        let (kind, lifted_by) = match stmt {
            Stmt::Output { output, .. } => (StepKind::Output(*output), Vec::new()),
            Stmt::Effect { kind, condition, .. } => {
                let lifted = if *kind == EffectKind::Deny && taken {
                    let lets = self.let_scope(rule);
                    match condition {
                        Some(c) => lift::lift(c, &values, &lets),
                        // An unconditional denial lifts only when the rule does not apply.
                        None => program
                            .rules
                            .get(rule)
                            .and_then(|r| r.guard.as_ref())
                            .map_or_else(Vec::new, |g| lift::lift(g, &self.guard_values, &lets)),
                    }
                } else {
                    Vec::new()
                };
                (StepKind::Effect(*kind), lifted)
            }
            Stmt::Let { .. } => (StepKind::Let, Vec::new()),
        };
        let step = Step { statement, kind, taken, condition, inputs: Vec::new(), value: None, lifted_by };
        if let Some(r) = self.current() {
            r.steps.push(step);
        }
    }

    fn finished(&mut self, rule: usize, statement: usize) {
        let program = self.program;
        let Some(stmt) = program.rules.get(rule).and_then(|r| r.body.get(statement)) else {
            return;
        };
        let mut inputs = distinct(std::mem::take(&mut self.pending));
        let values = std::mem::take(&mut self.values);
        if let Stmt::Let { slot, .. } = stmt {
            self.lets.insert(*slot, (statement, values));
        }
        let last = self.last.take();
        let value = match stmt {
            Stmt::Let { value, .. } | Stmt::Output { value, .. } => {
                last.map(|v| Shown { span: value.span, value: v, ty: value.ty.clone() })
            }
            Stmt::Effect { .. } => None,
        };
        // The value itself is not one of the values it was computed from.
        if let Some(v) = &value {
            inputs.retain(|i| i.span != v.span);
        }
        let Some(r) = self.current() else {
            return;
        };
        if matches!(stmt, Stmt::Let { .. }) {
            let step = Step {
                statement,
                kind: StepKind::Let,
                taken: true,
                condition: Vec::new(),
                inputs,
                value,
                lifted_by: Vec::new(),
            };
            r.steps.push(step);
        } else if let Some(step) = r.steps.last_mut().filter(|s| s.statement == statement) {
            step.inputs = inputs;
            step.value = value;
        }
    }

    fn value(&mut self, expr: &Expr, value: &Value) {
        let key = expr as *const Expr;
        if self.shown.contains(&key) {
            self.pending.push(Shown { span: expr.span, value: value.clone(), ty: expr.ty.clone() });
        }
        self.values.insert(key, value.clone());
        self.last = Some(value.clone());
    }
}
