//! The compiled program: rules in evaluation order, names resolved to slots and
//! indices, parameters folded into constants, operators chosen by type. Evaluating a
//! scenario never looks a name up.

use crate::ast::{EffectKind, Span};
use crate::calendar::{Conventions, Period};
use crate::pack::{Manifest, Schema};
use crate::source::SourceFile;
use crate::types::Type;
use crate::value::Value;

#[derive(Debug)]
pub struct Program {
    pub manifest: Manifest,
    pub schema: Schema,
    pub calendar: Conventions,
    pub sources: Vec<SourceFile>,
    /// The source documents the rules cite, when the pack carries them.
    pub documents: Vec<crate::citation::Document>,
    /// Rules in evaluation order: every rule after the rules whose outputs it reads.
    pub rules: Vec<Rule>,
    pub outputs: Vec<OutputDef>,
    /// The largest frame any rule needs for its `let` bindings and loop variables.
    pub frame_size: usize,
    /// Every parameter by dotted name, with its value(s) and type: rules have them
    /// folded in; kept for reports that compare two versions of a pack.
    pub params: Vec<ParamValue>,
    /// Which rules can apply, by the value of the field most guards test first
    /// (built by `dispatch::index`).
    pub dispatch: Option<Dispatch>,
    /// When set, every scenario is decided by the rules and parameter values in
    /// force on this day instead of on its `as_of` (which stays its "today"): what
    /// `diff --as-of A --against B` compares.
    pub rules_on: Option<chrono::NaiveDate>,
}

/// Which rules can apply to a scenario, by the value of one enumeration field.
#[derive(Debug, Clone)]
pub struct Dispatch {
    /// The field: input part, then field indices.
    pub path: Box<[usize]>,
    /// For each value of the field's enumeration, the rules that can apply, in
    /// evaluation order.
    pub rules: Vec<Vec<usize>>,
}

impl Dispatch {
    /// The rules that can apply given the scenario's input, or `None` when the
    /// field is not given (then every rule runs, and says what it misses).
    pub fn rules_for(&self, input: &[Option<Value>]) -> Option<&[usize]> {
        match crate::value::at_path(input, &self.path)? {
            Value::Enum(i) => self.rules.get(usize::try_from(*i).ok()?).map(Vec::as_slice),
            _ => None,
        }
    }
}

/// A parameter as params.toml sets it.
#[derive(Debug, Clone)]
pub struct ParamValue {
    pub name: String,
    pub ty: Type,
    /// The value; for a dated parameter, its latest.
    pub value: Value,
    /// A dated parameter's values with their days, in date order; empty otherwise.
    pub versions: Vec<(Period, Value)>,
}

impl Program {
    /// A parameter's value as a reader sees it: its one value, the value in force on
    /// the day the program is pinned to, or each dated value with its days
    /// (`2021-01-01 to 2021-06-30: 100.00 USD; from 2021-07-01: 150.00 USD`).
    pub fn param_text(&self, p: &ParamValue) -> String {
        if p.versions.is_empty() {
            return display(&p.value, &p.ty, &self.schema);
        }
        if let Some(day) = self.rules_on {
            return match p.versions.iter().find(|(period, _)| period.contains(day)) {
                Some((_, v)) => display(v, &p.ty, &self.schema),
                None => format!("(no value in force on {day})"),
            };
        }
        let parts: Vec<String> =
            p.versions.iter().map(|(period, v)| format!("{period}: {}", display(v, &p.ty, &self.schema))).collect();
        parts.join("; ")
    }

    /// Indices of the rules in the order of the pack's files and of each file's text,
    /// the order a reader finds them in (evaluation order follows dependencies).
    pub fn rules_in_source_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.rules.len()).collect();
        order.sort_by_key(|&i| self.rules.get(i).map(|r| (r.file, r.span.start)));
        order
    }
}

#[derive(Debug)]
pub struct OutputDef {
    pub name: String,
    pub ty: Type,
    /// Indices in `Program::rules` of the rules that write it. Several only when
    /// their guards exclude each other.
    pub writers: Vec<usize>,
    pub span: Span,
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    /// Where the id is written: the place reports name for the rule.
    pub id_span: Span,
    pub title: String,
    pub cites: String,
    pub doc: Vec<String>,
    /// Index into `Program::sources`.
    pub file: usize,
    pub span: Span,
    /// The days the rule decides on (`in force from A until B`); `None`: every day.
    pub in_force: Option<Period>,
    pub guard: Option<Expr>,
    pub body: Vec<Stmt>,
    /// The parameters the rule reads (`table.key`, as in `params.toml`), in order of first use.
    pub params: Vec<String>,
}

