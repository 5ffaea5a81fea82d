//! The built-in functions: their names, signatures and documentation. The list is
//! small on purpose; each one is in the README.

use super::expr::Typed;
use super::{CheckError, Checker};
use crate::ast::{self, Span};
use crate::program::{Builtin, Expr, ExprKind};
use crate::source::did_you_mean;
use crate::types::Type;
use crate::value::Value;

/// Name, argument count, and a one-line signature for messages.
pub const BUILTINS: &[(&str, usize, &str)] = &[
    ("anniversary", 2, "anniversary(date, years: int) -> date"),
    ("next_anniversary", 2, "next_anniversary(anchor: date, from: date) -> date"),
    ("anniversary_in", 2, "anniversary_in(anchor: date, year: int) -> date"),
    ("year", 1, "year(date) -> int"),
    ("month", 1, "month(date) -> int (1 to 12)"),
    ("day", 1, "day(date) -> int (1 to 31)"),
    ("months_between", 2, "months_between(from: date, to: date) -> decimal"),
    ("days", 1, "days(n: int) -> days"),
    ("months", 1, "months(n: number) -> months"),
    ("years", 1, "years(n: number) -> months"),
    ("floor", 1, "floor(n: number) -> int"),
    ("ceil", 1, "ceil(n: number) -> int"),
    ("round", 2, "round(n: number, places: int) -> decimal"),
    ("min", 2, "min(a, b) -> the smaller (numbers, dates, durations)"),
    ("max", 2, "max(a, b) -> the larger (numbers, dates, durations)"),
    ("min_of", 1, "min_of(list) -> the smallest item"),
    ("max_of", 1, "max_of(list) -> the largest item"),
    ("sum", 1, "sum(list of numbers) -> number"),
    ("count", 1, "count(list) -> int"),
    ("distinct", 1, "distinct(list) -> list without repeats, in first-seen order"),
    ("sort", 1, "sort(list) -> list in ascending order"),
    ("flatten", 1, "flatten(list of lists) -> list"),
    ("length", 1, "length(string) -> int"),
    ("upper", 1, "upper(string) -> string"),
    ("lower", 1, "lower(string) -> string"),
    ("fold", 1, "fold(string) -> string in lower case, runs of white space as one space, none at the ends"),
    ("known_as", 2, "known_as(name, list of names) -> the listed spelling of name, ignoring case and spacing"),
    ("closest", 2, "closest(name, list of names) -> the listed name nearest a misspelt name, or \"\""),
    ("matches", 2, "matches(string, pattern) -> bool (the whole string must match)"),
];

impl Checker<'_> {
    pub(crate) fn call(&mut self, name: &ast::Ident, args: &[ast::Expr], span: Span) -> Option<Typed> {
        let Some(&(_, arity, signature)) = BUILTINS.iter().find(|(n, _, _)| *n == name.name) else {
            let help = did_you_mean(&name.name, BUILTINS.iter().map(|(n, _, _)| *n));
            self.push(CheckError::UnknownFunction {
                name: name.name.clone(),
                src: self.src(),
                span: name.span.into(),
                help,
            });
            return None;
        };
        if args.len() != arity {
            self.type_error(
                span,
                format!(
                    "`{}` takes {arity} argument{}, found {}",
                    name.name,
                    if arity == 1 { "" } else { "s" },
                    args.len()
                ),
                "wrong number of arguments".into(),
                Some(signature.to_string()),
            );
            return None;
        }
        if name.name == "matches" {
            return self.matches(args, span);
        }
        let mut typed = Vec::with_capacity(args.len());
        for a in args {
            typed.push(self.expr(a, None));
        }
        let typed: Vec<Typed> = typed.into_iter().collect::<Option<_>>()?;
        let tys: Vec<Type> = typed.iter().map(|t| t.ty.clone()).collect();
        let result = signature_of(&name.name, &tys);
        let Some((builtin, ty)) = result else {
            let found = tys.iter().map(|t| self.show(t)).collect::<Vec<_>>().join(", ");
            self.type_error(
                span,
                format!("`{}` does not take ({found})", name.name),
                "wrong argument types".into(),
                Some(signature.to_string()),
            );
            return None;
        };
        let args = typed.into_iter().map(|t| t.expr).collect();
        Some(Typed {
            expr: Expr { kind: ExprKind::Call { builtin, args, names: None }, span, ty: ty.clone() },
            ty,
            origin: None,
        })
    }

    /// `matches(s, pattern)`: the pattern is a constant, compiled here, once.
    fn matches(&mut self, args: &[ast::Expr], span: Span) -> Option<Typed> {
        let [subject, pattern] = args else {
            return None;
        };
        let s = self.expr(subject, None)?;
        let s = self.expect(s, &Type::Str, "`matches` tests a string")?;
        let p = self.expr(pattern, None)?;
        let ExprKind::Const(Value::Str(text)) = &p.expr.kind else {
            self.type_error(
                pattern.span,
                "the pattern must be a fixed string or a parameter".into(),
                "computed here".into(),
                None,
            );
            return None;
        };
        match regex_lite::Regex::new(&format!("^(?:{text})$")) {
            Ok(re) => Some(Typed {
                expr: Expr { kind: ExprKind::Matches { subject: Box::new(s.expr), pattern: re }, span, ty: Type::Bool },
                ty: Type::Bool,
                origin: None,
            }),
            Err(e) => {
                let (src, at) = match &p.origin {
                    Some((r, _)) => (self.pack.params.file.named(), (r.start, r.len()).into()),
                    None => (self.src(), p.expr.span.into()),
                };
                let message = e.to_string().lines().last().unwrap_or("").trim().to_string();
                self.push(CheckError::BadPattern { message, src, span: at });
                None
            }
        }
    }
}

