//! Evaluation of a compiled program for one scenario. Every rule whose guard holds
//! runs its statements in order; a decision is `deny` when any rule denied.

mod builtins;
mod error;

pub use error::EvalError;

use crate::ast::{EffectKind, QuantifierKind, Span};
use crate::calendar;
use crate::number::{ArithError, Number};
use crate::outcome::{Decision, Finding, Outcome};
use crate::program::write_display;
use crate::program::{Expr, ExprKind, MessagePart, Op, Program, Stmt};
use crate::types::Type;
use crate::value::Value;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// Slots for bindings and outputs, reused across evaluations on a thread instead
/// of allocated for each.
mod scratch {
    use crate::value::Value;
    use std::cell::RefCell;

    thread_local! {
        static FREE: RefCell<Vec<Vec<Option<Value>>>> = const { RefCell::new(Vec::new()) };
    }

    /// Kept per thread: a frame and the outputs, for a few evaluations in flight.
    const KEPT: usize = 8;

    pub fn take(len: usize) -> Vec<Option<Value>> {
        let mut slots = FREE.with(|f| f.borrow_mut().pop()).unwrap_or_default();
        slots.resize(len, None);
        slots
    }

    pub fn give(mut slots: Vec<Option<Value>>) {
        if slots.capacity() == 0 {
            return;
        }
        slots.clear();
        FREE.with(|f| {
            let mut free = f.borrow_mut();
            if free.len() < KEPT {
                free.push(slots);
            }
        });
    }
}

/// Why an expression has no value; turned into an [`EvalError`] with the rule and
/// the scenario only when it escapes a rule.
#[derive(Debug)]
pub(crate) enum Fault {
    MissingInput { name: String, span: Span },
    MissingOutput { output: usize, span: Span },
    DivisionByZero(Span),
    OutOfRange(Span, &'static str),
}

/// Boxed: faults are rare, and a small error keeps every step's result small.
pub(crate) type Eval<T> = Result<T, Box<Fault>>;

fn arith(span: Span) -> impl Fn(ArithError) -> Box<Fault> {
    move |e| match e {
        ArithError::DivisionByZero => Box::new(Fault::DivisionByZero(span)),
        ArithError::Overflow => Box::new(Fault::OutOfRange(span, "the number overflows")),
    }
}

pub(crate) struct Machine<'p, O> {
    pub(crate) program: &'p Program,
    as_of: NaiveDate,
    /// `as_of` as a value, so that a condition reads it in place like any other.
    as_of_value: Value,
    /// The day whose rules and parameter values decide: `as_of`, unless the program
    /// is pinned to another (`Program::rules_on`).
    on: NaiveDate,
    input: &'p [Option<Value>],
    frame: &'p mut [Option<Value>],
    outputs: &'p mut [Option<Value>],
    observer: &'p mut O,
    /// Whether findings get their messages written; their parts that could fail are
    /// evaluated either way, so that the outcome (or the error) is the same.
    messages: bool,
    /// How deep the walk of the expression tree is, to look at the stack only
    /// every few levels.
    depth: u32,
}

/// Sees which way each decision point of a rule went: the guard, and the condition
/// of each output or effect (an unconditional one counts as taken). Coverage and
/// traces are observers; plain evaluation uses [`Unobserved`], which costs nothing.
pub trait Observer {
    fn guard(&mut self, rule: usize, applies: bool);
    /// `statement` is the index in the rule's body; `taken` whether its condition held.
    fn statement(&mut self, rule: usize, statement: usize, taken: bool);
    /// A statement ran to its end: a `let` or an output has its value, an effect
    /// its message. Not called for a statement whose condition did not hold.
    #[inline(always)]
    fn finished(&mut self, _rule: usize, _statement: usize) {}
    /// Whether [`Observer::value`] wants to be called; when not, evaluation skips it
    /// altogether.
    const SEES_VALUES: bool = false;
    /// Whether the guard of every rule must run; when not, only the rules that can
    /// apply to the scenario run (`Program::dispatch`), with the same outcome.
    const SEES_EVERY_RULE: bool = true;
    /// The value an expression took, innermost first, in evaluation order.
    #[inline(always)]
    fn value(&mut self, _expr: &Expr, _value: &Value) {}
    /// Whether [`Observer::branch`] and [`Observer::connective`] want to be called.
    const SEES_BRANCHES: bool = false;
    /// An `if` took its `then` branch (`then`), or its `else` branch.
    #[inline(always)]
    fn branch(&mut self, _expr: &Expr, _then: bool) {}
    /// A chain of one connective (`a and b and c`, the operands in [`chain`]) was
    /// decided: `at` is the operand that decided it on its own (the first false of
    /// an `and`, the first true of an `or`), or the number of operands when every
    /// one was needed.
    #[inline(always)]
    fn connective(&mut self, _expr: &Expr, _at: usize, _result: bool) {}
}

