//! Whether two rules can never apply to the same scenario: their guards require
//! different values of the same field (`request.action == a` and `request.action in
//! [b, c]`). Only then may two rules write one output.

use super::Checker;
use crate::ast::{BinaryOp, Expr, ExprKind};

/// `path == value` and `path in [values]` conjuncts of a guard.
fn constraints(c: &Checker<'_>, guard: &Expr, out: &mut Vec<(String, Vec<String>)>) {
    let ExprKind::Binary { op, lhs, rhs, .. } = &guard.kind else {
        return;
    };
    match op {
        BinaryOp::And => {
            constraints(c, lhs, out);
            constraints(c, rhs, out);
        }
        BinaryOp::Eq => {
            if let (Some(p), Some(v)) = (path_text(lhs), c.constant(rhs)) {
                out.push((p, vec![v]));
            } else if let (Some(p), Some(v)) = (path_text(rhs), c.constant(lhs)) {
                out.push((p, vec![v]));
            }
        }
        BinaryOp::In => {
            if let (Some(p), ExprKind::List(items)) = (path_text(lhs), &rhs.kind) {
                let values: Option<Vec<String>> = items.iter().map(|i| c.constant(i)).collect();
                if let Some(values) = values {
                    out.push((p, values));
                }
            }
        }
        _ => {}
    }
}

fn path_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Path(segs) if segs.len() > 1 => {
            Some(segs.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("."))
        }
        _ => None,
    }
}

impl Checker<'_> {
    /// A literal value: a string, or a bare name that names nothing (an enumeration value).
    fn constant(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Str(s) => Some(s.clone()),
            ExprKind::Path(segs) => match segs.as_slice() {
                [only]
                    if !self.output_index.contains_key(&only.name)
                        && !self.input_parts().any(|p| p.name == only.name) =>
                {
                    Some(only.name.clone())
                }
                _ => None,
            },
            _ => None,
        }
    }

    pub(crate) fn exclusive(&self, a: Option<&Expr>, b: Option<&Expr>) -> bool {
        let (Some(a), Some(b)) = (a, b) else {
            return false;
        };
        let (mut ca, mut cb) = (Vec::new(), Vec::new());
        constraints(self, a, &mut ca);
        constraints(self, b, &mut cb);
        ca.iter().any(|(pa, va)| cb.iter().any(|(pb, vb)| pa == pb && !va.iter().any(|v| vb.contains(v))))
    }
}
