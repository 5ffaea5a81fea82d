//! Boundary cases, generated. Starting from a scenario a user gives as a template,
//! each line a rule draws (a comparison of dates, numbers, amounts or durations; an
//! end of a range) is found by moving one thing the scenario gives (its date, or a
//! date, number, amount or duration of its input) until the comparison turns, and
//! the scenarios just before it, on it and just past it are kept. Nothing is solved
//! symbolically: the rules are evaluated, so a line drawn through `next_anniversary`
//! or a multiple of seats is found as plainly as `as_of < deadline`. A date of the
//! input that moves a line is also tried on the calendar's edges (the 28th to 31st
//! of its month, 29 February of a leap year and the days around it in a common one,
//! 31 December), each with the lines of its own date.

mod sites;

pub use sites::{sites, Dependencies, Reads, Site};

use crate::calendar;
use crate::eval;
use crate::number::Number;
use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use chrono::{Datelike, NaiveDate};
use sites::Probe;
use std::collections::HashSet;
use std::sync::Arc;

/// What a case moves: the scenario's date, or a field of its input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Variable {
    AsOf,
    /// The input part, then field indices; `name` as written (`order.seats`);
    /// the bounds the schema sets on a number.
    Field {
        path: Vec<usize>,
        name: String,
        ty: Type,
        min: Option<Number>,
        max: Option<Number>,
    },
}

impl Variable {
    /// The type of what is moved.
    pub fn ty(&self) -> Type {
        match self {
            Variable::AsOf => Type::Date,
            Variable::Field { ty, .. } => ty.clone(),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Variable::AsOf => "as_of",
            Variable::Field { name, .. } => name,
        }
    }
}

/// A scenario one step from a template: its date and input, and why it was made.
#[derive(Debug, Clone)]
pub struct Case {
    /// Index of the template it was made from.
    pub template: usize,
    pub as_of: NaiveDate,
    pub input: Vec<Option<Value>>,
    /// The rule whose line it sits at (index in `Program::rules`); none for a
    /// calendar edge.
    pub rule: Option<usize>,
    pub variable: Variable,
    pub value: Value,
    /// Where it sits: `just below`, `on`, `just above`, or `calendar edge`.
    pub place: &'static str,
    /// The comparison, by its span in the rule's file (none for a calendar edge).
    pub site: Option<crate::ast::Span>,
    /// What the pack decides for the case, or why it could not be evaluated.
    pub outcome: Result<crate::outcome::Outcome, String>,
}

/// A template: a scenario's date and input.
#[derive(Debug, Clone)]
pub struct Template {
    pub as_of: NaiveDate,
    pub input: Vec<Option<Value>>,
}

/// How far a line is looked for step by step on either side of the template
/// (dates: a year and a month, numbers: 64 steps), then by doubling steps up to
/// `FAR` steps (a cap of millions in cents; dates stop at the calendar's end),
/// halving back to the first turn.
const NEAR_DAYS: i64 = 400;
const NEAR_STEPS: i64 = 64;
const FAR: i64 = 1 << 40;
/// At most this many lines per comparison, thing moved and direction.
const LINES_PER_WAY: usize = 8;

/// The boundary cases of `templates` for the rules `chosen` (by index), in template,
/// rule and source order, each scenario once, with the pack's outcome. Templates
/// are worked on all cores; the order is the same whatever their number.
pub fn cases(program: &Program, templates: &[Template], chosen: impl Fn(usize) -> bool) -> Vec<Case> {
    use rayon::prelude::*;
    let sites = sites(program, chosen);
    // What each site's sides can depend on: a thing that cannot move it is not tried.
    let mut dependencies = sites::Dependencies::default();
    let reads: Vec<sites::Reads> = sites.iter().map(|s| dependencies.of_site(program, s)).collect();
    let per_template: Vec<Vec<Case>> = templates
        .par_iter()
        .enumerate()
        .map(|(t, template)| of_template(program, &sites, &reads, t, template))
        .collect();
    per_template.into_iter().flatten().collect()
}