/// The operands of a chain of one connective (`op` is `And` or `Or`), left to
/// right: `a and b and c` is three operands, `a and (b or c)` two.
pub fn chain(e: &Expr, op: Op) -> Vec<&Expr> {
    let mut out = Vec::new();
    let mut at = e;
    let mut right = Vec::new();
    // Left-leaning: walk down the left side, keeping the right operands.
    while let ExprKind::Binary { op: o, lhs, rhs } = &at.kind {
        if *o != op {
            break;
        }
        right.push(&**rhs);
        at = lhs;
    }
    out.push(at);
    out.extend(right.into_iter().rev());
    out
}

pub struct Unobserved;

impl Observer for Unobserved {
    const SEES_EVERY_RULE: bool = false;

    #[inline(always)]
    fn guard(&mut self, _: usize, _: bool) {}
    #[inline(always)]
    fn statement(&mut self, _: usize, _: usize, _: bool) {}
}

/// Evaluates `program` for one scenario whose typed input is `input` (the parts of
/// the schema's input record, in declaration order).
pub fn evaluate(
    program: &Program,
    as_of: NaiveDate,
    input: &[Option<Value>],
    scenario: &str,
) -> Result<Outcome, EvalError> {
    evaluate_observed(program, as_of, input, scenario, &mut Unobserved)
}

/// [`evaluate`] for a caller that wants the decision and outputs only: findings
/// carry empty messages, and no message text is written.
pub fn evaluate_quietly(
    program: &Program,
    as_of: NaiveDate,
    input: &[Option<Value>],
    scenario: &str,
) -> Result<Outcome, EvalError> {
    run(program, as_of, input, scenario, &mut Unobserved, false)
}

/// [`evaluate`], reporting every decision point to `observer`.
pub fn evaluate_observed<O: Observer>(
    program: &Program,
    as_of: NaiveDate,
    input: &[Option<Value>],
    scenario: &str,
    observer: &mut O,
) -> Result<Outcome, EvalError> {
    run(program, as_of, input, scenario, observer, true)
}

/// The value of an expression that reads neither the scenario nor a binding made
/// outside it, whose loops bind slots below `slots`; `None` when it has none
/// (evaluating it says why, for each scenario).
pub(crate) fn constant(program: &Program, e: &Expr, slots: usize) -> Option<Value> {
    let mut frame = vec![None; slots];
    let placeholder = NaiveDate::MIN;
    let mut m = Machine {
        program,
        as_of: placeholder,
        as_of_value: Value::Date(placeholder),
        on: placeholder,
        input: &[],
        frame: &mut frame,
        outputs: &mut [],
        observer: &mut Unobserved,
        messages: false,
        depth: 0,
    };
    m.eval(e).ok()
}

/// Runs `f` with a frame of `frame` slots and `outputs` output slots: on the stack,
/// as many as needed in steps (each slot is made and dropped with every evaluation),
/// or beyond that reused per thread.
fn with_slots<R>(frame: usize, outputs: usize, f: impl FnOnce(&mut [Option<Value>], &mut [Option<Value>]) -> R) -> R {
    match frame + outputs {
        0..=4 => on_stack::<4, R>(frame, outputs, f),
        5..=16 => on_stack::<16, R>(frame, outputs, f),
        17..=32 => on_stack::<32, R>(frame, outputs, f),
        _ => {
            let (mut heap_frame, mut heap_outputs) = (scratch::take(frame), scratch::take(outputs));
            let r = f(&mut heap_frame, &mut heap_outputs);
            scratch::give(heap_frame);
            scratch::give(heap_outputs);
            r
        }
    }
}

