//! Evaluation order: a rule runs after every rule whose outputs it reads; otherwise
//! rules keep their declaration order. Cycles are refused with each step located.

use super::{CheckError, Checker};
use crate::ast::{self, Expr, ExprKind, Span, Stmt};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

/// The outputs of other rules that `rule` reads, with the span of each read.
fn reads(c: &Checker<'_>, rule: &ast::Rule) -> Vec<(usize, Span)> {
    let own: HashSet<&str> = rule
        .body
        .iter()
        .filter_map(|s| if let Stmt::Output { name, .. } = s { Some(name.name.as_str()) } else { None })
        .collect();
    let mut found = Vec::new();
    let mut bound: Vec<String> = Vec::new();
    for e in rule.expressions() {
        walk(e, &mut bound, &mut |name, span| {
            if !own.contains(name) {
                if let Some(&o) = c.output_index.get(name) {
                    found.push((o, span));
                }
            }
        });
    }
    found
}

/// Calls `f` for the first segment of every path not bound by a loop variable.
/// The AST's depth is bounded by the parser, so recursion is safe here.
fn walk(e: &Expr, bound: &mut Vec<String>, f: &mut dyn FnMut(&str, Span)) {
    match &e.kind {
        ExprKind::Path(segs) => {
            if let Some(first) = segs.first() {
                if !bound.contains(&first.name) {
                    f(&first.name, e.span);
                }
            }
        }
        ExprKind::Quantifier { var, list, body, .. } => {
            walk(list, bound, f);
            bound.push(var.name.clone());
            walk(body, bound, f);
            bound.pop();
        }
        ExprKind::Comprehension { element, clauses, filter } => {
            for (var, list) in clauses {
                walk(list, bound, f);
                bound.push(var.name.clone());
            }
            walk(element, bound, f);
            if let Some(filter) = filter {
                walk(filter, bound, f);
            }
            for _ in clauses {
                bound.pop();
            }
        }
        _ => e.children().into_iter().for_each(|child| walk(child, bound, f)),
    }
}

/// Rule indices in evaluation order. On a cycle, reports it and returns the
/// declaration order so that the rules are still checked.
pub(super) fn evaluation_order(c: &mut Checker<'_>, rules: &[(usize, &ast::Rule)]) -> Vec<usize> {
    let n = rules.len();
    // edges[w] = rules that read an output of rule w, with the read's span.
    let mut edges: Vec<Vec<(usize, usize, Span)>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (r, (_, rule)) in rules.iter().enumerate() {
        for (o, span) in reads(c, rule) {
            for w in c.outputs.get(o).map(|d| d.writers.clone()).unwrap_or_default() {
                if w != r {
                    if let Some(e) = edges.get_mut(w) {
                        e.push((r, o, span));
                    }
                    if let Some(d) = indegree.get_mut(r) {
                        *d += 1;
                    }
                }
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..n).filter(|&i| indegree.get(i) == Some(&0)).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(w)) = ready.pop() {
        order.push(w);
        for &(r, _, _) in edges.get(w).into_iter().flatten() {
            if let Some(d) = indegree.get_mut(r) {
                *d -= 1;
                if *d == 0 {
                    ready.push(Reverse(r));
                }
            }
        }
    }
    if order.len() == n {
        return order;
    }
    report_cycle(c, rules, &edges, &indegree);
    (0..n).collect()
}

fn report_cycle(
    c: &mut Checker<'_>,
    rules: &[(usize, &ast::Rule)],
    edges: &[Vec<(usize, usize, Span)>],
    indegree: &[usize],
) {
    // Walk backwards from a rule left in the cycle until a rule repeats.
    let Some(start) = indegree.iter().position(|&d| d > 0) else {
        return;
    };
    let mut path: Vec<(usize, usize, Span)> = Vec::new(); // (reader, output, span)
    let mut current = start;
    let mut visited = vec![false; rules.len()];
    while let Some(v) = visited.get_mut(current) {
        if *v {
            break;
        }
        *v = true;
        let writer = edges.iter().enumerate().find_map(|(w, es)| {
            es.iter()
                .find(|(r, _, _)| *r == current)
                .filter(|_| indegree.get(w).is_some_and(|&d| d > 0))
                .map(|e| (w, *e))
        });
        let Some((w, e)) = writer else { return };
        path.push(e);
        current = w;
    }
    let cycle_start = path.iter().position(|(r, _, _)| *r == current).unwrap_or(0);
    let cycle: Vec<_> = path.get(cycle_start..).unwrap_or(&[]).to_vec();
    let name = |i: usize| rules.get(i).map(|(_, r)| r.id.name.clone()).unwrap_or_default();
    let mut ids: Vec<String> = cycle.iter().rev().map(|(r, _, _)| name(*r)).collect();
    if let Some(first) = ids.first().cloned() {
        ids.push(first);
    }
    let out_name = |o: usize| c.outputs.get(o).map(|d| d.name.clone()).unwrap_or_default();
    let Some(&(r0, o0, s0)) = cycle.first() else {
        return;
    };
    let related = cycle
        .iter()
        .skip(1)
        .map(|&(r, o, s)| {
            let file = rules.get(r).map_or(0, |(f, _)| *f);
            c.note(file, s, format!("`{}` reads `{}`", name(r), out_name(o)), "reads it here")
        })
        .collect();
    let file = rules.get(r0).map_or(0, |(f, _)| *f);
    let e = CheckError::Cycle {
        cycle: ids.join(" -> "),
        src: c.src_of(file),
        span: s0.into(),
        output: out_name(o0),
        related,
    };
    c.push(e);
}