/// The cases of one template.
fn of_template(
    program: &Program,
    sites: &[Site<'_>],
    reads: &[sites::Reads],
    t: usize,
    template: &Template,
) -> Vec<Case> {
    let moves = |site: usize, variable: &Variable| {
        let path = match variable {
            Variable::AsOf => None,
            Variable::Field { path, .. } => Some(path.as_slice()),
        };
        reads.get(site).is_some_and(|r| r.moved_by(path))
    };
    let mut out = Vec::new();
    let mut seen: HashSet<(NaiveDate, Vec<Option<Value>>)> = HashSet::new();
    let mut keep = |mut case: Case, out: &mut Vec<Case>| {
        if seen.insert((case.as_of, case.input.clone())) {
            case.outcome = eval::evaluate(program, case.as_of, &case.input, "").map_err(|e| e.to_string());
            out.push(case);
        }
    };
    let variables = variables(program, template);
    let mut moving_dates: Vec<&Variable> = Vec::new();
    for (s, site) in sites.iter().enumerate() {
        for variable in variables.iter().filter(|v| moves(s, v)) {
            let found = lines(program, template, site, variable);
            let date = matches!(variable, Variable::Field { ty: Type::Date, .. });
            if !found.is_empty() && date && !moving_dates.contains(&variable) {
                moving_dates.push(variable);
            }
            for (value, place) in found {
                if let Some(case) = at(template, t, site, variable, value, place) {
                    keep(case, &mut out);
                }
            }
        }
    }
    // The calendar's edges of each input date that moves a line, each with the
    // lines of its own date.
    for variable in moving_dates {
        let Variable::Field { path, .. } = variable else { continue };
        let Some(Value::Date(day)) = crate::value::at_path(&template.input, path).cloned() else { continue };
        for edge in calendar_edges(day) {
            let Some(input) = with_value(&template.input, path, Value::Date(edge)) else { continue };
            let moved = Template { as_of: template.as_of, input };
            let case = Case {
                template: t,
                as_of: moved.as_of,
                input: moved.input.clone(),
                rule: None,
                variable: variable.clone(),
                value: Value::Date(edge),
                place: "calendar edge",
                site: None,
                outcome: Err(String::new()),
            };
            keep(case, &mut out);
            for site in sites.iter().enumerate().filter(|(s, _)| moves(*s, &Variable::AsOf)).map(|(_, site)| site) {
                for (value, place) in lines(program, &moved, site, &Variable::AsOf) {
                    if let Some(case) = at(&moved, t, site, &Variable::AsOf, value, place) {
                        keep(case, &mut out);
                    }
                }
            }
        }
    }
    out
}

/// The case `template` with `variable` set to `value`.
fn at(
    template: &Template,
    t: usize,
    site: &Site<'_>,
    variable: &Variable,
    value: Value,
    place: &'static str,
) -> Option<Case> {
    let (as_of, input) = match (variable, &value) {
        (Variable::AsOf, Value::Date(d)) => (*d, template.input.clone()),
        (Variable::Field { path, .. }, v) => (template.as_of, with_value(&template.input, path, v.clone())?),
        _ => return None,
    };
    Some(Case {
        template: t,
        as_of,
        input,
        rule: Some(site.rule),
        variable: variable.clone(),
        value,
        place,
        site: Some(site.whole.span),
        // Decided when kept.
        outcome: Err(String::new()),
    })
}

/// What can be moved in a template: its date, and every date, number, amount and
/// duration its input gives (in records, not in lists).
fn variables(program: &Program, template: &Template) -> Vec<Variable> {
    let mut out = vec![Variable::AsOf];
    let schema = &program.schema;
    let Some(input) = schema.record(schema.input) else { return out };
    for (i, part) in input.fields.iter().enumerate() {
        if let Some(Some(v)) = template.input.get(i) {
            fields(program, v, part, vec![i], &part.name, &mut out);
        }
    }
    out
}

fn fields(
    program: &Program,
    value: &Value,
    def: &crate::pack::FieldDef,
    path: Vec<usize>,
    name: &str,
    out: &mut Vec<Variable>,
) {
    match (value, &def.ty) {
        (Value::Record(values), Type::Record(id)) => {
            let Some(record) = program.schema.record(*id) else { return };
            for (i, (f, v)) in record.fields.iter().zip(values.iter()).enumerate() {
                if let Some(v) = v {
                    let mut p = path.clone();
                    p.push(i);
                    fields(program, v, f, p, &format!("{name}.{}", f.name), out);
                }
            }
        }
        (_, Type::Date | Type::Int | Type::Decimal | Type::Money(_) | Type::Days) => {
            out.push(Variable::Field { path, name: name.to_string(), ty: def.ty.clone(), min: def.min, max: def.max })
        }
        _ => {}
    }
}

/// `input` with the field at `path` set to `value`.
pub fn with_value(input: &[Option<Value>], path: &[usize], value: Value) -> Option<Vec<Option<Value>>> {
    let (first, rest) = path.split_first()?;
    let mut out = input.to_vec();
    let slot = out.get_mut(*first)?;
    *slot = Some(set(slot.as_ref(), rest, value)?);
    Some(out)
}

fn set(current: Option<&Value>, path: &[usize], value: Value) -> Option<Value> {
    let Some((first, rest)) = path.split_first() else { return Some(value) };
    let Some(Value::Record(fields)) = current else { return None };
    let mut fields: Vec<Option<Value>> = fields.to_vec();
    let slot = fields.get_mut(*first)?;
    *slot = Some(set(slot.as_ref(), rest, value)?);
    Some(Value::Record(Arc::from(fields)))
}

/// The value `steps` steps from `value` (a day, a whole number, a cent).
fn step(value: &Value, ty: &Type, steps: i64) -> Option<Value> {
    match value {
        Value::Date(d) => calendar::add_days(*d, steps).map(Value::Date),
        Value::Days(d) => d.checked_add(steps).map(Value::Days),
        Value::Num(n) => {
            let unit = if *ty == Type::Int { Number::ONE } else { Number::ratio(1, 100).ok()? };
            let by = unit.checked_mul(Number::from_int(steps)).ok()?;
            n.checked_add(by).ok().map(Value::Num)
        }
        _ => None,
    }
}

/// Whether `site` holds in `template` with `variable` at `value`, and both sides'
/// values; `None` where the comparison is not evaluated there.
fn probe(
    program: &Program,
    template: &Template,
    site: &Site<'_>,
    variable: &Variable,
    value: &Value,
    p: &mut Probe,
) -> Option<(bool, Value, Value)> {
    let (as_of, input) = match (variable, value) {
        (Variable::AsOf, Value::Date(d)) => (*d, std::borrow::Cow::Borrowed(&template.input)),
        (Variable::Field { path, .. }, v) => {
            (template.as_of, std::borrow::Cow::Owned(with_value(&template.input, path, v.clone())?))
        }
        _ => return None,
    };
    p.clear();
    let _ = eval::evaluate_observed(program, as_of, &input, "", p);
    let [Some(a), Some(b)] = std::mem::take(&mut p.values) else { return None };
    Some((site.holds(&a, &b)?, a, b))
}

/// The values of `variable` just below, on and just above each line `site` draws
/// near the template.
fn lines(program: &Program, template: &Template, site: &Site<'_>, variable: &Variable) -> Vec<(Value, &'static str)> {
    let ty = variable.ty();
    let start = match variable {
        Variable::AsOf => Value::Date(template.as_of),
        Variable::Field { path, .. } => match crate::value::at_path(&template.input, path) {
            Some(v) => v.clone(),
            None => return Vec::new(),
        },
    };
    let mut p = Probe::new(site);
    // A value the schema does not allow is not a scenario.
    let allowed = |v: &Value| match (variable, v) {
        (Variable::Field { min, max, .. }, Value::Num(n)) => min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m),
        _ => true,
    };
    let at = |k: i64, p: &mut Probe| {
        step(&start, &ty, k)
            .filter(allowed)
            .and_then(|v| probe(program, template, site, variable, &v, p).map(|r| (v, r)))
    };
    let Some((_, (here, a0, b0))) = at(0, &mut p) else { return Vec::new() };
    // A thing that moves neither side at any of these distances draws no line here.
    let moves = [1, -1, 7, -7, 31, -31, 366, -366]
        .iter()
        .any(|&k| at(k, &mut p).is_some_and(|(_, (_, a, b))| a != a0 || b != b0));
    if !moves {
        return Vec::new();
    }
    let near = if ty == Type::Date { NEAR_DAYS } else { NEAR_STEPS };
    let mut out = Vec::new();
    for dir in [-1i64, 1] {
        let mut turns: Vec<(i64, i64)> = Vec::new();
        let (mut last_k, mut last) = (0i64, here);
        for k in 1..=near {
            if turns.len() >= LINES_PER_WAY {
                break;
            }
            if let Some((_, (now, _, _))) = at(dir * k, &mut p) {
                if now != last {
                    turns.push((dir * last_k, dir * k));
                }
                (last_k, last) = (k, now);
            }
        }
        // Beyond, when there is no line near: doubling steps, then halving back to
        // the first turn (a cap of a thousand seats is as easily found).
        let mut k = near * 2;
        while k <= FAR && turns.is_empty() {
            match at(dir * k, &mut p) {
                Some((_, (now, _, _))) if now != last => {
                    let (mut lo, mut hi) = (last_k, k);
                    while hi - lo > 1 {
                        let mid = lo + (hi - lo) / 2;
                        match at(dir * mid, &mut p) {
                            Some((_, (m, _, _))) if m == last => lo = mid,
                            _ => hi = mid,
                        }
                    }
                    turns.push((dir * lo, dir * hi));
                    break;
                }
                Some(_) => last_k = k,
                None => {}
            }
            k *= 2;
        }
        for (x, y) in turns {
            // `x` and `y` are neighbours on either side of the turn, in the order
            // they were met; the one that is on the line (both sides equal), when
            // there is one, also gets its other neighbour.
            let (lo, hi) = if x < y { (x, y) } else { (y, x) };
            let on = |k: i64, p: &mut Probe| at(k, p).is_some_and(|(_, (_, a, b))| a == b);
            let mut ks = vec![(lo, "just below"), (hi, "just above")];
            if on(hi, &mut p) {
                ks = vec![(lo, "just below"), (hi, "on"), (hi + 1, "just above")];
            } else if on(lo, &mut p) {
                ks = vec![(lo - 1, "just below"), (lo, "on"), (hi, "just above")];
            }
            for (k, place) in ks {
                if let Some(v) = step(&start, &ty, k).filter(allowed) {
                    out.push((v, place));
                }
            }
        }
    }
    out
}

