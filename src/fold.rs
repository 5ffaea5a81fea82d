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
    // Each loop restores what it bound: one table serves every expression.
    let mut bound = vec![OUTSIDE; program.frame_size];
    let bound = &mut bound;
    for rule in &mut rules {
        if let Some(guard) = &mut rule.guard {
            fold_root(guard, bound, program);
        }
        for stmt in &mut rule.body {
            match stmt {
                Stmt::Let { value, .. } => fold_root(value, bound, program),
                Stmt::Output { value, condition, .. } => {
                    fold_root(value, bound, program);
                    if let Some(c) = condition {
                        fold_root(c, bound, program);
                    }
                }
                Stmt::Effect { message, condition, .. } => {
                    for part in message {
                        if let crate::program::MessagePart::Expr(e, _) = part {
                            fold_root(e, bound, program);
                        }
                    }
                    if let Some(c) = condition {
                        fold_root(c, bound, program);
                    }
                }
            }
        }
    }
    program.rules = rules;
}

fn fold_root(e: &mut Expr, bound: &mut [usize], program: &Program) {
    let reads = visit(e, 0, bound, program);
    if reads.closed_at(0) {
        fold_here(e, reads.slots, program);
    }
}

/// The level of a slot not bound by a loop around the expression: a `let`'s.
const OUTSIDE: usize = 0;

/// What an expression reads that can change from one evaluation to the next.
/// Levels count the loops (quantifiers, comprehensions) around an expression;
/// a loop's variable is bound one level below the loop.
#[derive(Clone, Copy)]
struct Reads {
    /// The scenario's input or date, or an output.
    scenario: bool,
    /// The outermost level at which a variable it reads is bound.
    outermost: usize,
    /// The frame slots its own loops need: one past the highest they bind.
    slots: usize,
}

impl Reads {
    const NOTHING: Reads = Reads { scenario: false, outermost: usize::MAX, slots: 0 };

    /// Whether an expression at `level` reads only what is bound inside it.
    fn closed_at(self, level: usize) -> bool {
        !self.scenario && self.outermost > level
    }

    fn and(self, other: Reads) -> Reads {
        Reads {
            scenario: self.scenario || other.scenario,
            outermost: self.outermost.min(other.outermost),
            slots: self.slots.max(other.slots),
        }
    }
}

/// What `e`, at `level`, reads; folds each closed part of an `e` that is not
/// closed itself. A closed `e` is left to its caller, which folds it whole or as
/// part of more. `bound` gives the level each frame slot is bound at.
fn visit(e: &mut Expr, level: usize, bound: &mut [usize], program: &Program) -> Reads {
    crate::stack::guarded(|| visit_inner(e, level, bound, program))
}

fn visit_inner(e: &mut Expr, level: usize, bound: &mut [usize], program: &Program) -> Reads {
    let mut children: Vec<Visited<'_>> = Vec::new();
    let mut own = Reads::NOTHING;
    match &mut e.kind {
        ExprKind::Const(_) | ExprKind::Folded { .. } => {}
        // A dated parameter's value is chosen by the day.
        ExprKind::AsOf | ExprKind::Input { .. } | ExprKind::Output(_) | ExprKind::Dated(_) => own.scenario = true,
        ExprKind::Local(slot) => own.outermost = bound.get(*slot).copied().unwrap_or(OUTSIDE),
        ExprKind::Quantifier { slot, list, body, .. } => {
            own.slots = *slot + 1;
            children.push(visit_child(list, level, bound, program));
            let before = bind(bound, *slot, level + 1);
            children.push(visit_child(body, level + 1, bound, program));
            bind(bound, *slot, before);
        }
        ExprKind::Comprehension { element, clauses, filter } => {
            // A clause's list sees the variables of the clauses before it; the
            // element and the filter see them all.
            let inner = level + clauses.len();
            let mut before = Vec::with_capacity(clauses.len());
            for (i, (slot, list)) in clauses.iter_mut().enumerate() {
                own.slots = own.slots.max(*slot + 1);
                children.push(visit_child(list, level + i, bound, program));
                before.push((*slot, bind(bound, *slot, level + i + 1)));
            }
            children.push(visit_child(element, inner, bound, program));
            if let Some(f) = filter {
                children.push(visit_child(f, inner, bound, program));
            }
            for (slot, was) in before.into_iter().rev() {
                bind(bound, slot, was);
            }
        }
        ExprKind::Field { base: a, .. }
        | ExprKind::Not(a)
        | ExprKind::Neg(a)
        | ExprKind::Presence { operand: a, .. }
        | ExprKind::Matches { subject: a, .. } => children.push(visit_child(a, level, bound, program)),
        ExprKind::Binary { lhs, rhs, .. } => {
            children.push(visit_child(lhs, level, bound, program));
            children.push(visit_child(rhs, level, bound, program));
        }
        ExprKind::If { cond, then, otherwise } => {
            for x in [cond, then, otherwise] {
                children.push(visit_child(x, level, bound, program));
            }
        }
        ExprKind::List(items) => {
            children.extend(items.iter_mut().map(|x| visit_child(x, level, bound, program)));
        }
        ExprKind::Call { builtin, args, names } => {
            if matches!(builtin, Builtin::KnownAs | Builtin::Closest) {
                // Children first: the list is folded when it can be.
                children.extend(args.iter_mut().map(|x| visit_child(x, level, bound, program)));
                let reads = settle(children, level, program);
                *names = args.get(1).and_then(name_index);
                return reads;
            }
            children.extend(args.iter_mut().map(|x| visit_child(x, level, bound, program)));
        }
    }
    own.and(settle(children, level, program))
}

/// A child visited before its parent's reads are known, with its level.
type Visited<'e> = (&'e mut Expr, Reads, usize);

fn visit_child<'e>(e: &'e mut Expr, level: usize, bound: &mut [usize], program: &Program) -> Visited<'e> {
    let reads = visit(e, level, bound, program);
    (e, reads, level)
}

/// Binds `slot` at `level`, returning the level it had.
fn bind(bound: &mut [usize], slot: usize, level: usize) -> usize {
    bound.get_mut(slot).map_or(OUTSIDE, |b| std::mem::replace(b, level))
}

/// The reads of a parent at `level` from those of its children. When the parent
/// is closed, its children are folded with it, later; otherwise each closed child
/// is folded now.
fn settle(children: Vec<Visited<'_>>, level: usize, program: &Program) -> Reads {
    let reads = children.iter().fold(Reads::NOTHING, |r, (_, c, _)| r.and(*c));
    if !reads.closed_at(level) {
        for (child, r, child_level) in children {
            if r.closed_at(child_level) {
                fold_here(child, r.slots, program);
            }
        }
    }
    reads
}

/// Replaces a closed expression by its value, when it has one and is more than a
/// constant already. Its loops bind slots below `slots` only: its frame is that
/// small (often empty), not the program's.
fn fold_here(e: &mut Expr, slots: usize, program: &Program) {
    if matches!(e.kind, ExprKind::Const(_) | ExprKind::Folded { .. }) {
        return;
    }
    let Some(value) = eval::constant(program, e, slots) else {
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