/// [`with_slots`] with `N` slots on the stack, enough for `frame + outputs`.
fn on_stack<const N: usize, R>(
    frame: usize,
    outputs: usize,
    f: impl FnOnce(&mut [Option<Value>], &mut [Option<Value>]) -> R,
) -> R {
    let mut inline: [Option<Value>; N] = std::array::from_fn(|_| None);
    match inline.get_mut(..frame + outputs) {
        Some(few) => {
            let (frame, outputs) = few.split_at_mut(frame);
            f(frame, outputs)
        }
        // Not reached: `with_slots` picks an `N` large enough.
        None => f(&mut vec![None; frame], &mut vec![None; outputs]),
    }
}

fn run<O: Observer>(
    program: &Program,
    as_of: NaiveDate,
    input: &[Option<Value>],
    scenario: &str,
    observer: &mut O,
    messages: bool,
) -> Result<Outcome, EvalError> {
    with_slots(program.frame_size, program.outputs.len(), |frame, outputs| {
        let as_of_value = Value::Date(as_of);
        let on = program.rules_on.unwrap_or(as_of);
        run_in(
            Machine { program, as_of, as_of_value, on, input, frame, outputs, observer, messages, depth: 0 },
            scenario,
        )
    })
}

/// Runs the rules that can apply, with the machine's slots.
fn run_in<O: Observer>(mut m: Machine<'_, O>, scenario: &str) -> Result<Outcome, EvalError> {
    let (program, input) = (m.program, m.input);
    let mut outcome = Outcome {
        decision: Decision::Allow,
        denials: Vec::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
        outputs: Vec::new(),
    };
    let listed = if O::SEES_EVERY_RULE { None } else { program.dispatch.as_ref().and_then(|d| d.rules_for(input)) };
    match listed {
        Some(rules) => {
            for &index in rules {
                m.run_rule(index, &mut outcome).map_err(|f| m.error(*f, index, scenario))?;
            }
        }
        None => {
            for index in 0..program.rules.len() {
                m.run_rule(index, &mut outcome).map_err(|f| m.error(*f, index, scenario))?;
            }
        }
    }
    outcome.outputs = m.outputs.iter_mut().enumerate().filter_map(|(i, v)| v.take().map(|v| (i, v))).collect();
    if !outcome.denials.is_empty() {
        outcome.decision = Decision::Deny;
    }
    Ok(outcome)
}

