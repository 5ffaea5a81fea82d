//! Typing of expressions. A bare name compared with an enumeration is one of its
//! values; a string constant (a literal or a parameter) compared with an enumeration
//! is checked against it here, before any scenario runs.

use super::{CheckError, Checker, AS_OF, PARAMS};
use crate::ast::{self, BinaryOp, Span, UnaryOp};
use crate::pack::{ParamNode, Params};
use crate::program::{Expr, ExprKind, Op};
use crate::source::{did_you_mean, Note};
use crate::types::{Display, Type};
use crate::value::Value;
use std::ops::Range;

/// A checked expression. `origin` is the TOML location of a parameter constant.
pub(crate) struct Typed {
    pub expr: Expr,
    pub ty: Type,
    pub origin: Option<(Range<usize>, Vec<Range<usize>>)>,
}

impl Typed {
    fn new(kind: ExprKind, span: Span, ty: Type) -> Typed {
        Typed { expr: Expr { kind, span, ty: ty.clone() }, ty, origin: None }
    }
}

impl Checker<'_> {
    pub(crate) fn show(&self, t: &Type) -> String {
        Display(t, &self.pack.schema).to_string()
    }

    pub(crate) fn type_error(&mut self, span: Span, message: String, label: String, help: Option<String>) {
        let e = CheckError::Type { message, src: self.src(), span: span.into(), label, help, related: Vec::new() };
        self.push(e);
    }

    fn param_note(
        &self,
        origin: &Option<(Range<usize>, Vec<Range<usize>>)>,
        item: Option<usize>,
        label: &str,
    ) -> Vec<Note> {
        let Some((span, items)) = origin else {
            return Vec::new();
        };
        let span = item.and_then(|i| items.get(i)).unwrap_or(span);
        let params: &Params = &self.pack.params;
        vec![Note {
            message: "the parameter is set here".into(),
            src: params.file.named(),
            span: (span.start, span.len()).into(),
            label: label.into(),
        }]
    }

    /// Checks a condition: it must be a `bool`.
    pub(crate) fn condition(&mut self, e: &ast::Expr) -> Option<Expr> {
        let t = self.expr(e, Some(&Type::Bool))?;
        self.expect(t, &Type::Bool, "a condition must be true or false").map(|t| t.expr)
    }

    /// Converts `t` to `want` where the language allows it, or reports a mismatch.
    pub(crate) fn expect(&mut self, t: Typed, want: &Type, why: &str) -> Option<Typed> {
        if t.ty.unify(want).as_ref() == Some(want) || t.ty == *want {
            return Some(t);
        }
        match (want, &t.expr.kind) {
            (Type::Enum(id), ExprKind::Const(Value::Str(s))) => {
                let s = s.clone();
                let v = self.variant(*id, &s, t.expr.span, &t.origin, None)?;
                Some(Typed {
                    expr: Expr { kind: ExprKind::Const(Value::Enum(v)), span: t.expr.span, ty: want.clone() },
                    ty: want.clone(),
                    origin: t.origin,
                })
            }
            (Type::List(inner), ExprKind::Const(Value::List(items)))
                if matches!(**inner, Type::Enum(_)) && t.ty == Type::List(Box::new(Type::Str)) =>
            {
                let Type::Enum(id) = **inner else { return None };
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    if let Value::Str(s) = item {
                        out.push(Value::Enum(self.variant(id, s, t.expr.span, &t.origin, Some(i))?));
                    }
                }
                Some(Typed {
                    expr: Expr { kind: ExprKind::Const(Value::List(out.into())), span: t.expr.span, ty: want.clone() },
                    ty: want.clone(),
                    origin: t.origin,
                })
            }
            _ => {
                let help = conversion_help(&t.ty, want);
                let related = self.param_note(&t.origin, None, "has this type");
                let e = CheckError::Type {
                    message: format!("{why}: expected {}, found {}", self.show(want), self.show(&t.ty)),
                    src: self.src(),
                    span: t.expr.span.into(),
                    label: format!("this is {}", self.show(&t.ty)),
                    help,
                    related,
                };
                self.push(e);
                None
            }
        }
    }

    fn variant(
        &mut self,
        id: usize,
        s: &str,
        span: Span,
        origin: &Option<(Range<usize>, Vec<Range<usize>>)>,
        item: Option<usize>,
    ) -> Option<u32> {
        let schema = &self.pack.schema;
        if let Some(v) = schema.variant(id, s) {
            return Some(v);
        }
        let e = schema.enums.get(id);
        let enumeration = e.map(|e| e.name.clone()).unwrap_or_default();
        let help = e.and_then(|e| {
            did_you_mean(s, e.variants.iter().map(String::as_str))
                .or_else(|| Some(format!("its values are: {}", e.variants.join(", "))))
        });
        let related = self.param_note(origin, item, "this value");
        self.push(CheckError::NotAValue {
            value: s.to_string(),
            enumeration,
            src: self.src(),
            span: span.into(),
            help,
            related,
        });
        None
    }

    /// Checks an expression. A name whose definition failed to check has the type
    /// `Unknown`; anything built on it is dropped without a further error.
    pub(crate) fn expr(&mut self, e: &ast::Expr, want: Option<&Type>) -> Option<Typed> {
        let t = crate::stack::guarded(|| self.expr_inner(e, want))?;
        (t.ty != Type::Unknown).then_some(t)
    }

    fn expr_inner(&mut self, e: &ast::Expr, want: Option<&Type>) -> Option<Typed> {
        let span = e.span;
        match &e.kind {
            ast::ExprKind::Bool(b) => Some(Typed::new(ExprKind::Const(Value::Bool(*b)), span, Type::Bool)),
            ast::ExprKind::Number(n) => {
                let ty = if n.is_integer() { Type::Int } else { Type::Decimal };
                Some(Typed::new(ExprKind::Const(Value::Num(*n)), span, ty))
            }
            ast::ExprKind::Str(s) => Some(Typed::new(ExprKind::Const(Value::Str(s.as_str().into())), span, Type::Str)),
            ast::ExprKind::Date(d) => Some(Typed::new(ExprKind::Const(Value::Date(*d)), span, Type::Date)),
            ast::ExprKind::Duration { amount, unit } => self.duration(*amount, *unit, span),
            ast::ExprKind::Money { amount, currency } => {
                Some(Typed::new(ExprKind::Const(Value::Num(*amount)), span, Type::Money(currency.as_str().into())))
            }
            ast::ExprKind::Path(segs) => self.path(segs, span, want),
            ast::ExprKind::Unary { op, operand } => self.unary(*op, operand, span),
            ast::ExprKind::Binary { op, op_span, lhs, rhs } => self.binary(*op, *op_span, lhs, rhs, span),
            ast::ExprKind::Presence { operand, present } => {
                let t = self.expr(operand, None)?;
                if !matches!(t.expr.kind, ExprKind::Input { .. } | ExprKind::Output(_) | ExprKind::Field { .. }) {
                    self.type_error(
                        operand.span,
                        "only a field or an output can be present or absent".into(),
                        "not a field".into(),
                        None,
                    );
                    return None;
                }
                Some(Typed::new(ExprKind::Presence { operand: Box::new(t.expr), present: *present }, span, Type::Bool))
            }
            ast::ExprKind::If { cond, then, otherwise } => {
                let c = self.condition(cond);
                // Each branch says what a bare value of an enumeration in the other is:
                // the one that is not such a value is typed first.
                let (a, b) = if want.is_none() && self.is_bare_variant(then) && !self.is_bare_variant(otherwise) {
                    let b = self.expr(otherwise, None);
                    let want_a = b.as_ref().map(|b| b.ty.clone());
                    (self.expr(then, want_a.as_ref()), b)
                } else {
                    let a = self.expr(then, want);
                    let want_b = a.as_ref().map(|a| a.ty.clone()).or_else(|| want.cloned());
                    let b = self.expr(otherwise, want_b.as_ref());
                    (a, b)
                };
                let (c, a, b) = (c?, a?, b?);
                let Some(ty) = a.ty.unify(&b.ty) else {
                    let (ta, tb) = (self.show(&a.ty), self.show(&b.ty));
                    self.type_error(
                        otherwise.span,
                        format!("the branches of `if` differ: {ta} and {tb}"),
                        format!("this is {tb}"),
                        None,
                    );
                    return None;
                };
                let kind = ExprKind::If { cond: Box::new(c), then: Box::new(a.expr), otherwise: Box::new(b.expr) };
                Some(Typed::new(kind, span, ty))
            }
            ast::ExprKind::Quantifier { kind, var, list, body } => {
                let l = self.expr(list, None)?;
                let Type::List(elem) = l.ty.clone() else {
                    let found = self.show(&l.ty);
                    self.type_error(
                        list.span,
                        format!("`{}` needs a list, found {found}", quantifier_name(*kind)),
                        format!("this is {found}"),
                        None,
                    );
                    return None;
                };
                let depth = self.scopes.len();
                let slot = self.bind(&var.name, *elem);
                let b = self.condition(body);
                self.scopes.truncate(depth);
                let ty = if *kind == ast::QuantifierKind::Count { Type::Int } else { Type::Bool };
                Some(Typed::new(
                    ExprKind::Quantifier { kind: *kind, slot, list: Box::new(l.expr), body: Box::new(b?) },
                    span,
                    ty,
                ))
            }
            ast::ExprKind::Comprehension { element, clauses, filter } => {
                let depth = self.scopes.len();
                let mut compiled = Vec::new();
                let mut ok = true;
                for (var, list) in clauses {
                    let Some(l) = self.expr(list, None) else {
                        ok = false;
                        break;
                    };
                    let Type::List(elem) = l.ty.clone() else {
                        let found = self.show(&l.ty);
                        self.type_error(
                            list.span,
                            format!("`for` needs a list, found {found}"),
                            format!("this is {found}"),
                            None,
                        );
                        ok = false;
                        break;
                    };
                    let slot = self.bind(&var.name, *elem);
                    compiled.push((slot, l.expr));
                }
                let result = if ok {
                    let el = self.expr(element, None);
                    let f = filter.as_ref().map(|f| self.condition(f));
                    match (el, f) {
                        (Some(el), None) => Some((el, None)),
                        (Some(el), Some(Some(f))) => Some((el, Some(Box::new(f)))),
                        _ => None,
                    }
                } else {
                    None
                };
                self.scopes.truncate(depth);
                let (el, filter) = result?;
                let ty = Type::List(Box::new(el.ty));
                Some(Typed::new(
                    ExprKind::Comprehension { element: Box::new(el.expr), clauses: compiled, filter },
                    span,
                    ty,
                ))
            }
            ast::ExprKind::List(items) => {
                let want_elem = match want {
                    Some(Type::List(t)) => Some((**t).clone()),
                    _ => None,
                };
                let mut ty = want_elem.clone().unwrap_or(Type::Unknown);
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let mut t = self.expr(item, Some(&ty).filter(|t| **t != Type::Unknown))?;
                    if ty != Type::Unknown && t.ty != ty {
                        t = self.expect(t, &ty, "the items of a list must have one type")?;
                    }
                    ty = t.ty.clone();
                    out.push(t.expr);
                }
                let all_const = out.iter().all(|e| matches!(e.kind, ExprKind::Const(_)));
                let kind = if all_const {
                    ExprKind::Const(Value::List(
                        out.into_iter()
                            .filter_map(|e| if let ExprKind::Const(v) = e.kind { Some(v) } else { None })
                            .collect(),
                    ))
                } else {
                    ExprKind::List(out)
                };
                Some(Typed::new(kind, span, Type::List(Box::new(ty))))
            }
            ast::ExprKind::Call { name, args } => self.call(name, args, span),
        }
    }

    /// Whether `e` is a bare name that is no binding, output, input part or
    /// parameter but a value of some enumeration.
    fn is_bare_variant(&self, e: &ast::Expr) -> bool {
        let ast::ExprKind::Path(segs) = &e.kind else { return false };
        let [only] = segs.as_slice() else { return false };
        let name = only.name.as_str();
        self.variant_owners.contains_key(name)
            && self.lookup_local(name).is_none()
            && !self.output_index.contains_key(name)
            && name != AS_OF
            && name != PARAMS
            && !self.input_parts().any(|p| p.name == name)
    }

    fn duration(&mut self, amount: crate::number::Number, unit: ast::Unit, span: Span) -> Option<Typed> {
        use crate::number::Number;
        let value = match unit {
            ast::Unit::Days | ast::Unit::Weeks => {
                let k = if unit == ast::Unit::Weeks { 7 } else { 1 };
                match amount.checked_mul(Number::from_int(k)).ok().and_then(|n| n.to_i64()) {
                    Some(d) => (Value::Days(d), Type::Days),
                    None => {
                        self.type_error(span, "days must be whole".into(), "a fraction of a day".into(), None);
                        return None;
                    }
                }
            }
            ast::Unit::Months => (Value::Months(amount), Type::Months),
            ast::Unit::Years => (Value::Months(amount.checked_mul(Number::from_int(12)).ok()?), Type::Months),
        };
        Some(Typed::new(ExprKind::Const(value.0), span, value.1))
    }

    fn path(&mut self, segs: &[ast::Ident], span: Span, want: Option<&Type>) -> Option<Typed> {
        let first = segs.first()?;
        let rest = segs.get(1..).unwrap_or(&[]);
        let name = first.name.as_str();
        let enum_value = match want {
            Some(Type::Enum(id)) if rest.is_empty() => self.pack.schema.variant(*id, name).map(|v| (*id, v)),
            _ => None,
        };
        let base = if let Some(scope) = self.lookup_local(name) {
            Typed::new(ExprKind::Local(scope.slot), first.span, scope.ty.clone())
        } else if let (Some((id, v)), false) = (enum_value, self.output_index.contains_key(name)) {
            // Compared with an enumeration, a value of it wins over an input part of the same name.
            return Some(Typed::new(ExprKind::Const(Value::Enum(v)), span, Type::Enum(id)));
        } else if name == AS_OF {
            Typed::new(ExprKind::AsOf, first.span, Type::Date)
        } else if name == PARAMS {
            return self.param(segs, span);
        } else if let Some(&o) = self.output_index.get(name) {
            if self.rule_outputs.contains(&o) && !self.own_outputs.contains(&o) {
                self.type_error(
                    first.span,
                    format!("`{name}` is used before it is computed"),
                    "not computed yet".into(),
                    Some("move the `output` statement before this use".into()),
                );
                return None;
            }
            let ty = self.outputs.get(o).map(|d| d.ty.clone()).unwrap_or(Type::Unknown);
            Typed::new(ExprKind::Output(o), first.span, ty)
        } else if let Some((i, part)) = self.input_parts().enumerate().find(|(_, p)| p.name == name) {
            self.fields_read.insert((self.pack.schema.input, i));
            let mut path = vec![i];
            let mut ty = part.ty.clone();
            let mut full = name.to_string();
            let mut last = first.span;
            let mut consumed = 0;
            for seg in rest {
                let Type::Record(rid) = ty else { break };
                let (fi, fty) = self.field(rid, seg)?;
                path.push(fi);
                ty = fty;
                full.push('.');
                full.push_str(&seg.name);
                last = seg.span;
                consumed += 1;
            }
            let base = Typed::new(ExprKind::Input { path: path.into(), name: full }, first.span.to(last), ty);
            return self.fields(base, rest.get(consumed..).unwrap_or(&[]));
        } else {
            if let (Some(Type::Enum(id)), true) = (want, rest.is_empty()) {
                let v = self.variant(*id, name, first.span, &None, None)?;
                return Some(Typed::new(ExprKind::Const(Value::Enum(v)), span, Type::Enum(*id)));
            }
            if rest.is_empty() {
                // A bare value of an enumeration where nothing says which: the one
                // enumeration that has it.
                match self.variant_owners.get(name).map(Vec::as_slice) {
                    Some([(id, v)]) => {
                        return Some(Typed::new(ExprKind::Const(Value::Enum(*v)), span, Type::Enum(*id)))
                    }
                    Some(owners @ [_, _, ..]) => {
                        let names: Vec<String> =
                            owners.iter().map(|(id, _)| format!("`{}`", self.show(&Type::Enum(*id)))).collect();
                        let first_owner = owners.first().map(|(id, _)| self.show(&Type::Enum(*id))).unwrap_or_default();
                        self.type_error(
                            first.span,
                            format!("`{name}` is a value of several enumerations: {}", names.join(", ")),
                            "which one?".into(),
                            Some(format!(
                                "say which where it is used: compare it with a field of that type, or declare the \
                                 output's type, such as `output x: {} = ...`",
                                first_owner
                            )),
                        );
                        return None;
                    }
                    _ => {}
                }
            }
            let mut names: Vec<String> = self.scopes.iter().map(|s| s.name.clone()).collect();
            names.extend(self.output_index.keys().cloned());
            names.extend(self.input_parts().map(|p| p.name.clone()));
            names.extend([AS_OF.to_string(), PARAMS.to_string()]);
            let help = did_you_mean(name, names.iter().map(String::as_str));
            self.push(CheckError::UnknownName {
                name: name.to_string(),
                src: self.src(),
                span: first.span.into(),
                help,
            });
            return None;
        };
        self.fields(base, rest)
    }

    fn field(&mut self, rid: usize, seg: &ast::Ident) -> Option<(usize, Type)> {
        let rec = self.pack.schema.record(rid)?;
        match rec.fields.iter().position(|f| f.name == seg.name) {
            Some(i) => {
                self.fields_read.insert((rid, i));
                rec.fields.get(i).map(|f| (i, f.ty.clone()))
            }
            None => {
                let help = did_you_mean(&seg.name, rec.fields.iter().map(|f| f.name.as_str()));
                let e = CheckError::UnknownField {
                    field: seg.name.clone(),
                    record: rec.name.clone(),
                    src: self.src(),
                    span: seg.span.into(),
                    help,
                };
                self.push(e);
                None
            }
        }
    }

    fn fields(&mut self, mut base: Typed, rest: &[ast::Ident]) -> Option<Typed> {
        for seg in rest {
            let Type::Record(rid) = base.ty else {
                let found = self.show(&base.ty);
                self.type_error(
                    seg.span,
                    format!("`{}` is {found}, which has no fields", seg.name),
                    "no such field".into(),
                    None,
                );
                return None;
            };
            let (index, ty) = self.field(rid, seg)?;
            let span = base.expr.span.to(seg.span);
            base = Typed::new(ExprKind::Field { base: Box::new(base.expr), index, name: seg.name.clone() }, span, ty);
        }
        Some(base)
    }

    pub(super) fn param(&mut self, segs: &[ast::Ident], span: Span) -> Option<Typed> {
        let mut level: &[(crate::pack::Key, ParamNode)] = &self.pack.params.root;
        let mut path = PARAMS.to_string();
        for (i, seg) in segs.iter().enumerate().skip(1) {
            path.push('.');
            path.push_str(&seg.name);
            let Some((_, node)) = level.iter().find(|(k, _)| k.name == seg.name) else {
                let whole: Vec<&str> = segs.iter().skip(1).map(|s| s.name.as_str()).collect();
                if self.declared_params.contains(whole.join(".").as_str()) {
                    // Declared but not set: reported in params.toml, not at every use.
                    return None;
                }
                let help = did_you_mean(&seg.name, level.iter().map(|(k, _)| k.name.as_str())).or_else(|| {
                    Some(format!(
                        "the parameters here are: {}",
                        level.iter().map(|(k, _)| k.name.as_str()).collect::<Vec<_>>().join(", ")
                    ))
                });
                self.push(CheckError::UnknownParam { path, src: self.src(), span: seg.span.into(), help });
                return None;
            };
            match node {
                ParamNode::Table(t) => level = t,
                ParamNode::Leaf(p) => {
                    let key = path.strip_prefix("params.").unwrap_or(&path).to_string();
                    if !self.rule_params.contains(&key) {
                        self.rule_params.push(key.clone());
                    }
                    let at = segs
                        .get(..=i)
                        .and_then(|s| s.last())
                        .map_or(span, |l| segs.first().map_or(span, |f| f.span.to(l.span)));
                    let kind = if p.is_dated() {
                        self.dated(&key, &p.versions, at)?
                    } else {
                        ExprKind::Const(p.value.clone())
                    };
                    let t = Typed {
                        expr: Expr { kind, span: at, ty: p.ty.clone() },
                        ty: p.ty.clone(),
                        origin: Some((p.span.clone(), p.item_spans.clone())),
                    };
                    return self.fields(t, segs.get(i + 1..).unwrap_or(&[]));
                }
            }
        }
        let help = Some(format!(
            "name one of: {}",
            level.iter().map(|(k, _)| format!("{path}.{}", k.name)).collect::<Vec<_>>().join(", ")
        ));
        self.push(CheckError::UnknownParam {
            path: format!("{path} (a table, not a value)"),
            src: self.src(),
            span: span.into(),
            help,
        });
        None
    }

    fn unary(&mut self, op: UnaryOp, operand: &ast::Expr, span: Span) -> Option<Typed> {
        match op {
            UnaryOp::Not => {
                let c = self.condition(operand)?;
                Some(Typed::new(ExprKind::Not(Box::new(c)), span, Type::Bool))
            }
            UnaryOp::Neg => {
                let t = self.expr(operand, None)?;
                if !matches!(t.ty, Type::Int | Type::Decimal | Type::Days | Type::Months | Type::Money(_)) {
                    let found = self.show(&t.ty);
                    self.type_error(operand.span, format!("cannot negate {found}"), format!("this is {found}"), None);
                    return None;
                }
                let ty = t.ty.clone();
                Some(Typed::new(ExprKind::Neg(Box::new(t.expr)), span, ty))
            }
        }
    }

    /// Checks both operands; a bare name on one side may be a value of the other's enumeration.
    fn operands(&mut self, lhs: &ast::Expr, rhs: &ast::Expr, rhs_is_list: bool) -> Option<(Typed, Typed)> {
        if self.is_unbound_name(lhs) {
            // `gold in levels`: the value belongs to the enumeration of the list's items.
            let r = self.expr(rhs, None)?;
            let want = match (&r.ty, rhs_is_list) {
                (Type::List(item), true) => (**item).clone(),
                (other, _) => other.clone(),
            };
            let l = self.expr(lhs, Some(&want))?;
            return Some((l, r));
        }
        let l = self.expr(lhs, None);
        // A bare value beside a failed operand cannot be resolved: say nothing more about it.
        if l.is_none() && self.is_unbound_name(rhs) {
            return None;
        }
        let want = l.as_ref().map(|l| if rhs_is_list { Type::List(Box::new(l.ty.clone())) } else { l.ty.clone() });
        let r = self.expr(rhs, want.as_ref());
        Some((l?, r?))
    }

    fn is_unbound_name(&self, e: &ast::Expr) -> bool {
        let ast::ExprKind::Path(segs) = &e.kind else {
            return false;
        };
        let [only] = segs.as_slice() else {
            return false;
        };
        let n = only.name.as_str();
        self.lookup_local(n).is_none()
            && n != AS_OF
            && n != PARAMS
            && !self.output_index.contains_key(n)
            && !self.input_parts().any(|p| p.name == n)
    }

    fn binary(&mut self, op: BinaryOp, op_span: Span, lhs: &ast::Expr, rhs: &ast::Expr, span: Span) -> Option<Typed> {
        let node = |op: Op, l: Typed, r: Typed, ty: Type| {
            Some(Typed::new(ExprKind::Binary { op, lhs: Box::new(l.expr), rhs: Box::new(r.expr) }, span, ty))
        };
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let l = self.condition(lhs);
                let r = self.condition(rhs);
                let o = if op == BinaryOp::And { Op::And } else { Op::Or };
                Some(Typed::new(ExprKind::Binary { op: o, lhs: Box::new(l?), rhs: Box::new(r?) }, span, Type::Bool))
            }
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let (l, r) = self.operands(lhs, rhs, false)?;
                let (l, r) = self.same_type(l, r, op, op_span)?;
                let ordered = matches!(
                    l.ty,
                    Type::Int
                        | Type::Decimal
                        | Type::Date
                        | Type::Days
                        | Type::Months
                        | Type::Money(_)
                        | Type::Str
                        | Type::Enum(_)
                );
                if !matches!(op, BinaryOp::Eq | BinaryOp::Ne) && !ordered {
                    let found = self.show(&l.ty);
                    self.type_error(
                        op_span,
                        format!("{found} values have no order"),
                        format!("`{}` needs numbers, dates or durations", op.symbol()),
                        None,
                    );
                    return None;
                }
                let o = match op {
                    BinaryOp::Eq => Op::Eq,
                    BinaryOp::Ne => Op::Ne,
                    BinaryOp::Lt => Op::Lt,
                    BinaryOp::Le => Op::Le,
                    BinaryOp::Gt => Op::Gt,
                    _ => Op::Ge,
                };
                node(o, l, r, Type::Bool)
            }
            BinaryOp::In | BinaryOp::NotIn => {
                let rhs_is_range = matches!(
                    &rhs.kind,
                    ast::ExprKind::Binary { op: BinaryOp::RangeInclusive | BinaryOp::RangeExclusive, .. }
                );
                let (l, r) = self.operands(lhs, rhs, !rhs_is_range)?;
                let r = match (&l.ty, &r.ty) {
                    (Type::Enum(_), Type::List(inner)) if **inner == Type::Str => {
                        let want = Type::List(Box::new(l.ty.clone()));
                        self.expect(r, &want, "`in` looks for a value in a list of the same type")?
                    }
                    _ => r,
                };
                let o = if op == BinaryOp::In { Op::In } else { Op::NotIn };
                let elem = match &r.ty {
                    Type::List(t) | Type::Range(t) => (**t).clone(),
                    other => {
                        let found = self.show(other);
                        self.type_error(
                            rhs.span,
                            format!("`{}` needs a list or a range, found {found}", op.symbol()),
                            format!("this is {found}"),
                            None,
                        );
                        return None;
                    }
                };
                if elem != Type::Unknown && l.ty.unify(&elem).is_none() {
                    let (a, b) = (self.show(&l.ty), self.show(&r.ty));
                    self.type_error(op_span, format!("cannot look for {a} in {b}"), "types differ".into(), None);
                    return None;
                }
                node(o, l, r, Type::Bool)
            }
            BinaryOp::RangeInclusive | BinaryOp::RangeExclusive => {
                let (l, r) = self.operands(lhs, rhs, false)?;
                let (l, r) = self.same_type(l, r, op, op_span)?;
                let ty = Type::Range(Box::new(l.ty.clone()));
                node(Op::Range { inclusive: op == BinaryOp::RangeInclusive }, l, r, ty)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let l = self.expr(lhs, None);
                let r = self.expr(rhs, None);
                let (l, r) = (l?, r?);
                match arithmetic(op, &l.ty, &r.ty) {
                    Some((o, ty, swap)) => {
                        if swap {
                            node(o, r, l, ty)
                        } else {
                            node(o, l, r, ty)
                        }
                    }
                    None => {
                        let (a, b) = (self.show(&l.ty), self.show(&r.ty));
                        let help = arithmetic_help(op, &l.ty, &r.ty);
                        let e = CheckError::Type {
                            message: format!("cannot {} {b} {} {a}", verb(op), preposition(op)),
                            src: self.src(),
                            span: op_span.into(),
                            label: format!("{a} {} {b}", op.symbol()),
                            help,
                            related: self.param_note(&r.origin, None, "has this type"),
                        };
                        self.push(e);
                        None
                    }
                }
            }
        }
    }

    fn same_type(&mut self, l: Typed, r: Typed, op: BinaryOp, op_span: Span) -> Option<(Typed, Typed)> {
        if l.ty.unify(&r.ty).is_some() {
            return Some((l, r));
        }
        if matches!(l.ty, Type::Enum(_)) {
            let want = l.ty.clone();
            return Some((l, self.expect(r, &want, &format!("`{}` compares values of one type", op.symbol()))?));
        }
        if matches!(r.ty, Type::Enum(_)) {
            let want = r.ty.clone();
            return Some((self.expect(l, &want, &format!("`{}` compares values of one type", op.symbol()))?, r));
        }
        let (a, b) = (self.show(&l.ty), self.show(&r.ty));
        let help = conversion_help(&r.ty, &l.ty);
        self.type_error(op_span, format!("cannot compare {a} with {b}"), format!("{a} {} {b}", op.symbol()), help);
        None
    }
}

