//! Lowering of pest pairs into the AST. Recursion is bounded: nesting is measured
//! before pest runs and again while lowering, so hostile input gets a located
//! diagnostic, never a stack overflow.

use super::error::SyntaxError;
use super::grammar::{PolicyParser, Rule};
use crate::ast::*;
use crate::calendar;
use crate::number::Number;
use crate::source::{SourceFile, Src};
use pest::error::InputLocation;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;
use std::sync::LazyLock;

/// The deepest nesting of brackets, `if` expressions, calls and quantifiers a rule
/// may have.
pub const MAX_NESTING: usize = 64;
/// The tallest expression tree: a chain such as `a + b + c` is not nesting, but
/// every later stage walks its tree recursively, so its length is bounded too.
pub const MAX_HEIGHT: usize = 256;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::infix(Rule::op_not_in, Assoc::Left))
        .op(Op::infix(Rule::op_incl, Assoc::Left) | Op::infix(Rule::op_excl, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
        .op(Op::postfix(Rule::is_present) | Op::postfix(Rule::is_absent))
});

struct Ctx<'a> {
    src: &'a SourceFile,
}

type Lowered<T> = Result<T, SyntaxError>;

pub fn parse_file(file: &SourceFile) -> Lowered<File> {
    let ctx = Ctx { src: file };
    ctx.check_nesting()?;
    let mut pairs = PolicyParser::parse(Rule::file, &file.text).map_err(|e| ctx.pest_error(e))?;
    let root = pairs.next().ok_or_else(|| ctx.unexpected(0, 0, "empty parse"))?;
    let comments = root
        .clone()
        .into_inner()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| Comment { text: p.as_str().trim_start_matches("//").to_string(), span: span_of(&p) })
        .collect();
    let mut rules = Vec::new();
    for pair in inner(root) {
        if pair.as_rule() == Rule::rule_decl {
            rules.push(ctx.rule(pair)?);
        }
    }
    Ok(File { rules, comments })
}

pub fn parse_expr(file: &SourceFile) -> Lowered<Expr> {
    let ctx = Ctx { src: file };
    ctx.check_nesting()?;
    let mut pairs = PolicyParser::parse(Rule::eof_expr, &file.text).map_err(|e| ctx.pest_error(e))?;
    let root = pairs.next().ok_or_else(|| ctx.unexpected(0, 0, "empty parse"))?;
    let expr = inner(root).next().ok_or_else(|| ctx.unexpected(0, 0, "empty expression"))?;
    Ok(ctx.expr(expr, 0)?.0)
}

/// Children of a pair, without the comments pest interleaves.
fn inner(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| !is_noise(p.as_rule()))
}

