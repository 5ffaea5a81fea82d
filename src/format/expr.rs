//! Expressions written out: spaced alike, with the parentheses their precedence
//! needs and no others, literals as written.

use super::WIDTH;
use crate::ast::{BinaryOp, Expr, ExprKind, Message, MessagePart, QuantifierKind, UnaryOp};

/// How tightly an expression binds as an operand, as the parser's table says
/// (`src/syntax/lower.rs`): an operand binding less tightly than its operator is
/// put in parentheses.
fn binding(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary { op, .. } => operator(*op),
        ExprKind::Unary { op: UnaryOp::Not, .. } => 3,
        ExprKind::Unary { op: UnaryOp::Neg, .. } => 8,
        ExprKind::Presence { .. } => 9,
        // Its `else` branch would take in what follows it.
        ExprKind::If { .. } => 0,
        _ => 10,
    }
}

fn operator(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::In
        | BinaryOp::NotIn => 4,
        BinaryOp::RangeInclusive | BinaryOp::RangeExclusive => 5,
        BinaryOp::Add | BinaryOp::Sub => 6,
        BinaryOp::Mul | BinaryOp::Div => 7,
    }
}

/// `e` on one line.
pub fn flat(text: &str, e: &Expr) -> String {
    let mut out = String::new();
    write(text, e, &mut out);
    out
}

/// `e` starting at column `column`, broken at its top-level `and` / `or` when it
/// does not fit: each further operand on a line of its own, at `indent`, led by its
/// operator.
pub fn broken(text: &str, e: &Expr, column: usize, indent: &str) -> String {
    let one = flat(text, e);
    let ExprKind::Binary { op: op @ (BinaryOp::And | BinaryOp::Or), .. } = &e.kind else { return one };
    if column + one.len() <= WIDTH {
        return one;
    }
    let mut operands = Vec::new();
    chain(e, *op, &mut operands);
    let mut out = String::new();
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(indent);
            out.push_str(op.symbol());
            out.push(' ');
        }
        operand_of(text, operand, operator(*op), i > 0, &mut out);
    }
    out
}

/// The operands of a left-leaning chain of `op`.
fn chain<'e>(e: &'e Expr, op: BinaryOp, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary { op: o, lhs, rhs, .. } if *o == op => {
            chain(lhs, op, out);
            out.push(rhs);
        }
        _ => out.push(e),
    }
}

/// An operand of an operator binding `strength`: in parentheses when it binds less
/// tightly (or as tightly, on the right of a left-associative operator).
fn operand_of(text: &str, e: &Expr, strength: u8, right: bool, out: &mut String) {
    let b = binding(e);
    written_in(text, e, b < strength || (right && b == strength), out);
}

/// `e`, in parentheses when `wrap`.
fn written_in(text: &str, e: &Expr, wrap: bool, out: &mut String) {
    if wrap {
        out.push('(');
    }
    write(text, e, out);
    if wrap {
        out.push(')');
    }
}

/// The operand of a prefix operator: in parentheses when it binds less tightly, or
/// is itself prefixed (the grammar takes at most four prefixes in a row).
fn prefixed(text: &str, e: &Expr, strength: u8, out: &mut String) {
    written_in(text, e, binding(e) < strength || matches!(e.kind, ExprKind::Unary { .. }), out);
}

/// A branch or condition of `if`, or a part that stands between delimiters: an `if`
/// there is put in parentheses unless it ends the whole.
fn inner(text: &str, e: &Expr, last: bool, out: &mut String) {
    written_in(text, e, matches!(e.kind, ExprKind::If { .. }) && !last, out);
}

fn write(text: &str, e: &Expr, out: &mut String) {
    let written = || text.get(e.span.start..e.span.end).unwrap_or("");
    match &e.kind {
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Number(_) | ExprKind::Date(_) => out.push_str(written()),
        ExprKind::Duration { .. } | ExprKind::Money { .. } => {
            out.push_str(&written().split_whitespace().collect::<Vec<_>>().join(" "));
        }
        ExprKind::Str(s) => out.push_str(&quoted(s, true)),
        ExprKind::Path(segs) => {
            for (i, s) in segs.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(&s.name);
            }
        }
        ExprKind::Unary { op: UnaryOp::Not, operand } => {
            out.push_str("not ");
            prefixed(text, operand, 3, out);
        }
        ExprKind::Unary { op: UnaryOp::Neg, operand } => {
            out.push('-');
            prefixed(text, operand, 8, out);
        }
        ExprKind::Binary { op, lhs, rhs, .. } => {
            let strength = operator(*op);
            operand_of(text, lhs, strength, false, out);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            operand_of(text, rhs, strength, true, out);
        }
        ExprKind::Presence { operand, present } => {
            operand_of(text, operand, 9, false, out);
            out.push_str(if *present { " is present" } else { " is absent" });
        }
        ExprKind::If { cond, then, otherwise } => {
            out.push_str("if ");
            inner(text, cond, false, out);
            out.push_str(" then ");
            inner(text, then, false, out);
            out.push_str(" else ");
            write(text, otherwise, out);
        }
        ExprKind::Quantifier { kind, var, list, body } => {
            out.push_str(match kind {
                QuantifierKind::Any => "any",
                QuantifierKind::All => "all",
                QuantifierKind::Count => "count",
            });
            out.push('(');
            out.push_str(&var.name);
            out.push_str(" in ");
            inner(text, list, false, out);
            out.push_str(": ");
            inner(text, body, true, out);
            out.push(')');
        }
        ExprKind::Comprehension { element, clauses, filter } => {
            out.push('[');
            inner(text, element, false, out);
            for (var, list) in clauses {
                out.push_str(" for ");
                out.push_str(&var.name);
                out.push_str(" in ");
                inner(text, list, false, out);
            }
            if let Some(f) = filter {
                out.push_str(" if ");
                inner(text, f, true, out);
            }
            out.push(']');
        }
        ExprKind::List(items) => {
            out.push('[');
            separated(text, items, out);
            out.push(']');
        }
        ExprKind::Call { name, args } => {
            out.push_str(&name.name);
            out.push('(');
            separated(text, args, out);
            out.push(')');
        }
    }
}

/// Items of a list or arguments of a call, a comma and a space apart.
fn separated(text: &str, items: &[Expr], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        inner(text, item, true, out);
    }
}

/// A message, its interpolated expressions written out.
pub fn message(text: &str, m: &Message) -> String {
    let mut out = String::from("\"");
    for part in &m.parts {
        match part {
            MessagePart::Text(t) => out.push_str(&escaped(t, true)),
            MessagePart::Expr(e) => {
                out.push('{');
                inner(text, e, true, &mut out);
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

/// `s` in quotes, escaped; braces too where the string could interpolate.
pub fn quoted(s: &str, braces: bool) -> String {
    format!("\"{}\"", escaped(s, braces))
}

fn escaped(s: &str, braces: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '{' if braces => out.push_str("\\{"),
            '}' if braces => out.push_str("\\}"),
            c => out.push(c),
        }
    }
    out
}