fn quantifier_name(k: ast::QuantifierKind) -> &'static str {
    match k {
        ast::QuantifierKind::Any => "any",
        ast::QuantifierKind::All => "all",
        ast::QuantifierKind::Count => "count",
    }
}

fn verb(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "add",
        BinaryOp::Sub => "subtract",
        BinaryOp::Mul => "multiply",
        _ => "divide",
    }
}

fn preposition(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "to",
        BinaryOp::Sub => "from",
        BinaryOp::Mul => "with",
        _ => "into",
    }
}

/// The operator for `l op r`, its result type, and whether operands are swapped.
fn arithmetic(op: BinaryOp, l: &Type, r: &Type) -> Option<(Op, Type, bool)> {
    use Type::*;
    let num = |a: &Type, b: &Type| if *a == Int && *b == Int { Int } else { Decimal };
    Some(match (op, l, r) {
        (BinaryOp::Add, a, b) if a.is_numeric() && b.is_numeric() => (Op::AddNum, num(a, b), false),
        (BinaryOp::Sub, a, b) if a.is_numeric() && b.is_numeric() => (Op::SubNum, num(a, b), false),
        (BinaryOp::Mul, a, b) if a.is_numeric() && b.is_numeric() => (Op::MulNum, num(a, b), false),
        (BinaryOp::Div, a, b) if a.is_numeric() && b.is_numeric() => (Op::DivNum, Decimal, false),
        (BinaryOp::Add, Money(a), Money(b)) if a == b => (Op::AddNum, Money(a.clone()), false),
        (BinaryOp::Sub, Money(a), Money(b)) if a == b => (Op::SubNum, Money(a.clone()), false),
        (BinaryOp::Mul, Money(a), n) if n.is_numeric() => (Op::MulNum, Money(a.clone()), false),
        (BinaryOp::Mul, n, Money(a)) if n.is_numeric() => (Op::MulNum, Money(a.clone()), false),
        (BinaryOp::Div, Money(a), n) if n.is_numeric() => (Op::DivNum, Money(a.clone()), false),
        (BinaryOp::Div, Money(a), Money(b)) if a == b => (Op::DivNum, Decimal, false),
        (BinaryOp::Add, Date, Days) => (Op::DateAddDays, Date, false),
        (BinaryOp::Add, Days, Date) => (Op::DateAddDays, Date, true),
        (BinaryOp::Sub, Date, Days) => (Op::DateSubDays, Date, false),
        (BinaryOp::Add, Date, Months) => (Op::DateAddMonths, Date, false),
        (BinaryOp::Add, Months, Date) => (Op::DateAddMonths, Date, true),
        (BinaryOp::Sub, Date, Months) => (Op::DateSubMonths, Date, false),
        (BinaryOp::Sub, Date, Date) => (Op::DateDiff, Days, false),
        (BinaryOp::Add, Days, Days) => (Op::AddDays, Days, false),
        (BinaryOp::Sub, Days, Days) => (Op::SubDays, Days, false),
        (BinaryOp::Add, Months, Months) => (Op::AddMonths, Months, false),
        (BinaryOp::Sub, Months, Months) => (Op::SubMonths, Months, false),
        (BinaryOp::Mul, Days, Int) => (Op::ScaleDays, Days, false),
        (BinaryOp::Mul, Int, Days) => (Op::ScaleDays, Days, true),
        (BinaryOp::Mul, Months, n) if n.is_numeric() => (Op::ScaleMonths, Months, false),
        (BinaryOp::Mul, n, Months) if n.is_numeric() => (Op::ScaleMonths, Months, true),
        (BinaryOp::Div, Months, n) if n.is_numeric() => (Op::DivMonths, Months, false),
        _ => return None,
    })
}

fn arithmetic_help(op: BinaryOp, l: &Type, r: &Type) -> Option<String> {
    use Type::*;
    match (op, l, r) {
        (BinaryOp::Add | BinaryOp::Sub, Date, n) | (BinaryOp::Add, n, Date) if n.is_numeric() => {
            Some("a number has no unit: write `30 days`, `12 months` or `1 year`, or `days(n)` / `months(n)` for a computed number".into())
        }
        (BinaryOp::Add | BinaryOp::Sub, Days, Months) | (BinaryOp::Add | BinaryOp::Sub, Months, Days) => {
            Some("days and months do not add up without a rule: add them to a date one after the other (`d + 1 month + 3 days`)".into())
        }
        (_, Money(a), Money(b)) if a != b => Some(format!("amounts in {a} and {b} cannot be mixed")),
        _ => None,
    }
}

fn conversion_help(found: &Type, want: &Type) -> Option<String> {
    use Type::*;
    match (found, want) {
        (n, Days) | (n, Months) if n.is_numeric() => {
            Some("give the number a unit: `days(n)`, `months(n)` or a literal such as `30 days`".into())
        }
        (Str, Enum(_)) => Some("only a fixed string can stand for an enumeration value".into()),
        _ => None,
    }
}