/// Comments and keywords: tokens with no meaning of their own in the tree.
fn is_noise(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::COMMENT
            | Rule::kw_rule
            | Rule::kw_cites
            | Rule::kw_when
            | Rule::kw_let
            | Rule::kw_output
            | Rule::kw_deny
            | Rule::kw_warn
            | Rule::kw_note
            | Rule::kw_if
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_not
            | Rule::kw_in
            | Rule::kw_is
            | Rule::kw_present
            | Rule::kw_absent
            | Rule::kw_for
            | Rule::kw_force
            | Rule::kw_from
            | Rule::kw_until
            | Rule::colon
    )
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn friendly(rule: &Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of file",
        Rule::rule_decl => "`rule`",
        Rule::doc_comment => "a `///` comment",
        Rule::rule_id => "a rule id such as `RULE-ID`",
        Rule::plain_string | Rule::string => "a quoted string",
        Rule::cites => "`cites \"source#section\"`",
        Rule::guard => "`when`",
        Rule::in_force | Rule::continuously => "`in force from DATE until DATE`",
        Rule::force_from | Rule::kw_from => "`from DATE`",
        Rule::force_until | Rule::kw_until => "`until DATE`",
        Rule::kw_force => "`force`",
        Rule::let_stmt => "`let`",
        Rule::output_stmt => "`output`",
        Rule::output_type | Rule::type_name => "a type",
        Rule::deny_stmt => "`deny`",
        Rule::warn_stmt => "`warn`",
        Rule::note_stmt => "`note`",
        Rule::condition => "`if`",
        Rule::expr | Rule::eof_expr | Rule::paren | Rule::if_expr | Rule::quantifier => "an expression",
        Rule::list | Rule::call | Rule::path | Rule::date | Rule::quantity => "an expression",
        Rule::number | Rule::boolean | Rule::op_not | Rule::op_neg => "an expression",
        Rule::is_present | Rule::is_absent => "`is present` / `is absent`",
        Rule::op_or | Rule::op_and | Rule::op_eq | Rule::op_ne | Rule::op_le | Rule::op_lt => "an operator",
        Rule::op_ge | Rule::op_gt | Rule::op_not_in | Rule::op_in | Rule::op_incl | Rule::op_excl => "an operator",
        Rule::op_add | Rule::op_sub | Rule::op_mul | Rule::op_div => "an operator",
        Rule::for_clause => "`for`",
        Rule::filter => "`if`",
        Rule::unit => "a unit (`days`, `months`, `years` or a currency)",
        Rule::ident => "a name",
        Rule::interpolation => "`{expression}`",
        Rule::kw_rule => "`rule`",
        Rule::kw_cites => "`cites`",
        Rule::kw_when => "`when`",
        Rule::kw_let => "`let`",
        Rule::kw_output => "`output`",
        Rule::kw_deny => "`deny`",
        Rule::kw_warn => "`warn`",
        Rule::kw_note => "`note`",
        Rule::kw_if | Rule::kw_then | Rule::kw_else => "`if ... then ... else`",
        Rule::kw_and | Rule::kw_or | Rule::kw_not | Rule::kw_in => "an operator",
        Rule::kw_is | Rule::kw_present | Rule::kw_absent => "`is present` / `is absent`",
        Rule::kw_for => "`for`",
        Rule::colon => "`:` and a condition",
        Rule::kw_true | Rule::kw_false => "an expression",
        _ => "more text",
    }
}

