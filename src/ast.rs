//! The typed syntax tree of a rule file. Every node carries the byte span of its
//! text in its file; the tree knows nothing of pest.

use crate::number::Number;
use chrono::NaiveDate;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn to(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A rule file: its rules and every ordinary comment, in source order.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub rules: Vec<Rule>,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// The `///` lines before the rule, without the slashes.
    pub doc: Vec<String>,
    pub id: Ident,
    pub title: Text,
    pub cites: Text,
    pub in_force: Option<InForce>,
    pub guard: Option<Expr>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// `in force from A until B`: the days the rule decides on, both ends included; an
/// end not written is open. A bound is a date or a `params` path (an expression the
/// checker holds to those two forms).
#[derive(Debug, Clone)]
pub struct InForce {
    pub from: Option<Expr>,
    pub until: Option<Expr>,
    /// `continuously in force`: the versions of the rule leave no day between them.
    pub continuously: bool,
    pub span: Span,
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
                    out.extend(message.parts.iter().filter_map(|p| match p {
                        MessagePart::Expr(e) => Some(e),
                        MessagePart::Text(_) => None,
                    }));
                    out.extend(condition);
                }
            }
        }
        out
    }
}

/// A string without interpolation (titles, citations).
#[derive(Debug, Clone)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    Let {
        name: Ident,
        value: Expr,
    },
    /// `ty`: the type declared after the name (`output tier: level = ...`), as written.
    Output {
        name: Ident,
        ty: Option<Ident>,
        value: Expr,
        condition: Option<Expr>,
    },
    Effect {
        kind: EffectKind,
        message: Message,
        condition: Option<Expr>,
        span: Span,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectKind {
    Deny,
    Warn,
    /// Information for the reader; never changes the decision.
    Note,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub parts: Vec<MessagePart>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum MessagePart {
    Text(String),
    Expr(Expr),
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// The expressions directly inside this one, in source order (for a
    /// comprehension: each clause's list, then the element, then the filter).
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::Str(_)
            | ExprKind::Date(_)
            | ExprKind::Duration { .. }
            | ExprKind::Money { .. }
            | ExprKind::Path(_) => Vec::new(),
            ExprKind::Unary { operand, .. } | ExprKind::Presence { operand, .. } => vec![operand],
            ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
            ExprKind::If { cond, then, otherwise } => vec![cond, then, otherwise],
            ExprKind::Quantifier { list, body, .. } => vec![list, body],
            ExprKind::Comprehension { element, clauses, filter } => {
                clauses.iter().map(|(_, l)| l).chain(std::iter::once(&**element)).chain(filter.as_deref()).collect()
            }
            ExprKind::List(items) | ExprKind::Call { args: items, .. } => items.iter().collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Bool(bool),
    Number(Number),
    Str(String),
    Date(NaiveDate),
    Duration { amount: Number, unit: Unit },
    Money { amount: Number, currency: String },
    Path(Vec<Ident>),
    Unary { op: UnaryOp, operand: Box<Expr> },
    Binary { op: BinaryOp, op_span: Span, lhs: Box<Expr>, rhs: Box<Expr> },
    Presence { operand: Box<Expr>, present: bool },
    If { cond: Box<Expr>, then: Box<Expr>, otherwise: Box<Expr> },
    Quantifier { kind: QuantifierKind, var: Ident, list: Box<Expr>, body: Box<Expr> },
    Comprehension { element: Box<Expr>, clauses: Vec<(Ident, Expr)>, filter: Option<Box<Expr>> },
    List(Vec<Expr>),
    Call { name: Ident, args: Vec<Expr> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantifierKind {
    Any,
    All,
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    RangeInclusive,
    RangeExclusive,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::RangeInclusive => "..=",
            BinaryOp::RangeExclusive => "..",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}
