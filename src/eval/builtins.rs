use super::{arith, Eval, Fault, Machine};
use crate::ast::Span;
use crate::calendar;
use crate::number::Number;
use crate::program::{Builtin, Expr};
use crate::text::NameIndex;
use crate::value::Value;
use chrono::Datelike;
use std::collections::HashSet;

impl<O: super::Observer> Machine<'_, O> {
    pub(crate) fn call(
        &mut self,
        builtin: Builtin,
        args: &[Expr],
        names: Option<&NameIndex>,
        span: Span,
    ) -> Eval<Value> {
        let range = |what| Fault::OutOfRange(span, what);
        // No built-in takes more than two arguments (the checker sees to it): they
        // are held here rather than in a vector made for each call.
        let mut held = [Value::Bool(false), Value::Bool(false)];
        if args.len() > held.len() {
            return Err(range("arguments of unexpected types").into());
        }
        for (slot, a) in held.iter_mut().zip(args) {
            *slot = self.eval(a)?;
        }
        let values = held.get(..args.len()).unwrap_or_default();
        let conv = self.program.calendar;
        Ok(match (builtin, values) {
            (Builtin::Anniversary, [Value::Date(d), Value::Num(k)]) => {
                let k = k.to_i64().ok_or_else(|| range("years must be whole"))?;
                Value::Date(calendar::anniversary(*d, k).ok_or_else(|| range("the date is out of range"))?)
            }
            (Builtin::AnniversaryIn, [Value::Date(d), Value::Num(y)]) => {
                let y = y.to_i64().ok_or_else(|| range("a year is whole"))?;
                Value::Date(calendar::anniversary_in(*d, y).ok_or_else(|| range("the date is out of range"))?)
            }
            (Builtin::Year, [Value::Date(d)]) => Value::Num(Number::from_int(i64::from(d.year()))),
            (Builtin::Month, [Value::Date(d)]) => Value::Num(Number::from_int(i64::from(d.month()))),
            (Builtin::Day, [Value::Date(d)]) => Value::Num(Number::from_int(i64::from(d.day()))),
            (Builtin::NextAnniversary, [Value::Date(a), Value::Date(from)]) => Value::Date(
                calendar::anniversary_on_or_after(*a, *from).ok_or_else(|| range("the date is out of range"))?,
            ),
            (Builtin::MonthsBetween, [Value::Date(a), Value::Date(b)]) => {
                Value::Num(calendar::months_between(*a, *b, conv).ok_or_else(|| range("the date is out of range"))?)
            }
            (Builtin::Days, [Value::Num(n)]) => Value::Days(n.to_i64().ok_or_else(|| range("days must be whole"))?),
            (Builtin::Months, [Value::Num(n)]) => Value::Months(*n),
            (Builtin::Years, [Value::Num(n)]) => {
                Value::Months(n.checked_mul(Number::from_int(12)).map_err(arith(span))?)
            }
            (Builtin::Floor, [Value::Num(n)]) => Value::Num(n.floor()),
            (Builtin::Ceil, [Value::Num(n)]) => Value::Num(n.ceil().map_err(arith(span))?),
            (Builtin::Round, [Value::Num(n), Value::Num(p)]) => {
                let places = p
                    .to_i64()
                    .and_then(|p| u32::try_from(p).ok())
                    .filter(|p| *p <= 18)
                    .ok_or_else(|| range("places run from 0 to 18"))?;
                Value::Num(n.round_half_even(places).map_err(arith(span))?)
            }
            (Builtin::Min, [a, b]) => a.clone().min(b.clone()),
            (Builtin::Max, [a, b]) => a.clone().max(b.clone()),
            (Builtin::MinOf | Builtin::MaxOf, [Value::List(items)]) => {
                let pick = if builtin == Builtin::MinOf { items.iter().min() } else { items.iter().max() };
                pick.cloned().ok_or_else(|| range("the list is empty"))?
            }
            (Builtin::Sum, [Value::List(items)]) => {
                let mut total = Number::ZERO;
                for i in items.iter() {
                    if let Value::Num(n) = i {
                        total = total.checked_add(*n).map_err(arith(span))?;
                    }
                }
                Value::Num(total)
            }
            (Builtin::Count, [Value::List(items)]) => {
                Value::Num(Number::from_int(i64::try_from(items.len()).unwrap_or(i64::MAX)))
            }
            (Builtin::Distinct, [Value::List(items)]) => {
                let mut seen = HashSet::new();
                Value::List(items.iter().filter(|v| seen.insert(*v)).cloned().collect())
            }
            (Builtin::Sort, [Value::List(items)]) => {
                let mut v = items.to_vec();
                v.sort();
                Value::List(v.into())
            }
            (Builtin::Flatten, [Value::List(items)]) => {
                let mut out = Vec::new();
                for i in items.iter() {
                    if let Value::List(inner) = i {
                        out.extend(inner.iter().cloned());
                    }
                }
                Value::List(out.into())
            }
            (Builtin::Length, [Value::Str(s)]) => {
                Value::Num(Number::from_int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)))
            }
            (Builtin::Upper, [Value::Str(s)]) => Value::Str(s.to_uppercase().into()),
            (Builtin::Lower, [Value::Str(s)]) => Value::Str(s.to_lowercase().into()),
            (Builtin::Fold, [Value::Str(s)]) => Value::Str(crate::text::fold(s).into()),
            (Builtin::KnownAs, [Value::Str(s), _]) if names.is_some() => {
                let known = names.and_then(|n| n.known_as(s));
                Value::Str(known.map_or_else(|| crate::text::squish(s).into(), Into::into))
            }
            (Builtin::Closest, [Value::Str(s), _]) if names.is_some() => {
                Value::Str(names.and_then(|n| n.closest(s)).unwrap_or("").into())
            }
            (Builtin::KnownAs, [Value::Str(s), Value::List(names)]) => {
                let folded = crate::text::fold(s);
                let known = strings(names).find(|n| crate::text::fold(n) == folded);
                Value::Str(known.map_or_else(|| crate::text::squish(s).into(), Into::into))
            }
            (Builtin::Closest, [Value::Str(s), Value::List(names)]) => {
                Value::Str(crate::text::closest(s, strings(names)).unwrap_or("").into())
            }
            _ => return Err(range("arguments of unexpected types").into()),
        })
    }
}

fn strings(items: &[Value]) -> impl Iterator<Item = &str> {
    items.iter().filter_map(|v| if let Value::Str(s) = v { Some(s.as_ref()) } else { None })
}