impl Ctx<'_> {
    fn named(&self) -> Src {
        self.src.named()
    }

    fn unexpected(&self, start: usize, len: usize, message: &str) -> SyntaxError {
        SyntaxError::Unexpected {
            message: message.to_string(),
            src: self.named(),
            span: (start, len).into(),
            label: "here".into(),
            help: None,
        }
    }

    fn pest_error(&self, e: pest::error::Error<Rule>) -> SyntaxError {
        let (start, end) = match e.location {
            InputLocation::Pos(p) => (p, p),
            InputLocation::Span((s, e)) => (s, e),
        };
        let text = &self.src.text;
        if let Some(explained) = self.unbalanced(start) {
            return explained;
        }
        let found = text.get(start..).map(describe_found).unwrap_or_else(|| "end of file".into());
        let len = if end > start {
            end - start
        } else {
            text.get(start..).and_then(|rest| rest.chars().next()).map_or(0, char::len_utf8)
        };
        let (message, help) = match &e.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => {
                let mut names: Vec<&str> = positives.iter().filter(|r| **r != Rule::COMMENT).map(friendly).collect();
                names.dedup();
                let mut unique = Vec::new();
                for n in names {
                    if !unique.contains(&n) {
                        unique.push(n);
                    }
                }
                let expected = match unique.as_slice() {
                    [] => "something else".to_string(),
                    [one] => (*one).to_string(),
                    [init @ .., last] => format!("{} or {}", init.join(", "), last),
                };
                let help = if positives.contains(&Rule::colon) {
                    Some("a quantifier reads `any(x in list: condition)`, `all(...)` or `count(...)`".into())
                } else {
                    hint_for(&found)
                };
                (format!("expected {expected}, found {found}"), help)
            }
            pest::error::ErrorVariant::CustomError { message } => (message.clone(), None),
        };
        SyntaxError::Unexpected {
            message,
            src: self.named(),
            span: (start, len).into(),
            label: "unexpected here".into(),
            help,
        }
    }

    /// A syntax error at `at` that an open string or bracket explains better than
    /// pest's "expected ...": where the string or bracket began.
    fn unbalanced(&self, at: usize) -> Option<SyntaxError> {
        let text: &str = &self.src.text;
        let open = super::depth::unbalanced(text);
        if let Some(quote) = open.unterminated_string.filter(|q| *q <= at) {
            let line_end = text.get(quote..).and_then(|r| r.find('\n')).map_or(text.len(), |n| quote + n);
            let line_end =
                if text.get(..line_end).is_some_and(|t| t.ends_with('\r')) { line_end - 1 } else { line_end };
            return Some(SyntaxError::UnterminatedString {
                src: self.named(),
                start: (quote, 1).into(),
                end: (line_end, 0).into(),
            });
        }
        let at_end = text.get(at..).is_some_and(|rest| rest.trim().is_empty());
        let bracket = open.unclosed.filter(|_| at_end)?;
        let b = text.get(bracket..).and_then(|r| r.chars().next())?;
        let closing = match b {
            '(' => ')',
            '[' => ']',
            _ => '}',
        };
        Some(SyntaxError::Unclosed {
            bracket: b,
            closing,
            src: self.named(),
            open: (bracket, 1).into(),
            end: (text.trim_end().len(), 0).into(),
        })
    }

    /// Measures nesting before pest runs, so neither pest nor the lowering recurses
    /// without bound.
    fn check_nesting(&self) -> Lowered<()> {
        match super::depth::first_beyond(&self.src.text, MAX_NESTING) {
            Some(at) => Err(SyntaxError::TooDeep { limit: MAX_NESTING, src: self.named(), span: (at, 1).into() }),
            None => Ok(()),
        }
    }

    fn too_deep(&self, pair: &Pair<'_, Rule>) -> SyntaxError {
        let s = pair.as_span();
        SyntaxError::TooDeep { limit: MAX_NESTING, src: self.named(), span: (s.start(), 1).into() }
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Lowered<crate::ast::Rule> {
        let span = span_of(&pair);
        let mut doc = Vec::new();
        let mut id = None;
        let mut title = None;
        let mut cites = None;
        let mut guard = None;
        let mut in_force = None;
        let mut body = Vec::new();
        for p in inner(pair) {
            match p.as_rule() {
                Rule::doc_comment => {
                    let text = p.into_inner().next().map(|t| t.as_str()).unwrap_or("");
                    doc.push(text.strip_prefix(' ').unwrap_or(text).trim_end().to_string());
                }
                Rule::rule_id => id = Some(Ident { name: p.as_str().to_string(), span: span_of(&p) }),
                Rule::plain_string => title = Some(self.plain_string(p)),
                Rule::cites => cites = inner(p).next().map(|s| self.plain_string(s)),
                Rule::guard => {
                    if let Some(e) = inner(p).next() {
                        guard = Some(self.expr(e, 0)?.0);
                    }
                }
                Rule::in_force => in_force = Some(self.in_force(p)?),
                _ => body.push(self.statement(p)?),
            }
        }
        let missing = || self.unexpected(span.start, 4, "incomplete rule");
        Ok(crate::ast::Rule {
            doc,
            id: id.ok_or_else(missing)?,
            title: title.ok_or_else(missing)?,
            cites: cites.ok_or_else(missing)?,
            in_force,
            guard,
            body,
            span,
        })
    }

    fn in_force(&self, pair: Pair<'_, Rule>) -> Lowered<InForce> {
        let span = span_of(&pair);
        let mut clause = InForce { from: None, until: None, continuously: false, span };
        for p in inner(pair) {
            let rule = p.as_rule();
            let bound = || -> Lowered<Option<Expr>> {
                match inner(p.clone()).next() {
                    Some(b) => Ok(Some(self.expr(b, 0)?.0)),
                    None => Ok(None),
                }
            };
            match rule {
                Rule::continuously => clause.continuously = true,
                Rule::force_from => clause.from = bound()?,
                Rule::force_until => clause.until = bound()?,
                _ => {}
            }
        }
        Ok(clause)
    }

    fn plain_string(&self, pair: Pair<'_, Rule>) -> Text {
        let span = span_of(&pair);
        let mut value = String::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::escape => value.push(unescape(p.as_str())),
                _ => value.push_str(p.as_str()),
            }
        }
        Text { value, span }
    }

    fn statement(&self, pair: Pair<'_, Rule>) -> Lowered<Stmt> {
        let rule = pair.as_rule();
        let span = span_of(&pair);
        let mut parts = inner(pair);
        let mut next = || parts.next().ok_or_else(|| self.unexpected(span.start, span.len(), "incomplete statement"));
        match rule {
            Rule::let_stmt => {
                let name = ident(next()?);
                let value = self.expr(next()?, 0)?.0;
                Ok(Stmt::Let { name, value })
            }
            Rule::output_stmt => {
                let name = ident(next()?);
                let mut value_pair = next()?;
                let mut ty = None;
                if value_pair.as_rule() == Rule::output_type {
                    ty = value_pair.clone().into_inner().next().map(ident);
                    value_pair = next()?;
                }
                let value = self.expr(value_pair, 0)?.0;
                let condition = match parts.next() {
                    Some(c) => Some(self.condition(c)?),
                    None => None,
                };
                Ok(Stmt::Output { name, ty, value, condition })
            }
            _ => {
                let kind = match rule {
                    Rule::deny_stmt => EffectKind::Deny,
                    Rule::warn_stmt => EffectKind::Warn,
                    _ => EffectKind::Note,
                };
                let message = self.message(next()?)?;
                let condition = match parts.next() {
                    Some(c) => Some(self.condition(c)?),
                    None => None,
                };
                Ok(Stmt::Effect { kind, message, condition, span })
            }
        }
    }

    fn condition(&self, pair: Pair<'_, Rule>) -> Lowered<Expr> {
        let span = span_of(&pair);
        let e = inner(pair).next().ok_or_else(|| self.unexpected(span.start, span.len(), "missing condition"))?;
        Ok(self.expr(e, 0)?.0)
    }

    fn message(&self, pair: Pair<'_, Rule>) -> Lowered<Message> {
        let span = span_of(&pair);
        let mut parts: Vec<MessagePart> = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::interpolation => {
                    let e = inner(p).next().ok_or_else(|| self.unexpected(span.start, span.len(), "empty `{}`"))?;
                    parts.push(MessagePart::Expr(self.expr(e, 1)?.0));
                }
                Rule::escape => push_text(&mut parts, &unescape(p.as_str()).to_string()),
                _ => push_text(&mut parts, p.as_str()),
            }
        }
        Ok(Message { parts, span })
    }

    /// Lowers an `expr` pair; returns the expression and the height of its tree.
    fn expr(&self, pair: Pair<'_, Rule>, nesting: usize) -> Lowered<(Expr, usize)> {
        if nesting > MAX_NESTING {
            return Err(self.too_deep(&pair));
        }
        PRATT
            .map_primary(|p| self.primary(p, nesting))
            .map_prefix(|op, rhs| {
                let (rhs, h) = rhs?;
                let op_span = span_of(&op);
                let uop = if op.as_rule() == Rule::op_not { UnaryOp::Not } else { UnaryOp::Neg };
                let span = op_span.to(rhs.span);
                self.limit(Expr { kind: ExprKind::Unary { op: uop, operand: Box::new(rhs) }, span }, h + 1, op_span)
            })
            .map_postfix(|lhs, op| {
                let (lhs, h) = lhs?;
                let op_span = span_of(&op);
                let span = lhs.span.to(op_span);
                let present = op.as_rule() == Rule::is_present;
                self.limit(Expr { kind: ExprKind::Presence { operand: Box::new(lhs), present }, span }, h + 1, op_span)
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, hl) = lhs?;
                let (rhs, hr) = rhs?;
                let op_span = span_of(&op);
                let bop = binary_op(op.as_rule());
                let span = lhs.span.to(rhs.span);
                let kind = ExprKind::Binary { op: bop, op_span, lhs: Box::new(lhs), rhs: Box::new(rhs) };
                self.limit(Expr { kind, span }, hl.max(hr) + 1, op_span)
            })
            .parse(inner(pair))
    }

    fn limit(&self, e: Expr, height: usize, at: Span) -> Lowered<(Expr, usize)> {
        if height > MAX_HEIGHT {
            Err(SyntaxError::TooLong { limit: MAX_HEIGHT, src: self.named(), span: at.into() })
        } else {
            Ok((e, height))
        }
    }

    fn primary(&self, pair: Pair<'_, Rule>, nesting: usize) -> Lowered<(Expr, usize)> {
        if nesting > MAX_NESTING {
            return Err(self.too_deep(&pair));
        }
        let span = span_of(&pair);
        let leaf = |kind| Ok((Expr { kind, span }, 1));
        let rule = pair.as_rule();
        match rule {
            Rule::paren => {
                let e = self.first(pair)?;
                self.expr(e, nesting + 1)
            }
            Rule::boolean => leaf(ExprKind::Bool(pair.as_str().starts_with('t'))),
            Rule::number => leaf(ExprKind::Number(self.number(&pair)?)),
            Rule::date => match calendar::parse_date(pair.as_str()) {
                Ok(d) => leaf(ExprKind::Date(d)),
                Err(e) => Err(SyntaxError::BadDate {
                    text: pair.as_str().to_string(),
                    src: self.named(),
                    span: span.into(),
                    help: e.explain(),
                }),
            },
            Rule::quantity => {
                let mut it = inner(pair);
                let (num, unit) = (it.next(), it.next());
                let (Some(num), Some(unit)) = (num, unit) else {
                    return Err(self.unexpected(span.start, span.len(), "incomplete quantity"));
                };
                let amount = self.number(&num)?;
                let kind = match unit.as_str() {
                    "day" | "days" => ExprKind::Duration { amount, unit: Unit::Days },
                    "week" | "weeks" => ExprKind::Duration { amount, unit: Unit::Weeks },
                    "month" | "months" => ExprKind::Duration { amount, unit: Unit::Months },
                    "year" | "years" => ExprKind::Duration { amount, unit: Unit::Years },
                    currency => ExprKind::Money { amount, currency: currency.to_string() },
                };
                leaf(kind)
            }
            Rule::string => {
                let m = self.message(pair)?;
                if m.parts.iter().any(|p| matches!(p, MessagePart::Expr(_))) {
                    return Err(SyntaxError::Unexpected {
                        message: "a string value cannot interpolate".into(),
                        src: self.named(),
                        span: span.into(),
                        label: "interpolation is only for `deny` and `warn` messages".into(),
                        help: Some("write `\\{` for a literal brace".into()),
                    });
                }
                let text = m.parts.into_iter().map(|p| if let MessagePart::Text(t) = p { t } else { String::new() });
                leaf(ExprKind::Str(text.collect()))
            }
            Rule::path => {
                // The pair's own span ends after any white space pest skipped looking for `.`.
                let segs: Vec<Ident> = inner(pair).map(ident).collect();
                let span = match (segs.first(), segs.last()) {
                    (Some(f), Some(l)) => f.span.to(l.span),
                    _ => span,
                };
                Ok((Expr { kind: ExprKind::Path(segs), span }, 1))
            }
            Rule::if_expr => {
                let mut it = inner(pair);
                let c = self.child(it.next(), span, nesting)?;
                let t = self.child(it.next(), span, nesting)?;
                let o = self.child(it.next(), span, nesting)?;
                let h = c.1.max(t.1).max(o.1) + 1;
                let kind = ExprKind::If { cond: Box::new(c.0), then: Box::new(t.0), otherwise: Box::new(o.0) };
                Ok((Expr { kind, span }, h))
            }
            Rule::quantifier => {
                let mut it = inner(pair);
                let kw = it.next().map(|p| p.as_str()).unwrap_or("any");
                let kind = match kw {
                    "all" => QuantifierKind::All,
                    "count" => QuantifierKind::Count,
                    _ => QuantifierKind::Any,
                };
                let var =
                    it.next().map(ident).ok_or_else(|| self.unexpected(span.start, span.len(), "missing name"))?;
                let list = self.child(it.next(), span, nesting)?;
                let body = self.child(it.next(), span, nesting)?;
                let h = list.1.max(body.1) + 1;
                let e = ExprKind::Quantifier { kind, var, list: Box::new(list.0), body: Box::new(body.0) };
                Ok((Expr { kind: e, span }, h))
            }
            Rule::list if inner(pair.clone()).any(|p| p.as_rule() == Rule::for_clause) => {
                let mut it = inner(pair);
                let element = self.child(it.next(), span, nesting)?;
                let mut h = element.1;
                let mut clauses = Vec::new();
                let mut filter = None;
                for p in it {
                    if p.as_rule() == Rule::for_clause {
                        let mut f = inner(p);
                        let var = f
                            .next()
                            .map(ident)
                            .ok_or_else(|| self.unexpected(span.start, span.len(), "missing name"))?;
                        let list = self.child(f.next(), span, nesting)?;
                        h = h.max(list.1);
                        clauses.push((var, list.0));
                    } else {
                        let cond = self.child(inner(p).next(), span, nesting)?;
                        h = h.max(cond.1);
                        filter = Some(Box::new(cond.0));
                    }
                }
                let kind = ExprKind::Comprehension { element: Box::new(element.0), clauses, filter };
                Ok((Expr { kind, span }, h + 1))
            }
            Rule::list => {
                let mut items = Vec::new();
                let mut h = 0;
                for p in inner(pair) {
                    let (e, eh) = self.expr(p, nesting + 1)?;
                    h = h.max(eh);
                    items.push(e);
                }
                Ok((Expr { kind: ExprKind::List(items), span }, h + 1))
            }
            Rule::call => {
                let mut it = inner(pair);
                let name =
                    it.next().map(ident).ok_or_else(|| self.unexpected(span.start, span.len(), "missing name"))?;
                let mut args = Vec::new();
                let mut h = 0;
                for p in it {
                    let (e, eh) = self.expr(p, nesting + 1)?;
                    h = h.max(eh);
                    args.push(e);
                }
                Ok((Expr { kind: ExprKind::Call { name, args }, span }, h + 1))
            }
            _ => Err(self.unexpected(span.start, span.len(), "unexpected syntax")),
        }
    }

    fn child(&self, pair: Option<Pair<'_, Rule>>, at: Span, nesting: usize) -> Lowered<(Expr, usize)> {
        let p = pair.ok_or_else(|| self.unexpected(at.start, at.len(), "incomplete expression"))?;
        self.expr(p, nesting + 1)
    }

    fn first<'i>(&self, pair: Pair<'i, Rule>) -> Lowered<Pair<'i, Rule>> {
        let span = span_of(&pair);
        inner(pair).next().ok_or_else(|| self.unexpected(span.start, span.len(), "empty expression"))
    }

    fn number(&self, pair: &Pair<'_, Rule>) -> Lowered<Number> {
        Number::parse_decimal(pair.as_str()).ok_or_else(|| SyntaxError::BadNumber {
            text: pair.as_str().to_string(),
            src: self.named(),
            span: span_of(pair).into(),
        })
    }
}