impl Rule {
    /// Every top-level expression of the rule in source order: the guard, then each
    /// statement's value, message parts and condition.
    pub fn expressions(&self) -> Vec<&Expr> {
        let mut out: Vec<&Expr> = self.guard.iter().collect();
        for stmt in &self.body {
            match stmt {
                Stmt::Let { value, .. } => out.push(value),
                Stmt::Output { value, condition, .. } => out.extend(std::iter::once(value).chain(condition)),
                Stmt::Effect { message, condition, .. } => {
                    out.extend(message.iter().filter_map(|p| match p {
                        MessagePart::Expr(e, _) => Some(e),
                        MessagePart::Text(_) => None,
                    }));
                    out.extend(condition);
                }
            }
        }
        out
    }

    /// Whether the rule decides on `day`.
    pub fn in_force_on(&self, day: chrono::NaiveDate) -> bool {
        self.in_force.is_none_or(|p| p.contains(day))
    }

    /// The rule's id, and for a version the days it is in force: `R (from 2021-01-28)`
    /// (borrowed for a rule in force every day, as most are).
    pub fn versioned_id(&self) -> std::borrow::Cow<'_, str> {
        match &self.in_force {
            Some(p) => std::borrow::Cow::Owned(format!("{} ({p})", self.id)),
            None => std::borrow::Cow::Borrowed(&self.id),
        }
    }

    /// A name for links to the rule, one per version: `r`, `r-from-2021-01-28`.
    pub fn anchor(&self) -> String {
        let mut out = self.id.to_lowercase();
        if let Some(p) = &self.in_force {
            out.push('-');
            out.push_str(&p.to_string().replace(' ', "-"));
        }
        out
    }

    /// Indices in `Program::outputs` of the outputs the rule writes, in body order.
    pub fn writes(&self) -> impl Iterator<Item = usize> + '_ {
        self.body.iter().filter_map(|s| if let Stmt::Output { output, .. } = s { Some(*output) } else { None })
    }
}

#[derive(Debug)]
pub enum Stmt {
    Let {
        slot: usize,
        name: String,
        value: Expr,
    },
    Output {
        output: usize,
        value: Expr,
        condition: Option<Expr>,
    },
    /// `room`: the length of the message's text plus a short value in each place,
    /// worked out once so that writing the message makes its string at that size.
    Effect {
        kind: EffectKind,
        message: Vec<MessagePart>,
        room: usize,
        condition: Option<Expr>,
        span: Span,
    },
}

#[derive(Debug)]
pub enum MessagePart {
    Text(String),
    Expr(Expr, Type),
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    /// The static type, kept so that traces can show values by name.
    pub ty: Type,
}

impl Expr {
    /// The expressions directly inside this one, in source order (a folded one has
    /// none: its original is not evaluated by plain evaluation).
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Not(a) | ExprKind::Neg(a) => vec![a],
            ExprKind::Presence { operand, .. } => vec![operand],
            ExprKind::Field { base, .. } => vec![base],
            ExprKind::Matches { subject, .. } => vec![subject],
            ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
            ExprKind::If { cond, then, otherwise } => vec![cond, then, otherwise],
            ExprKind::Quantifier { list, body, .. } => vec![list, body],
            ExprKind::Comprehension { element, clauses, filter } => {
                clauses.iter().map(|(_, l)| l).chain(std::iter::once(&**element)).chain(filter.as_deref()).collect()
            }
            ExprKind::List(items) | ExprKind::Call { args: items, .. } => items.iter().collect(),
            ExprKind::Const(_)
            | ExprKind::Dated(_)
            | ExprKind::AsOf
            | ExprKind::Input { .. }
            | ExprKind::Local(_)
            | ExprKind::Output(_)
            | ExprKind::Folded { .. } => Vec::new(),
        }
    }

    /// The expression as written: a folded one's original, any other itself.
    pub fn unfolded(&self) -> &Expr {
        match &self.kind {
            ExprKind::Folded { original, .. } => original,
            _ => self,
        }
    }
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Const(Value),
    AsOf,
    /// A field of the scenario input: part index, then field indices.
    Input {
        path: Box<[usize]>,
        name: String,
    },
    Field {
        base: Box<Expr>,
        index: usize,
        name: String,
    },
    Local(usize),
    Output(usize),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary {
        op: Op,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Presence {
        operand: Box<Expr>,
        present: bool,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Quantifier {
        kind: crate::ast::QuantifierKind,
        slot: usize,
        list: Box<Expr>,
        body: Box<Expr>,
    },
    Comprehension {
        element: Box<Expr>,
        clauses: Vec<(usize, Expr)>,
        filter: Option<Box<Expr>>,
    },
    List(Vec<Expr>),
    Call {
        builtin: Builtin,
        args: Vec<Expr>,
        /// For `known_as` and `closest` over a list known when the pack is compiled:
        /// the list's names folded once (`fold::constants`).
        names: Option<Box<crate::text::NameIndex>>,
    },
    /// A subexpression that reads neither the scenario nor a binding made outside
    /// it, evaluated once when the pack is compiled (`fold::constants`). Plain
    /// evaluation takes `value`; an observer that sees every value (a trace)
    /// evaluates `original`, so that it sees the same steps as before folding.
    Folded {
        value: Value,
        original: Box<Expr>,
    },
    Matches {
        subject: Box<Expr>,
        pattern: regex_lite::Regex,
    },
    /// A dated parameter read by a rule in force on days of several of its values:
    /// each value with its days (in date order), chosen by the day of the rules.
    Dated(Box<[(Period, Value)]>),
}

/// Operators, chosen by the checker from the operand types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Range { inclusive: bool },
    AddNum,
    SubNum,
    MulNum,
    DivNum,
    DateAddDays,
    DateSubDays,
    DateAddMonths,
    DateSubMonths,
    DateDiff,
    AddDays,
    SubDays,
    AddMonths,
    SubMonths,
    ScaleDays,
    ScaleMonths,
    DivMonths,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Anniversary,
    NextAnniversary,
    AnniversaryIn,
    Year,
    Month,
    Day,
    MonthsBetween,
    Days,
    Months,
    Years,
    Floor,
    Ceil,
    Round,
    Min,
    Max,
    MinOf,
    MaxOf,
    Sum,
    Count,
    Distinct,
    Sort,
    Flatten,
    Length,
    Upper,
    Lower,
    Fold,
    KnownAs,
    Closest,
}