fn signature_of(name: &str, args: &[Type]) -> Option<(Builtin, Type)> {
    use Type::*;
    let ordered = |t: &Type| matches!(t, Int | Decimal | Date | Days | Months | Money(_) | Str | Enum(_));
    Some(match (name, args) {
        ("anniversary", [Date, Int]) => (Builtin::Anniversary, Date),
        ("next_anniversary", [Date, Date]) => (Builtin::NextAnniversary, Date),
        ("anniversary_in", [Date, Int]) => (Builtin::AnniversaryIn, Date),
        ("year", [Date]) => (Builtin::Year, Int),
        ("month", [Date]) => (Builtin::Month, Int),
        ("day", [Date]) => (Builtin::Day, Int),
        ("months_between", [Date, Date]) => (Builtin::MonthsBetween, Decimal),
        ("days", [Int]) => (Builtin::Days, Days),
        ("months", [n]) if n.is_numeric() => (Builtin::Months, Months),
        ("years", [n]) if n.is_numeric() => (Builtin::Years, Months),
        ("floor", [n]) if n.is_numeric() => (Builtin::Floor, Int),
        ("ceil", [n]) if n.is_numeric() => (Builtin::Ceil, Int),
        ("round", [n, Int]) if n.is_numeric() => (Builtin::Round, Decimal),
        ("min" | "max", [a, b]) if ordered(a) => {
            let t = a.unify(b)?;
            (if name == "min" { Builtin::Min } else { Builtin::Max }, t)
        }
        ("min_of" | "max_of", [List(t)]) if ordered(t) => {
            (if name == "min_of" { Builtin::MinOf } else { Builtin::MaxOf }, (**t).clone())
        }
        ("sum", [List(t)]) if t.is_numeric() || matches!(**t, Money(_)) => (Builtin::Sum, (**t).clone()),
        ("count", [List(_)]) => (Builtin::Count, Int),
        ("distinct", [List(t)]) => (Builtin::Distinct, List(t.clone())),
        ("sort", [List(t)]) if ordered(t) || **t == Bool => (Builtin::Sort, List(t.clone())),
        ("flatten", [List(t)]) => match &**t {
            List(inner) => (Builtin::Flatten, List(inner.clone())),
            _ => return None,
        },
        ("length", [Str]) => (Builtin::Length, Int),
        ("upper", [Str]) => (Builtin::Upper, Str),
        ("lower", [Str]) => (Builtin::Lower, Str),
        ("fold", [Str]) => (Builtin::Fold, Str),
        ("known_as", [Str, List(t)]) if **t == Str => (Builtin::KnownAs, Str),
        ("closest", [Str, List(t)]) if **t == Str => (Builtin::Closest, Str),
        _ => return None,
    })
}