fn ident(pair: Pair<'_, Rule>) -> Ident {
    Ident { name: pair.as_str().to_string(), span: span_of(&pair) }
}

fn push_text(parts: &mut Vec<MessagePart>, text: &str) {
    if let Some(MessagePart::Text(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(MessagePart::Text(text.to_string()));
    }
}

fn unescape(esc: &str) -> char {
    match esc.as_bytes().get(1) {
        Some(b'n') => '\n',
        Some(b't') => '\t',
        Some(&b) => char::from(b),
        None => '\\',
    }
}

fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_ne => BinaryOp::Ne,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_le => BinaryOp::Le,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_in => BinaryOp::In,
        Rule::op_not_in => BinaryOp::NotIn,
        Rule::op_incl => BinaryOp::RangeInclusive,
        Rule::op_excl => BinaryOp::RangeExclusive,
        Rule::op_add => BinaryOp::Add,
        Rule::op_sub => BinaryOp::Sub,
        Rule::op_mul => BinaryOp::Mul,
        _ => BinaryOp::Div,
    }
}

fn describe_found(rest: &str) -> String {
    let token: String = rest.chars().take_while(|c| !c.is_whitespace()).take(20).collect();
    if token.is_empty() {
        if rest.is_empty() {
            "end of file".into()
        } else {
            "white space".into()
        }
    } else {
        format!("`{}`", token.escape_debug())
    }
}