impl<O: Observer> Machine<'_, O> {
    fn run_rule(&mut self, index: usize, outcome: &mut Outcome) -> Eval<()> {
        let program = self.program;
        let Some(rule) = program.rules.get(index) else {
            return Ok(());
        };
        // A version not in force decides nothing and is not seen to run.
        if !rule.in_force_on(self.on) {
            return Ok(());
        }
        let applies = match &rule.guard {
            Some(g) => self.truth(g)?,
            None => true,
        };
        self.observer.guard(index, applies);
        if !applies {
            return Ok(());
        }
        self.frame.iter_mut().for_each(|s| *s = None);
        for (at, stmt) in rule.body.iter().enumerate() {
            match stmt {
                Stmt::Let { slot, value, .. } => {
                    let v = self.eval(value)?;
                    if let Some(s) = self.frame.get_mut(*slot) {
                        *s = Some(v);
                    }
                    self.observer.finished(index, at);
                }
                Stmt::Output { output, value, condition } => {
                    let taken = self.holds(condition)?;
                    self.observer.statement(index, at, taken);
                    if taken {
                        let v = self.eval(value)?;
                        if let Some(o) = self.outputs.get_mut(*output) {
                            *o = Some(v);
                        }
                        self.observer.finished(index, at);
                    }
                }
                Stmt::Effect { kind, message, room, condition, .. } => {
                    let taken = self.holds(condition)?;
                    self.observer.statement(index, at, taken);
                    if taken {
                        let finding = Finding { rule: index, message: self.message(message, *room)? };
                        match kind {
                            EffectKind::Deny => outcome.denials.push(finding),
                            EffectKind::Warn => outcome.warnings.push(finding),
                            EffectKind::Note => outcome.notes.push(finding),
                        }
                        self.observer.finished(index, at);
                    }
                }
            }
        }
        Ok(())
    }

    fn holds(&mut self, condition: &Option<Expr>) -> Eval<bool> {
        match condition {
            Some(c) => self.truth(c),
            None => Ok(true),
        }
    }

    /// A finding's message, written in a string of `room` made once (empty when
    /// messages are not written).
    fn message(&mut self, parts: &[MessagePart], room: usize) -> Eval<String> {
        let mut out = if self.messages { String::with_capacity(room) } else { String::new() };
        for p in parts {
            match p {
                MessagePart::Text(t) if self.messages => out.push_str(t),
                MessagePart::Text(_) => {}
                // Unwritten, a value that is already there is not read: reading it
                // cannot fail. Any other is evaluated, for the fault it may raise.
                MessagePart::Expr(e, _) if !self.messages && !O::SEES_VALUES && self.peek(e).is_some() => {}
                MessagePart::Expr(e, ty) => {
                    let v = self.eval(e)?;
                    if self.messages {
                        write_display(&mut out, &v, ty, &self.program.schema);
                    }
                }
            }
        }
        Ok(out)
    }

    fn error(&self, fault: Fault, rule_index: usize, scenario: &str) -> EvalError {
        let rule = self.program.rules.get(rule_index);
        let src = rule
            .and_then(|r| self.program.sources.get(r.file))
            .map(|f| f.named())
            .unwrap_or_else(|| crate::source::SourceFile::new("?", "").named());
        let id = rule.map(|r| r.id.clone()).unwrap_or_default();
        let scenario = scenario.to_string();
        match fault {
            Fault::MissingInput { name, span } => {
                let whose = if scenario.is_empty() { "the input" } else { "the scenario's input" };
                let help = Some(format!("add `{name}` to {whose}, or give the field a default in the schema"));
                EvalError::MissingInput {
                    rule: id,
                    field: name,
                    scenario,
                    src,
                    span: span.into(),
                    help,
                    scenario_at: Vec::new(),
                }
            }
            Fault::MissingOutput { output, span } => {
                let name = self.program.outputs.get(output).map(|o| o.name.clone()).unwrap_or_default();
                EvalError::MissingOutput {
                    rule: id,
                    output: name,
                    scenario,
                    src,
                    span: span.into(),
                    scenario_at: Vec::new(),
                }
            }
            Fault::DivisionByZero(span) => {
                EvalError::DivisionByZero { rule: id, scenario, src, span: span.into(), scenario_at: Vec::new() }
            }
            Fault::OutOfRange(span, what) => {
                let what = what.into();
                EvalError::OutOfRange { rule: id, scenario, src, span: span.into(), what, scenario_at: Vec::new() }
            }
        }
    }

    /// A chain of `and` or `or` decided operand by operand, for an observer of
    /// branches: which operand decided it is what MC/DC needs.
    fn connective(&mut self, e: &Expr, op: Op) -> Eval<bool> {
        let operands = chain(e, op);
        let decides = op == Op::Or;
        for (i, operand) in operands.iter().enumerate() {
            if self.truth(operand)? == decides {
                self.observer.connective(e, i, decides);
                return Ok(decides);
            }
        }
        self.observer.connective(e, operands.len(), !decides);
        Ok(!decides)
    }

    /// Whether a condition holds. Conditions of connectives and comparisons of
    /// numbers are worked out without making a [`Value`] of each step; an observer
    /// that sees values gets every step as a value instead.
    pub(crate) fn truth(&mut self, e: &Expr) -> Eval<bool> {
        if O::SEES_VALUES {
            return Ok(matches!(self.eval(e)?, Value::Bool(true)));
        }
        self.deeper(|m| match &e.kind {
            ExprKind::Binary { op: op @ (Op::And | Op::Or), .. } if O::SEES_BRANCHES => m.connective(e, *op),
            ExprKind::Binary { op: Op::And, lhs, rhs } => Ok(m.truth(lhs)? && m.truth(rhs)?),
            ExprKind::Binary { op: Op::Or, lhs, rhs } => Ok(m.truth(lhs)? || m.truth(rhs)?),
            ExprKind::Not(inner) => Ok(!m.truth(inner)?),
            ExprKind::Binary { op, lhs, rhs } if is_number(&lhs.ty) && is_number(&rhs.ty) => {
                let compare = match op {
                    Op::Eq => Ordering::is_eq,
                    Op::Ne => Ordering::is_ne,
                    Op::Lt => Ordering::is_lt,
                    Op::Le => Ordering::is_le,
                    Op::Gt => Ordering::is_gt,
                    Op::Ge => Ordering::is_ge,
                    _ => return Ok(matches!(m.eval_unobserved(e)?, Value::Bool(true))),
                };
                let a = m.operand(lhs)?;
                let b = m.operand(rhs)?;
                Ok(compare(a.cmp(&b)))
            }
            // Comparison and membership of values that are already there (an input
            // field, a binding, an output, `as_of`, a constant): compared where they
            // are, not copied, as `binary` compares them.
            ExprKind::Binary {
                op: op @ (Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::In | Op::NotIn),
                lhs,
                rhs,
            } => {
                if let Some(holds) = m.peek(lhs).zip(m.peek(rhs)).and_then(|(a, b)| relation(*op, a, b)) {
                    return Ok(holds);
                }
                Ok(matches!(m.eval_unobserved(e)?, Value::Bool(true)))
            }
            // A truth value that is already there (an input field, a binding) is
            // read in place.
            _ => match m.peek(e) {
                Some(Value::Bool(b)) => Ok(*b),
                _ => Ok(matches!(m.eval_unobserved(e)?, Value::Bool(true))),
            },
        })
    }

    /// The value of an expression that needs no evaluation (a constant, an input
    /// field, a binding, an output), where it is; `None` for any other, and for one
    /// without a value (evaluating it says why).
    #[inline]
    fn peek<'s>(&'s self, e: &'s Expr) -> Option<&'s Value> {
        match &e.kind {
            ExprKind::Const(v) => Some(v),
            ExprKind::AsOf => Some(&self.as_of_value),
            ExprKind::Input { path, .. } => crate::value::at_path(self.input, path),
            ExprKind::Local(slot) => self.frame.get(*slot)?.as_ref(),
            ExprKind::Output(o) => self.outputs.get(*o)?.as_ref(),
            ExprKind::Folded { value, .. } if !O::SEES_VALUES => Some(value),
            ExprKind::Dated(versions) => in_force(versions, self.on),
            _ => None,
        }
    }

    /// [`Machine::number`], with a value that is already there read without a call:
    /// most operands are such leaves.
    #[inline(always)]
    fn operand(&mut self, e: &Expr) -> Eval<Number> {
        match self.peek(e) {
            Some(Value::Num(n)) => Ok(*n),
            _ => self.number(e),
        }
    }

    /// The value of a numeric expression, its arithmetic done on numbers directly.
    fn number(&mut self, e: &Expr) -> Eval<Number> {
        if let Some(Value::Num(n)) = self.peek(e) {
            return Ok(*n);
        }
        match &e.kind {
            ExprKind::Binary { op: op @ (Op::AddNum | Op::SubNum | Op::MulNum | Op::DivNum), lhs, rhs } => {
                let (a, b) = self.deeper(|m| Ok::<_, Box<Fault>>((m.operand(lhs)?, m.operand(rhs)?)))?;
                match op {
                    Op::AddNum => a.checked_add(b),
                    Op::SubNum => a.checked_sub(b),
                    Op::MulNum => a.checked_mul(b),
                    _ => a.checked_div(b),
                }
                .map_err(arith(e.span))
            }
            _ => self.number_of_value(e),
        }
    }

    /// [`Machine::number`] of any other expression: evaluated as a value. Kept out
    /// of line, so that the arithmetic above stays small.
    #[inline(never)]
    fn number_of_value(&mut self, e: &Expr) -> Eval<Number> {
        match self.deeper(|m| m.eval_unobserved(e))? {
            Value::Num(n) => Ok(n),
            _ => Err(Fault::OutOfRange(e.span, "operands of unexpected types").into()),
        }
    }

    /// Runs one level deeper in the expression tree, looking at the stack every few
    /// levels.
    #[inline(always)]
    fn deeper<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.depth += 1;
        let r = if self.depth % crate::stack::EVERY == 0 { crate::stack::guarded(|| f(self)) } else { f(self) };
        self.depth -= 1;
        r
    }

    #[inline(always)]
    pub(crate) fn eval(&mut self, e: &Expr) -> Eval<Value> {
        if let (true, ExprKind::Folded { original, .. }) = (O::SEES_VALUES, &e.kind) {
            return self.eval(original);
        }
        let v = self.deeper(|m| m.eval_unobserved(e));
        if O::SEES_VALUES {
            if let Ok(v) = &v {
                self.observer.value(e, v);
            }
        }
        v
    }

    fn eval_unobserved(&mut self, e: &Expr) -> Eval<Value> {
        let span = e.span;
        match &e.kind {
            ExprKind::Const(v) | ExprKind::Folded { value: v, .. } => Ok(v.clone()),
            ExprKind::AsOf => Ok(Value::Date(self.as_of)),
            ExprKind::Dated(versions) => in_force(versions, self.on)
                .cloned()
                .ok_or_else(|| Fault::OutOfRange(span, "the parameter has no value in force on this day").into()),
            ExprKind::Input { path, name } => crate::value::at_path(self.input, path)
                .cloned()
                .ok_or_else(|| Fault::MissingInput { name: name.clone(), span }.into()),
            ExprKind::Field { base, index, name } => match self.eval(base)? {
                Value::Record(fields) => fields
                    .get(*index)
                    .cloned()
                    .flatten()
                    .ok_or_else(|| Fault::MissingInput { name: name.clone(), span }.into()),
                _ => Err(Fault::MissingInput { name: name.clone(), span }.into()),
            },
            ExprKind::Local(slot) => self
                .frame
                .get(*slot)
                .cloned()
                .flatten()
                .ok_or_else(|| Fault::OutOfRange(span, "a binding without a value").into()),
            ExprKind::Output(o) => {
                self.outputs.get(*o).cloned().flatten().ok_or_else(|| Fault::MissingOutput { output: *o, span }.into())
            }
            ExprKind::Not(inner) => Ok(Value::Bool(!self.truth(inner)?)),
            ExprKind::Neg(inner) => match self.eval(inner)? {
                Value::Num(n) => Ok(Value::Num(n.checked_neg().map_err(arith(span))?)),
                Value::Months(n) => Ok(Value::Months(n.checked_neg().map_err(arith(span))?)),
                Value::Days(d) => {
                    Ok(Value::Days(d.checked_neg().ok_or(Fault::OutOfRange(span, "the number overflows"))?))
                }
                other => Ok(other),
            },
            ExprKind::Presence { operand, present } => match self.eval(operand) {
                Ok(_) => Ok(Value::Bool(*present)),
                Err(f) if matches!(*f, Fault::MissingInput { .. } | Fault::MissingOutput { .. }) => {
                    Ok(Value::Bool(!*present))
                }
                Err(f) => Err(f),
            },
            ExprKind::If { cond, then, otherwise } => {
                let holds = self.truth(cond)?;
                if O::SEES_BRANCHES {
                    self.observer.branch(e, holds);
                }
                if holds {
                    self.eval(then)
                } else {
                    self.eval(otherwise)
                }
            }
            ExprKind::Binary { op: Op::AddNum | Op::SubNum | Op::MulNum | Op::DivNum, .. } if !O::SEES_VALUES => {
                Ok(Value::Num(self.number(e)?))
            }
            ExprKind::Binary { op: Op::And | Op::Or, .. } if !O::SEES_VALUES => Ok(Value::Bool(self.truth(e)?)),
            ExprKind::Binary { op: Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge, lhs, rhs }
                if !O::SEES_VALUES && is_number(&lhs.ty) && is_number(&rhs.ty) =>
            {
                Ok(Value::Bool(self.truth(e)?))
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, span),
            ExprKind::Quantifier { kind, slot, list, body } => {
                let Value::List(items) = self.eval(list)? else {
                    return Ok(Value::Bool(false));
                };
                let mut count: i64 = 0;
                for item in items.iter() {
                    if let Some(s) = self.frame.get_mut(*slot) {
                        *s = Some(item.clone());
                    }
                    let hit = self.truth(body)?;
                    match kind {
                        QuantifierKind::Any if hit => return Ok(Value::Bool(true)),
                        QuantifierKind::All if !hit => return Ok(Value::Bool(false)),
                        QuantifierKind::Count if hit => count += 1,
                        _ => {}
                    }
                }
                Ok(match kind {
                    QuantifierKind::Any => Value::Bool(false),
                    QuantifierKind::All => Value::Bool(true),
                    QuantifierKind::Count => Value::Num(Number::from_int(count)),
                })
            }
            ExprKind::Comprehension { element, clauses, filter } => {
                let mut out = Vec::new();
                self.comprehend(element, clauses, filter.as_deref(), &mut out)?;
                Ok(Value::List(out.into()))
            }
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                Ok(Value::List(out.into()))
            }
            ExprKind::Call { builtin, args, names } => self.call(*builtin, args, names.as_deref(), span),
            ExprKind::Matches { subject, pattern } => match self.eval(subject)? {
                Value::Str(s) => Ok(Value::Bool(pattern.is_match(&s))),
                _ => Ok(Value::Bool(false)),
            },
        }
    }

    fn comprehend(
        &mut self,
        element: &Expr,
        clauses: &[(usize, Expr)],
        filter: Option<&Expr>,
        out: &mut Vec<Value>,
    ) -> Eval<()> {
        let Some(((slot, list), rest)) = clauses.split_first() else {
            if let Some(f) = filter {
                if !self.truth(f)? {
                    return Ok(());
                }
            }
            out.push(self.eval(element)?);
            return Ok(());
        };
        let Value::List(items) = self.eval(list)? else {
            return Ok(());
        };
        for item in items.iter() {
            if let Some(s) = self.frame.get_mut(*slot) {
                *s = Some(item.clone());
            }
            self.comprehend(element, rest, filter, out)?;
        }
        Ok(())
    }

    fn binary(&mut self, op: Op, lhs: &Expr, rhs: &Expr, span: Span) -> Eval<Value> {
        match op {
            Op::And => return Ok(Value::Bool(self.truth(lhs)? && self.truth(rhs)?)),
            Op::Or => return Ok(Value::Bool(self.truth(lhs)? || self.truth(rhs)?)),
            _ => {}
        }
        // Membership in a constant list or range: read in place, not copied.
        if let (false, Op::In | Op::NotIn, ExprKind::Const(container) | ExprKind::Folded { value: container, .. }) =
            (O::SEES_VALUES, op, &rhs.kind)
        {
            let item = self.eval(lhs)?;
            return Ok(Value::Bool(contains(container, &item) == (op == Op::In)));
        }
        let l = self.eval(lhs)?;
        let r = self.eval(rhs)?;
        if let Some(holds) = relation(op, &l, &r) {
            return Ok(Value::Bool(holds));
        }
        let range = |what| Fault::OutOfRange(span, what);
        let conv = self.program.calendar;
        Ok(match (op, l, r) {
            (Op::Range { inclusive }, a, b) => Value::Range { start: Box::new(a), end: Box::new(b), inclusive },
            (Op::AddNum, Value::Num(a), Value::Num(b)) => Value::Num(a.checked_add(b).map_err(arith(span))?),
            (Op::SubNum, Value::Num(a), Value::Num(b)) => Value::Num(a.checked_sub(b).map_err(arith(span))?),
            (Op::MulNum, Value::Num(a), Value::Num(b)) => Value::Num(a.checked_mul(b).map_err(arith(span))?),
            (Op::DivNum, Value::Num(a), Value::Num(b)) => Value::Num(a.checked_div(b).map_err(arith(span))?),
            (Op::DateAddDays, Value::Date(d), Value::Days(n)) => {
                Value::Date(calendar::add_days(d, n).ok_or_else(|| range("the date is out of range"))?)
            }
            (Op::DateSubDays, Value::Date(d), Value::Days(n)) => Value::Date(
                calendar::add_days(d, n.checked_neg().ok_or_else(|| range("the date is out of range"))?)
                    .ok_or_else(|| range("the date is out of range"))?,
            ),
            (Op::DateAddMonths, Value::Date(d), Value::Months(m)) => {
                Value::Date(calendar::add_months(d, m, conv).ok_or_else(|| range("the date is out of range"))?)
            }
            (Op::DateSubMonths, Value::Date(d), Value::Months(m)) => {
                let m = m.checked_neg().map_err(arith(span))?;
                Value::Date(calendar::add_months(d, m, conv).ok_or_else(|| range("the date is out of range"))?)
            }
            (Op::DateDiff, Value::Date(a), Value::Date(b)) => Value::Days((a - b).num_days()),
            (Op::AddDays, Value::Days(a), Value::Days(b)) => {
                Value::Days(a.checked_add(b).ok_or_else(|| range("the number overflows"))?)
            }
            (Op::SubDays, Value::Days(a), Value::Days(b)) => {
                Value::Days(a.checked_sub(b).ok_or_else(|| range("the number overflows"))?)
            }
            (Op::AddMonths, Value::Months(a), Value::Months(b)) => {
                Value::Months(a.checked_add(b).map_err(arith(span))?)
            }
            (Op::SubMonths, Value::Months(a), Value::Months(b)) => {
                Value::Months(a.checked_sub(b).map_err(arith(span))?)
            }
            (Op::ScaleDays, Value::Days(a), Value::Num(k)) => {
                let k = k.to_i64().ok_or_else(|| range("days must be whole"))?;
                Value::Days(a.checked_mul(k).ok_or_else(|| range("the number overflows"))?)
            }
            (Op::ScaleMonths, Value::Months(a), Value::Num(k)) => Value::Months(a.checked_mul(k).map_err(arith(span))?),
            (Op::DivMonths, Value::Months(a), Value::Num(k)) => Value::Months(a.checked_div(k).map_err(arith(span))?),
            _ => return Err(range("operands of unexpected types").into()),
        })
    }
}

/// The value of a dated parameter in force on `day` (versions in date order).
fn in_force(versions: &[(crate::calendar::Period, Value)], day: NaiveDate) -> Option<&Value> {
    let after = versions.partition_point(|(p, _)| p.start_key() <= day);
    let (period, value) = versions.get(after.checked_sub(1)?)?;
    period.contains(day).then_some(value)
}

fn is_number(ty: &Type) -> bool {
    matches!(ty, Type::Int | Type::Decimal)
}

/// Whether `a op b` holds, for the operators that compare or test membership; `None`
/// for any other operator. Evaluation in place and by value both decide here.
fn relation(op: Op, a: &Value, b: &Value) -> Option<bool> {
    Some(match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::In => contains(b, a),
        Op::NotIn => !contains(b, a),
        _ => return None,
    })
}

fn contains(container: &Value, item: &Value) -> bool {
    match container {
        Value::List(items) => items.contains(item),
        Value::Range { start, end, inclusive } => item >= start && if *inclusive { item <= end } else { item < end },
        _ => false,
    }
}