/// The text of a value in messages: dates as `YYYY-MM-DD`, exact decimals (rounded
/// to 9 places where they do not terminate), enumeration values by name.
pub fn display(value: &Value, ty: &Type, schema: &Schema) -> String {
    let mut out = String::new();
    write_display(&mut out, value, ty, schema);
    out
}

/// [`display`], written at the end of `out`.
pub fn write_display(out: &mut String, value: &Value, ty: &Type, schema: &Schema) {
    use std::fmt::Write;
    match (value, ty) {
        (Value::Bool(b), _) => out.push_str(if *b { "true" } else { "false" }),
        (Value::Num(n), Type::Money(c)) => {
            // Amounts show at least cents: 150.00 USD.
            let text = n.to_decimal_string(9);
            let places = text.split_once('.').map_or(0, |(_, f)| f.len());
            let pad = match places {
                0 => ".00",
                1 => "0",
                _ => "",
            };
            let _ = write!(out, "{text}{pad} {c}");
        }
        (Value::Num(n), _) => out.push_str(&n.to_decimal_string(9)),
        (Value::Date(d), _) => write_date(out, *d),
        (Value::Days(d), _) => {
            let _ = write!(out, "{d} day{}", if *d == 1 { "" } else { "s" });
        }
        (Value::Months(m), _) => {
            let s = if *m == crate::number::Number::ONE { "" } else { "s" };
            let _ = write!(out, "{} month{s}", m.to_decimal_string(9));
        }
        (Value::Str(s), _) => out.push_str(s),
        (Value::Enum(i), Type::Enum(id)) => out.push_str(schema.variant_name(*id, *i)),
        (Value::Enum(i), _) => {
            let _ = write!(out, "{i}");
        }
        (Value::List(items), t) => {
            let inner = if let Type::List(inner) = t { inner.as_ref() } else { t };
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_display(out, v, inner, schema);
            }
        }
        (Value::Record(fields), Type::Record(id)) => {
            let def = schema.record(*id);
            out.push('{');
            let mut first = true;
            for (i, f) in fields.iter().enumerate() {
                let (Some(fd), Some(v)) = (def.and_then(|d| d.fields.get(i)), f) else { continue };
                if !first {
                    out.push_str(", ");
                }
                first = false;
                out.push_str(&fd.name);
                out.push_str(": ");
                write_display(out, v, &fd.ty, schema);
            }
            out.push('}');
        }
        (Value::Record(_), _) => out.push_str("{..}"),
        (Value::Range { start, end, inclusive }, t) => {
            let inner = if let Type::Range(inner) = t { inner.as_ref() } else { t };
            write_display(out, start, inner, schema);
            out.push_str(if *inclusive { "..=" } else { ".." });
            write_display(out, end, inner, schema);
        }
    }
}

/// A date as `YYYY-MM-DD`, digit by digit for the years 0 to 9999 (chrono's
/// formatting, with its sign and longer years, for the others).
pub fn write_date(out: &mut String, d: chrono::NaiveDate) {
    use chrono::Datelike;
    use std::fmt::Write;
    let (year, month, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&year) {
        let _ = write!(out, "{d}");
        return;
    }
    let y = year.unsigned_abs();
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let text = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    out.reserve(text.len());
    out.extend(text.iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::write_date;
    use chrono::NaiveDate;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let days = [
            (0, 1, 1),
            (1, 2, 3),
            (999, 12, 31),
            (2021, 2, 28),
            (2024, 2, 29),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
        ];
        for (y, m, d) in days {
            let Some(date) = NaiveDate::from_ymd_opt(y, m, d) else { continue };
            let mut out = String::from("x");
            write_date(&mut out, date);
            assert_eq!(out, format!("x{date}"));
        }
    }
}