fn hint_for(found: &str) -> Option<String> {
    match found {
        "`=`" => Some("compare with `==`".into()),
        "`&&`" => Some("write `and`".into()),
        "`||`" => Some("write `or`".into()),
        "`!`" => Some("write `not`".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Lowered<Expr> {
        parse_expr(&SourceFile::new("t", text))
    }

    #[test]
    fn precedence_follows_the_table() {
        let e = expr("a or b and not c == d + 1 * 2")
            .unwrap_or_else(|_| Expr { kind: ExprKind::Bool(false), span: Span::default() });
        let ExprKind::Binary { op: BinaryOp::Or, rhs, .. } = e.kind else { unreachable!("or at top") };
        let ExprKind::Binary { op: BinaryOp::And, rhs, .. } = rhs.kind else { unreachable!("and") };
        assert!(matches!(rhs.kind, ExprKind::Unary { op: UnaryOp::Not, .. }));
    }

    #[test]
    fn quantities_and_dates_are_literals() {
        assert!(matches!(expr("30 days").map(|e| e.kind), Ok(ExprKind::Duration { unit: Unit::Days, .. })));
        assert!(matches!(expr("100 USD").map(|e| e.kind), Ok(ExprKind::Money { .. })));
        assert!(matches!(expr("2021-09-02").map(|e| e.kind), Ok(ExprKind::Date(_))));
        assert!(matches!(expr("2021-02-30"), Err(SyntaxError::BadDate { .. })));
    }

    #[test]
    fn deep_nesting_is_a_diagnostic() {
        let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(matches!(expr(&deep), Err(SyntaxError::TooDeep { .. })));
        let ifs = format!("{}1", "if true then 1 else ".repeat(100_000));
        assert!(matches!(expr(&ifs), Err(SyntaxError::TooDeep { .. })));
    }

    #[test]
    fn a_long_chain_is_not_nesting_but_has_a_length_limit() {
        let sum = |n: usize| vec!["1"; n].join(" + ");
        assert!(expr(&sum(65)).is_ok());
        assert!(expr(&sum(MAX_HEIGHT)).is_ok());
        assert!(matches!(expr(&sum(MAX_HEIGHT + 1)), Err(SyntaxError::TooLong { .. })));
        assert!(matches!(expr(&sum(100_000)), Err(SyntaxError::TooLong { .. })));
    }

    #[test]
    fn comments_are_kept() {
        let src = SourceFile::new("t", "// top\nrule A \"t\" cites \"x#y\" { // inside\n deny \"no\" }\n");
        let f = parse_file(&src).map(|f| f.comments.len());
        assert_eq!(f.ok(), Some(2));
    }
}
