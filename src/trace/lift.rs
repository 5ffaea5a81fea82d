//! What would lift a denial: from the values a condition took, the changes to the
//! scenario under which it would no longer hold. `a and b` lifts when either part
//! does; `a or b` only when every part that held stops holding; a comparison lifts
//! when its subject (the side the scenario gives) crosses the other side's value.

use super::Shown;
use crate::program::{Expr, ExprKind, Op};
use crate::types::Type;
use crate::value::Value;
use std::collections::HashMap;

/// At most this many alternatives, each of at most [`MAX_CHANGES`] changes, are kept:
/// a reader wants the few simplest ways out, not every combination.
const MAX_ALTERNATIVES: usize = 6;
const MAX_CHANGES: usize = 4;
/// Conditions nest at most this deep in the analysis; deeper parts count as a whole.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    In,
    NotIn,
    Present,
    Absent,
    Holds,
    Fails,
}

impl Relation {
    fn negate(self) -> Relation {
        match self {
            Relation::Lt => Relation::Ge,
            Relation::Le => Relation::Gt,
            Relation::Gt => Relation::Le,
            Relation::Ge => Relation::Lt,
            Relation::Eq => Relation::Ne,
            Relation::Ne => Relation::Eq,
            Relation::In => Relation::NotIn,
            Relation::NotIn => Relation::In,
            Relation::Present => Relation::Absent,
            Relation::Absent => Relation::Present,
            Relation::Holds => Relation::Fails,
            Relation::Fails => Relation::Holds,
        }
    }

    /// The same relation seen from the other side: `a < b` is `b > a`.
    fn flip(self) -> Relation {
        match self {
            Relation::Lt => Relation::Gt,
            Relation::Le => Relation::Ge,
            Relation::Gt => Relation::Lt,
            Relation::Ge => Relation::Le,
            other => other,
        }
    }
}

/// One change: `subject` (an expression of the rule text) must stand in `relation`
/// to `target` (absent for presence, holds and fails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub subject: crate::ast::Span,
    pub relation: Relation,
    pub target: Option<Shown>,
    /// The expression the target was computed by, when it is not a literal.
    pub target_from: Option<crate::ast::Span>,
}

type Values = HashMap<*const Expr, Value>;
type Ways = Vec<Vec<Change>>;
/// The `let` bindings in scope, by slot: the bound expression and its values.
pub type Lets<'a> = HashMap<usize, (&'a Expr, &'a Values)>;

fn value_of<'v>(e: &Expr, values: &'v Values) -> Option<&'v Value> {
    values.get(&(e.unfolded() as *const Expr))
}

/// The ways `condition`, which held, would not hold.
pub fn lift(condition: &Expr, values: &Values, lets: &Lets) -> Ways {
    let mut ways = make(condition, false, values, lets, 0);
    ways.retain(|w| !w.is_empty() && w.len() <= MAX_CHANGES);
    ways.dedup();
    ways.truncate(MAX_ALTERNATIVES);
    ways
}

/// The ways `e` would evaluate to `want`. An expression that was never evaluated
/// (after a short circuit) is asked to hold or fail as a whole.
fn make(e: &Expr, want: bool, values: &Values, lets: &Lets, depth: usize) -> Ways {
    // A trace saw the steps of what was folded: it is lifted as written.
    let e = e.unfolded();
    // A bound name is read through to what it was bound to: `waived` lifts when
    // the condition it names does. Bindings only refer to earlier ones; the depth
    // bound is a guard all the same.
    if let ExprKind::Local(slot) = e.kind {
        if let Some((bound, bound_values)) = lets.get(&slot).filter(|_| depth < MAX_DEPTH) {
            return make(bound, want, bound_values, lets, depth + 1);
        }
    }
    let Some(Value::Bool(now)) = value_of(e, values) else {
        if !depends_on_scenario(e) {
            return Vec::new();
        }
        // Not evaluated: a presence test still reads as one; anything else as a whole.
        let presence = matches!(e.kind, ExprKind::Presence { .. }).then(|| atom(e, want, values)).flatten();
        return vec![vec![presence.unwrap_or_else(|| whole(e, want))]];
    };
    if *now == want {
        return vec![Vec::new()];
    }
    if depth >= MAX_DEPTH {
        return vec![vec![whole(e, want)]];
    }
    match &e.kind {
        ExprKind::Not(inner) => make(inner, !want, values, lets, depth + 1),
        ExprKind::Binary { op: Op::And, lhs, rhs } if want => both(lhs, rhs, true, values, lets, depth),
        ExprKind::Binary { op: Op::Or, lhs, rhs } if !want => both(lhs, rhs, false, values, lets, depth),
        ExprKind::Binary { op: Op::And, lhs, rhs } | ExprKind::Binary { op: Op::Or, lhs, rhs } => {
            // One part changing is enough: either side, where it can change.
            let mut ways = make(lhs, want, values, lets, depth + 1);
            ways.extend(make(rhs, want, values, lets, depth + 1));
            ways.retain(|w| !w.is_empty());
            ways
        }
        _ if !depends_on_scenario(e) => Vec::new(),
        _ => atom(e, want, values).map_or_else(|| vec![vec![whole(e, want)]], |c| vec![vec![c]]),
    }
}