/// The days of the calendar that matter around `day`: the 28th to the 31st of its
/// month (those it has), 29 February of the nearest leap year with 28 February and
/// 1 March of the next common year, and 31 December of its year.
pub fn calendar_edges(day: NaiveDate) -> Vec<NaiveDate> {
    let (y, m) = (day.year(), day.month());
    let mut out: Vec<NaiveDate> = (28..=31).filter_map(|d| NaiveDate::from_ymd_opt(y, m, d)).collect();
    let leap = |y: i32| NaiveDate::from_ymd_opt(y, 2, 29).is_some();
    if let Some(l) = (0..4).flat_map(|k| [y - k, y + k]).find(|&c| leap(c)) {
        out.extend(NaiveDate::from_ymd_opt(l, 2, 29));
        let common = l + 1;
        out.extend(
            [NaiveDate::from_ymd_opt(common, 2, 28), NaiveDate::from_ymd_opt(common, 3, 1)].into_iter().flatten(),
        );
    }
    out.extend(NaiveDate::from_ymd_opt(y, 12, 31));
    out.retain(|d| *d != day && (calendar::MIN_YEAR..=calendar::MAX_YEAR).contains(&d.year()));
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        calendar::parse_date(text).unwrap_or_default()
    }

    #[test]
    fn calendar_edges_are_the_month_ends_leap_days_and_new_year() {
        let edges: Vec<String> = calendar_edges(day("2020-09-01")).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            edges,
            ["2020-02-29", "2020-09-28", "2020-09-29", "2020-09-30", "2020-12-31", "2021-02-28", "2021-03-01"]
        );
        let feb: Vec<String> = calendar_edges(day("2021-02-10")).iter().map(|d| d.to_string()).collect();
        assert_eq!(feb, ["2020-02-29", "2021-02-28", "2021-03-01", "2021-12-31"]);
    }

    #[test]
    fn a_field_deep_in_a_record_is_set_alone() {
        let input = vec![Some(Value::Record(Arc::from(vec![Some(Value::Bool(true)), Some(Value::Days(3))]))), None];
        let set = with_value(&input, &[0, 1], Value::Days(4));
        let want = vec![Some(Value::Record(Arc::from(vec![Some(Value::Bool(true)), Some(Value::Days(4))]))), None];
        assert_eq!(set, Some(want));
        assert_eq!(with_value(&input, &[1, 0], Value::Days(4)), None, "no record to set a field in");
    }
}
