//! The compiled program: rules in evaluation order, names resolved to slots and
//! indices, parameters folded into constants, operators chosen by type. Evaluating a
//! scenario never looks a name up.

use crate::ast::{EffectKind, Span};
use crate::calendar::Conventions;
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
    /// Rules in evaluation order: every rule after the rules whose outputs it reads.
    pub rules: Vec<Rule>,
    pub outputs: Vec<OutputDef>,
    /// The largest frame any rule needs for its `let` bindings and loop variables.
    pub frame_size: usize,
    /// Every parameter by dotted name, with its value and type: rules have them
    /// folded in; kept for reports that compare two versions of a pack.
    pub params: Vec<(String, Value, Type)>,
    /// Which rules can apply, by the value of the field most guards test first
    /// (built by `dispatch::index`).
    pub dispatch: Option<Dispatch>,
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
        let (first, rest) = self.path.split_first()?;
        let mut v = input.get(*first)?.as_ref()?;
        for i in rest {
            v = match v {
                Value::Record(fields) => fields.get(*i)?.as_ref()?,
                _ => return None,
            };
        }
        match v {
            Value::Enum(i) => self.rules.get(usize::try_from(*i).ok()?).map(Vec::as_slice),
            _ => None,
        }
    }
}

impl Program {
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
    pub guard: Option<Expr>,
    pub body: Vec<Stmt>,
    /// The parameters the rule reads (`table.key`, as in `params.toml`), in order of first use.
    pub params: Vec<String>,
}

impl Rule {
    /// Indices in `Program::outputs` of the outputs the rule writes, in body order.
    pub fn writes(&self) -> impl Iterator<Item = usize> + '_ {
        self.body.iter().filter_map(|s| if let Stmt::Output { output, .. } = s { Some(*output) } else { None })
    }
}

#[derive(Debug)]
pub enum Stmt {
    Let { slot: usize, name: String, value: Expr },
    Output { output: usize, value: Expr, condition: Option<Expr> },
    Effect { kind: EffectKind, message: Vec<MessagePart>, condition: Option<Expr>, span: Span },
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
    match (value, ty) {
        (Value::Bool(b), _) => b.to_string(),
        (Value::Num(n), Type::Money(c)) => {
            // Amounts show at least cents: 150.00 USD.
            let text = n.to_decimal_string(9);
            let places = text.split_once('.').map_or(0, |(_, f)| f.len());
            let pad = match places {
                0 => ".00",
                1 => "0",
                _ => "",
            };
            format!("{text}{pad} {c}")
        }
        (Value::Num(n), _) => n.to_decimal_string(9),
        (Value::Date(d), _) => d.to_string(),
        (Value::Days(d), _) => format!("{d} day{}", if *d == 1 { "" } else { "s" }),
        (Value::Months(m), _) => {
            format!("{} month{}", m.to_decimal_string(9), if *m == crate::number::Number::ONE { "" } else { "s" })
        }
        (Value::Str(s), _) => s.to_string(),
        (Value::Enum(i), Type::Enum(id)) => schema.variant_name(*id, *i).to_string(),
        (Value::Enum(i), _) => i.to_string(),
        (Value::List(items), t) => {
            let inner = if let Type::List(inner) = t { inner.as_ref() } else { t };
            let parts: Vec<String> = items.iter().map(|v| display(v, inner, schema)).collect();
            parts.join(", ")
        }
        (Value::Record(fields), Type::Record(id)) => {
            let def = schema.record(*id);
            let parts: Vec<String> = fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    let fd = def.and_then(|d| d.fields.get(i))?;
                    f.as_ref().map(|v| format!("{}: {}", fd.name, display(v, &fd.ty, schema)))
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        (Value::Record(_), _) => "{..}".into(),
        (Value::Range { start, end, inclusive }, t) => {
            let inner = if let Type::Range(inner) = t { inner.as_ref() } else { t };
            format!(
                "{}{}{}",
                display(start, inner, schema),
                if *inclusive { "..=" } else { ".." },
                display(end, inner, schema)
            )
        }
    }
}