/// Both parts must come out `want`: every way of the one combined with every way of the other.
fn both(lhs: &Expr, rhs: &Expr, want: bool, values: &Values, lets: &Lets, depth: usize) -> Ways {
    let left = make(lhs, want, values, lets, depth + 1);
    let right = make(rhs, want, values, lets, depth + 1);
    let mut out = Vec::new();
    for l in &left {
        for r in &right {
            if out.len() >= MAX_ALTERNATIVES {
                return out;
            }
            let mut w = l.clone();
            w.extend(r.iter().cloned());
            out.push(w);
        }
    }
    out
}

fn whole(e: &Expr, want: bool) -> Change {
    let relation = if want { Relation::Holds } else { Relation::Fails };
    Change { subject: e.span, relation, target: None, target_from: None }
}

/// A comparison, membership or presence test made to come out `want`.
fn atom(e: &Expr, want: bool, values: &Values) -> Option<Change> {
    let e = e.unfolded();
    let adjust = |r: Relation| if want { r } else { r.negate() };
    match &e.kind {
        ExprKind::Presence { operand, present } => {
            let r = if *present { Relation::Present } else { Relation::Absent };
            Some(Change { subject: operand.span, relation: adjust(r), target: None, target_from: None })
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let relation = match op {
                Op::Lt => Relation::Lt,
                Op::Le => Relation::Le,
                Op::Gt => Relation::Gt,
                Op::Ge => Relation::Ge,
                Op::Eq => Relation::Eq,
                Op::Ne => Relation::Ne,
                Op::In => Relation::In,
                Op::NotIn => Relation::NotIn,
                _ => return None,
            };
            let membership = matches!(op, Op::In | Op::NotIn);
            // The subject is the side the scenario gives most directly.
            let (lhs, rhs) = (lhs.unfolded(), rhs.unfolded());
            let (subject, other, relation) = if !membership && directness(rhs) > directness(lhs) {
                (rhs, lhs, relation.flip())
            } else {
                (lhs, rhs, relation)
            };
            let target = value_of(other, values)?.clone();
            let literal = matches!(other.kind, ExprKind::Const(_) | ExprKind::List(_));
            Some(Change {
                subject: subject.span,
                relation: adjust(relation),
                target: Some(Shown { span: other.span, value: target, ty: other.ty.clone() }),
                target_from: (!literal).then_some(other.span),
            })
        }
        _ if e.ty == Type::Bool => {
            let value = Value::Bool(want);
            let target = Shown { span: e.span, value, ty: Type::Bool };
            Some(Change { subject: e.span, relation: Relation::Eq, target: Some(target), target_from: None })
        }
        _ => None,
    }
}

/// How directly an expression is given by the scenario: its input and date first,
/// then what rules computed from them, constants last.
fn directness(e: &Expr) -> u8 {
    let e = e.unfolded();
    match &e.kind {
        ExprKind::Input { .. } | ExprKind::AsOf => 3,
        ExprKind::Field { .. } => 2,
        ExprKind::Const(_) | ExprKind::List(_) if !depends_on_scenario(e) => 0,
        _ => 1,
    }
}

/// Whether the value of `e` can change with the scenario (its input, date or what
/// rules computed from them); parameters and literals cannot.
fn depends_on_scenario(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(_) => false,
        // Chosen by the day, as `as_of` is.
        ExprKind::Dated(_) => true,
        // Read as written, as the trace saw it.
        ExprKind::Folded { original, .. } => depends_on_scenario(original),
        ExprKind::Input { .. } | ExprKind::AsOf | ExprKind::Output(_) | ExprKind::Local(_) => true,
        ExprKind::Field { base, .. } => depends_on_scenario(base),
        ExprKind::Not(a) | ExprKind::Neg(a) => depends_on_scenario(a),
        ExprKind::Presence { operand, .. } => depends_on_scenario(operand),
        ExprKind::Matches { subject, .. } => depends_on_scenario(subject),
        ExprKind::Binary { lhs, rhs, .. } => depends_on_scenario(lhs) || depends_on_scenario(rhs),
        ExprKind::If { cond, then, otherwise } => [cond, then, otherwise].iter().any(|x| depends_on_scenario(x)),
        ExprKind::Quantifier { list, body, .. } => depends_on_scenario(list) || depends_on_scenario(body),
        ExprKind::Comprehension { element, clauses, filter } => {
            depends_on_scenario(element)
                || clauses.iter().any(|(_, l)| depends_on_scenario(l))
                || filter.as_deref().is_some_and(depends_on_scenario)
        }
        ExprKind::List(items) | ExprKind::Call { args: items, .. } => items.iter().any(depends_on_scenario),
    }
}
