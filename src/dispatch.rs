//! Which rules can apply to a scenario, known before any guard runs. Most guards
//! start by testing one enumeration field (`order.kind == retail`, `... in
//! [a, b]`); a rule whose guard starts so is listed only under the values it
//! accepts, and plain evaluation runs only the rules listed under the scenario's
//! value. A guard is read only where its first test decides alone: when that test
//! fails, evaluation stops there without reading anything else, so skipping the
//! rule gives the same outcome, errors included.

use crate::program::{Dispatch, Expr, ExprKind, Op, Program};
use crate::types::Type;
use crate::value::Value;
use std::collections::BTreeSet;

/// The index over the field most guards start by testing, when one does.
pub fn index(program: &Program) -> Option<Dispatch> {
    let mut counts: Vec<(Box<[usize]>, usize)> = Vec::new();
    for rule in &program.rules {
        if let Some((path, _)) = rule.guard.as_ref().and_then(accepts) {
            match counts.iter_mut().find(|(p, _)| *p == path) {
                Some((_, n)) => *n += 1,
                None => counts.push((path, 1)),
            }
        }
    }
    let (path, _) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    let values = enum_size(program, &path)?;
    let mut rules = vec![Vec::new(); values];
    for (index, rule) in program.rules.iter().enumerate() {
        let accepted = rule.guard.as_ref().and_then(accepts).filter(|(p, _)| *p == path).map(|(_, v)| v);
        for (value, list) in rules.iter_mut().enumerate() {
            if accepted.as_ref().is_none_or(|set| set.contains(&value)) {
                list.push(index);
            }
        }
    }
    Some(Dispatch { path, rules })
}

/// The field a guard's first test reads and the values it accepts.
fn accepts(guard: &Expr) -> Option<(Box<[usize]>, BTreeSet<usize>)> {
    let ExprKind::Binary { op, lhs, rhs } = &guard.kind else {
        return None;
    };
    match op {
        // `a and b`: when `a` fails, `b` is not evaluated.
        Op::And => accepts(lhs),
        // `a or b`: both fail without reading more only when both are tests of one field.
        Op::Or => {
            let (pa, mut va) = accepts(lhs)?;
            let (pb, vb) = accepts(rhs)?;
            (pa == pb).then(|| {
                va.extend(vb);
                (pa, va)
            })
        }
        Op::Eq => match (&lhs.kind, &rhs.kind) {
            (ExprKind::Input { path, .. }, ExprKind::Const(Value::Enum(v))) => {
                Some((path.clone(), BTreeSet::from([*v as usize])))
            }
            _ => None,
        },
        Op::In => match (&lhs.kind, &rhs.kind) {
            (ExprKind::Input { path, .. }, ExprKind::Const(Value::List(items))) => {
                let values: Option<BTreeSet<usize>> =
                    items.iter().map(|i| if let Value::Enum(v) = i { Some(*v as usize) } else { None }).collect();
                Some((path.clone(), values?))
            }
            _ => None,
        },
        _ => None,
    }
}

/// How many values the enumeration of the field at `path` has.
fn enum_size(program: &Program, path: &[usize]) -> Option<usize> {
    let schema = &program.schema;
    let (first, rest) = path.split_first()?;
    let mut ty = schema.record(schema.input)?.fields.get(*first)?.ty.clone();
    for i in rest {
        let Type::Record(id) = ty else { return None };
        ty = schema.record(id)?.fields.get(*i)?.ty.clone();
    }
    match ty {
        Type::Enum(id) => schema.enums.get(id).map(|e| e.variants.len()),
        _ => None,
    }
}
