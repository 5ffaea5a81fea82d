//! Work done once when a pack is compiled instead of for every scenario: a
//! subexpression that reads neither the scenario (its input, its date, what rules
//! computed) nor a binding made outside it is evaluated here and kept as a value
//! (`[fold(n) for n in params.names]`, `days(params.window) + days(1)`), and a
//! `known_as` or `closest` over such a list gets the list's names folded once.
//!
//! Folding never changes an outcome: what fails to evaluate here (a division by
//! zero among constants) is left as written, to fail where it did; an observer that
//! sees every value evaluates the original (`ExprKind::Folded`).

use crate::eval;
use crate::program::{Builtin, Expr, ExprKind, Program, Stmt};
use crate::text::NameIndex;
use crate::value::Value;

/// Folds the closed subexpressions of every rule of `program`.
pub fn constants(program: &mut Program) {
    let mut rules = std::mem::take(&mut program.rules);
    for rule in &mut rules {
        if let Some(guard) = &mut rule.guard {
            fold_root(guard, program);
        }
        for stmt in &mut rule.body {
            match stmt {
                Stmt::Let { value, .. } => fold_root(value, program),
                Stmt::Output { value, condition, .. } => {
                    fold_root(value, program);
                    if let Some(c) = condition {
                        fold_root(c, program);
                    }
                }
                Stmt::Effect { message, condition, .. } => {
                    for part in message {
                        if let crate::program::MessagePart::Expr(e, _) = part {
                            fold_root(e, program);
                        }
                    }
                    if let Some(c) = condition {
                        fold_root(c, program);
                    }
                }
            }
        }
    }
    program.rules = rules;
}

fn fold_root(e: &mut Expr, program: &Program) {
    if visit(e, program).closed() {
        fold_here(e, program);
    }
}

/// What an expression reads that can change from one evaluation to the next.
#[derive(Default)]
struct Reads {
    /// The scenario's input or date, or an output.
    scenario: bool,
    /// Frame slots read and not bound within the expression.
    locals: Vec<usize>,
}

impl Reads {
    fn closed(&self) -> bool {
        !self.scenario && self.locals.is_empty()
    }

    fn add(&mut self, other: Reads) {
        self.scenario |= other.scenario;
        for l in other.locals {
            if !self.locals.contains(&l) {
                self.locals.push(l);
            }
        }
    }

    fn bind(&mut self, slot: usize) {
        self.locals.retain(|l| *l != slot);
    }
}

/// What `e` reads; folds, within an `e` that is not closed, each closed part.
/// A closed `e` is left to its caller, which folds it whole or as part of more.
fn visit(e: &mut Expr, program: &Program) -> Reads {
    crate::stack::guarded(|| visit_inner(e, program))
}

fn visit_inner(e: &mut Expr, program: &Program) -> Reads {
    let mut reads = Reads::default();
    match &mut e.kind {
        ExprKind::Const(_) | ExprKind::Folded { .. } => {}
        ExprKind::AsOf | ExprKind::Input { .. } | ExprKind::Output(_) => reads.scenario = true,
        ExprKind::Local(slot) => reads.locals.push(*slot),
        ExprKind::Quantifier { slot, list, body, .. } => {
            let l = visit(list, program);
            let mut b = visit(body, program);
            b.bind(*slot);
            reads = settle(&mut [(list.as_mut(), l), (body.as_mut(), b)], program);
        }
        ExprKind::Comprehension { element, clauses, filter } => {
            // A clause's list sees the variables of the clauses before it; the
            // element and the filter see them all.
            let mut visited: Vec<(&mut Expr, Reads)> = Vec::new();
            let slots: Vec<usize> = clauses.iter().map(|(slot, _)| *slot).collect();
            for (i, (_, list)) in clauses.iter_mut().enumerate() {
                let mut r = visit(list, program);
                slots.iter().take(i).for_each(|s| r.bind(*s));
                visited.push((list, r));
            }
            let mut r = visit(element, program);
            slots.iter().for_each(|s| r.bind(*s));
            visited.push((element.as_mut(), r));
            if let Some(f) = filter {
                let mut r = visit(f, program);
                slots.iter().for_each(|s| r.bind(*s));
                visited.push((f.as_mut(), r));
            }
            reads = settle(&mut visited, program);
        }
        ExprKind::Field { base: a, .. }
        | ExprKind::Not(a)
        | ExprKind::Neg(a)
        | ExprKind::Presence { operand: a, .. }
        | ExprKind::Matches { subject: a, .. } => {
            let r = visit(a, program);
            reads = settle(&mut [(a.as_mut(), r)], program);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            let (l, r) = (visit(lhs, program), visit(rhs, program));
            reads = settle(&mut [(lhs.as_mut(), l), (rhs.as_mut(), r)], program);
        }
        ExprKind::If { cond, then, otherwise } => {
            let (c, t, o) = (visit(cond, program), visit(then, program), visit(otherwise, program));
            reads = settle(&mut [(cond.as_mut(), c), (then.as_mut(), t), (otherwise.as_mut(), o)], program);
        }
        ExprKind::List(items) => {
            let mut visited: Vec<(&mut Expr, Reads)> = Vec::with_capacity(items.len());
            for item in items.iter_mut() {
                let r = visit(item, program);
                visited.push((item, r));
            }
            reads = settle(&mut visited, program);
        }
        ExprKind::Call { builtin, args, names } => {
            let mut visited: Vec<(&mut Expr, Reads)> = Vec::with_capacity(args.len());
            for arg in args.iter_mut() {
                let r = visit(arg, program);
                visited.push((arg, r));
            }
            reads = settle(&mut visited, program);
            if matches!(builtin, Builtin::KnownAs | Builtin::Closest) {
                *names = args.get(1).and_then(name_index);
            }
        }
    }
    reads
}

/// A child visited before its parent's reads are known: see [`settle`].
type Visited<'e> = (&'e mut Expr, Reads);

/// The reads of a parent from those of its children. When the parent is closed,
/// its children are folded with it, later; otherwise each closed child is folded now.
fn settle(children: &mut [Visited<'_>], program: &Program) -> Reads {
    let mut reads = Reads::default();
    let mut closed = Vec::with_capacity(children.len());
    for (_, r) in children.iter_mut() {
        closed.push(r.closed());
        reads.add(std::mem::take(r));
    }
    if !reads.closed() {
        for ((child, _), closed) in children.iter_mut().zip(closed) {
            if closed {
                fold_here(child, program);
            }
        }
    }
    reads
}

/// Replaces a closed expression by its value, when it has one and is more than a
/// constant already.
fn fold_here(e: &mut Expr, program: &Program) {
    if matches!(e.kind, ExprKind::Const(_) | ExprKind::Folded { .. }) {
        return;
    }
    let Some(value) = eval::constant(program, e) else {
        return;
    };
    let placeholder = Expr { kind: ExprKind::Const(Value::Bool(false)), span: e.span, ty: e.ty.clone() };
    let original = Box::new(std::mem::replace(e, placeholder));
    e.kind = ExprKind::Folded { value, original };
}

/// The names of a list of texts known before any scenario, folded once.
fn name_index(list: &Expr) -> Option<Box<NameIndex>> {
    let (ExprKind::Const(Value::List(items)) | ExprKind::Folded { value: Value::List(items), .. }) = &list.kind else {
        return None;
    };
    let names = items.iter().map(|v| if let Value::Str(s) = v { Some(s.as_ref()) } else { None });
    let names: Option<Vec<&str>> = names.collect();
    Some(Box::new(NameIndex::new(names?)))
}
