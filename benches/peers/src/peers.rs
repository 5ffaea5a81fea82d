//! Each engine set up for one rule: its compiled form, its inputs, and how it reads
//! an answer.

use crate::inputs::{day_number, Case, Rule, Ymd};
use std::hint::black_box;
use std::time::Duration;

/// What a rule decided for one input, in a form every engine can give.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Allow,
    Deny,
    /// Allowed with this many months (the extension rule).
    Months(f64),
    /// An engine gave something else (an error, an unexpected type).
    Other(String),
}

impl Answer {
    pub fn agrees(&self, expected: &Answer) -> bool {
        match (self, expected) {
            (Answer::Months(a), Answer::Months(b)) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            (a, b) => a == b,
        }
    }
}

/// The hand-written rule on the typed input: the oracle every engine must agree with.
pub fn typed(case: &Case) -> Answer {
    match case {
        Case::Extension { active_seats, key_seats } => {
            if *key_seats > 3 * active_seats {
                Answer::Deny
            } else {
                Answer::Months((key_seats * 12) as f64 / *active_seats as f64)
            }
        }
        Case::Renewal { purchased_on, as_of } => {
            let anniversary = day_number((as_of.0, purchased_on.1, purchased_on.2));
            let today = day_number(*as_of);
            if anniversary < today && today < anniversary + 31 {
                Answer::Allow
            } else {
                Answer::Deny
            }
        }
        Case::Bulk { kind, others } => {
            let combined = others.iter().any(|o| COMBINED.contains(o));
            if *kind == "bulk_credit" && combined {
                Answer::Deny
            } else {
                Answer::Allow
            }
        }
    }
}

const COMBINED: [&str; 5] = ["ea", "csp", "azure_in_open", "azure_pass", "action_pack"];

/// The hand-written rule reading a `serde_json::Value`.
fn from_value(rule: Rule, v: &serde_json::Value) -> Answer {
    let int = |a: &str, b: &str| v[a][b].as_i64().unwrap_or(0);
    match rule {
        Rule::Extension => typed(&Case::Extension {
            active_seats: int("subscription", "active_seats"),
            key_seats: int("request", "key_seats"),
        }),
        Rule::Renewal => {
            let date = |s: Option<&str>| -> Ymd {
                let s = s.unwrap_or("");
                let part = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse().ok()).unwrap_or(0);
                (part(0..4) as i32, part(5..7), part(8..10))
            };
            typed(&Case::Renewal {
                purchased_on: date(v["offer"]["purchased_on"].as_str()),
                as_of: date(v["as_of"].as_str()),
            })
        }
        Rule::Bulk => {
            let kind = v["offer"]["kind"].as_str().unwrap_or("");
            let combined = v["offer"]["others"]
                .as_array()
                .is_some_and(|a| a.iter().any(|o| o.as_str().is_some_and(|o| COMBINED.contains(&o))));
            if kind == "bulk_credit" && combined {
                Answer::Deny
            } else {
                Answer::Allow
            }
        }
    }
}

/// An engine ready to answer input `i` of its rule.
pub struct Engine<'a> {
    pub name: &'static str,
    pub from_json: bool,
    count: usize,
    answer: Box<dyn FnMut(usize) -> Answer + 'a>,
}

impl Engine<'_> {
    pub fn answers(&mut self) -> Vec<Answer> {
        (0..self.count).map(|i| (self.answer)(i)).collect()
    }

    /// Thread CPU time to answer every input once.
    pub fn time(&mut self) -> Duration {
        let start = thread_cpu();
        for i in 0..self.count {
            black_box((self.answer)(black_box(i)));
        }
        thread_cpu().saturating_sub(start)
    }
}

fn thread_cpu() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid clock id and a valid pointer to a timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn engine<'a>(name: &'static str, from_json: bool, count: usize, f: impl FnMut(usize) -> Answer + 'a) -> Engine<'a> {
    Engine { name, from_json, count, answer: Box::new(f) }
}

/// Every engine for `rule`, over `cases`.
pub fn engines<'a>(rule: Rule, cases: &'a [&'a Case]) -> Vec<Engine<'a>> {
    let json: Vec<serde_json::Value> = cases.iter().map(|c| c.json()).collect();
    let json: &'a [serde_json::Value] = Box::leak(json.into_boxed_slice());
    let n = cases.len();
    vec![
        engine("hand-written Rust (typed)", false, n, move |i| typed(cases[i])),
        engine("hand-written Rust (serde_json::Value)", true, n, move |i| from_value(rule, &json[i])),
        entitle_prepared(rule, cases, json),
        entitle_from_json(rule, json),
        zen(rule, json, false),
        zen(rule, json, true),
        regorus(rule, json, false),
        regorus(rule, json, true),
        cel(rule, json, false),
        cel(rule, json, true),
    ]
}

fn pack(rule: Rule) -> entitle::Engine {
    let name = match rule {
        Rule::Extension => "extension",
        Rule::Renewal => "renewal",
        Rule::Bulk => "bulk",
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs").join(name);
    entitle::Engine::from_folder(dir).unwrap_or_else(|p| panic!("{p}"))
}

fn entitle_answer(rule: Rule, decided: Result<entitle::Decided<'_>, entitle::Problems>) -> Answer {
    match decided {
        Err(p) => Answer::Other(p.to_string()),
        Ok(d) if !d.is_allowed() => Answer::Deny,
        Ok(d) => match (rule, d.output("extension_months").and_then(|o| o.as_number())) {
            (Rule::Extension, Some(n)) => Answer::Months(n.to_f64()),
            (Rule::Extension, None) => Answer::Other("no months".into()),
            _ => Answer::Allow,
        },
    }
}

/// The day the rule is evaluated on: the renewal input's `as_of`, else any day.
fn as_of(v: &serde_json::Value) -> entitle::Date {
    v["as_of"]
        .as_str()
        .and_then(|s| entitle::Date::parse(s).ok())
        .unwrap_or_else(|| entitle::Date::from_ymd(2021, 9, 15).unwrap_or_else(|| panic!("a date")))
}

fn entitle_prepared<'a>(rule: Rule, cases: &'a [&'a Case], json: &'a [serde_json::Value]) -> Engine<'a> {
    let pack: &'a entitle::Engine = Box::leak(Box::new(pack(rule)));
    let inputs: Vec<(entitle::Input, entitle::Date)> = cases
        .iter()
        .zip(json)
        .map(|(c, v)| {
            let b = pack.input();
            let b = match c {
                Case::Extension { active_seats, key_seats } => {
                    b.set("subscription.active_seats", *active_seats).set("request.key_seats", *key_seats)
                }
                Case::Renewal { purchased_on, .. } => {
                    b.set("offer.purchased_on", crate::inputs::ymd(*purchased_on).as_str())
                }
                Case::Bulk { kind, others } => b.set("offer.kind", *kind).set("offer.others", others.clone()),
            };
            (b.build().unwrap_or_else(|p| panic!("{p}")), as_of(v))
        })
        .collect();
    engine("entitle (prepared)", false, cases.len(), move |i| {
        let (input, day) = &inputs[i];
        entitle_answer(rule, pack.decide(input, *day))
    })
}

/// The input without `as_of`: entitle takes the day apart from the input.
fn without_as_of(v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("as_of");
    }
    v
}

fn entitle_from_json<'a>(rule: Rule, json: &'a [serde_json::Value]) -> Engine<'a> {
    let pack: &'a entitle::Engine = Box::leak(Box::new(pack(rule)));
    let inputs: &'a [serde_json::Value] =
        Box::leak(json.iter().map(without_as_of).collect::<Vec<_>>().into_boxed_slice());
    engine("entitle (from JSON)", true, json.len(), move |i| {
        let v = &json[i];
        let decided = pack.input_from_value(&inputs[i]).and_then(|input| pack.decide(&input, as_of(v)));
        entitle_answer(rule, decided)
    })
}

const ZEN: [&str; 3] = [
    "request.key_seats > 3 * subscription.active_seats ? 'deny' : request.key_seats * 12 / subscription.active_seats",
    "d(offer.purchased_on).set('year', d(as_of).year()).add(1, 'd').isSameOrBefore(d(as_of)) and d(as_of).isBefore(d(offer.purchased_on).set('year', d(as_of).year()).add(31, 'd'))",
    "offer.kind == 'bulk_credit' and some(offer.others, # in ['ea', 'csp', 'azure_in_open', 'azure_pass', 'action_pack'])",
];

fn zen<'a>(rule: Rule, json: &'a [serde_json::Value], from_json: bool) -> Engine<'a> {
    use zen_expression::variable::Variable;
    let expression = zen_expression::compile_expression(ZEN[rule as usize]).unwrap_or_else(|e| panic!("{e}"));
    let mut vm = zen_expression::vm::VM::new();
    let prepared: Vec<Variable> = if from_json { Vec::new() } else { json.iter().map(Variable::from).collect() };
    let name = if from_json { "zen-expression (from JSON)" } else { "zen-expression (prepared)" };
    engine(name, from_json, json.len(), move |i| {
        let context = if from_json { Variable::from(&json[i]) } else { prepared[i].clone() };
        match (rule, expression.evaluate_with(context, &mut vm)) {
            (_, Err(e)) => Answer::Other(e.to_string()),
            (Rule::Extension, Ok(Variable::String(_))) => Answer::Deny,
            (Rule::Extension, Ok(Variable::Number(n))) => Answer::Months(f64::try_from(n).unwrap_or(f64::NAN)),
            (Rule::Renewal, Ok(Variable::Bool(true))) | (Rule::Bulk, Ok(Variable::Bool(false))) => Answer::Allow,
            (Rule::Renewal, Ok(Variable::Bool(false))) | (Rule::Bulk, Ok(Variable::Bool(true))) => Answer::Deny,
            (_, Ok(other)) => Answer::Other(format!("{other:?}")),
        }
    })
}

const REGO: [&str; 3] = [
    r#"package bench
import rego.v1
result := "deny" if input.request.key_seats > 3 * input.subscription.active_seats
result := (input.request.key_seats * 12) / input.subscription.active_seats if input.request.key_seats <= 3 * input.subscription.active_seats
"#,
    r#"package bench
import rego.v1
day := 86400000000000
default result := false
result if {
  now := time.parse_ns("2006-01-02", input.as_of)
  bought := time.parse_ns("2006-01-02", input.offer.purchased_on)
  anniversary := time.add_date(bought, time.date(now)[0] - time.date(bought)[0], 0, 0)
  anniversary + day <= now
  now < anniversary + 31 * day
}
"#,
    r#"package bench
import rego.v1
combined := {"ea", "csp", "azure_in_open", "azure_pass", "action_pack"}
default result := false
result if {
  input.offer.kind == "bulk_credit"
  some o in input.offer.others
  o in combined
}
"#,
];

fn regorus<'a>(rule: Rule, json: &'a [serde_json::Value], from_json: bool) -> Engine<'a> {
    use regorus::Value;
    let mut policy = regorus::Engine::new();
    policy.add_policy("bench.rego".into(), REGO[rule as usize].into()).unwrap_or_else(|e| panic!("{e}"));
    let entry: regorus::Rc<str> = "data.bench.result".into();
    let compiled = policy.compile_with_entrypoint(&entry).unwrap_or_else(|e| panic!("{e}"));
    let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &["data.bench.result"])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut vm = regorus::rvm::RegoVM::new();
    vm.load_program(program);
    let prepared: Vec<Value> =
        if from_json { Vec::new() } else { json.iter().map(|v| Value::from(v.clone())).collect() };
    let name = if from_json { "regorus VM (from JSON)" } else { "regorus VM (prepared)" };
    engine(name, from_json, json.len(), move |i| {
        let input = if from_json { Value::from(json[i].clone()) } else { prepared[i].clone() };
        vm.set_input(input);
        match (rule, vm.execute()) {
            (_, Err(e)) => Answer::Other(e.to_string()),
            (Rule::Extension, Ok(Value::String(_))) => Answer::Deny,
            (Rule::Extension, Ok(Value::Number(n))) => Answer::Months(n.as_f64().unwrap_or(f64::NAN)),
            (Rule::Renewal, Ok(Value::Bool(true))) | (Rule::Bulk, Ok(Value::Bool(false))) => Answer::Allow,
            (Rule::Renewal, Ok(Value::Bool(false))) | (Rule::Bulk, Ok(Value::Bool(true))) => Answer::Deny,
            (_, Ok(other)) => Answer::Other(format!("{other:?}")),
        }
    })
}

const CEL: [&str; 3] = [
    "int(request.key_seats) > 3 * int(subscription.active_seats) ? 'deny' : double(request.key_seats) * 12.0 / double(subscription.active_seats)",
    "timestamp(string(timestamp(as_of + 'T00:00:00Z').getFullYear()) + offer.purchased_on.substring(4) + 'T00:00:00Z') + duration('24h') <= timestamp(as_of + 'T00:00:00Z') && timestamp(as_of + 'T00:00:00Z') < timestamp(string(timestamp(as_of + 'T00:00:00Z').getFullYear()) + offer.purchased_on.substring(4) + 'T00:00:00Z') + duration('744h')",
    "offer.kind == 'bulk_credit' && offer.others.exists(o, o in ['ea', 'csp', 'azure_in_open', 'azure_pass', 'action_pack'])",
];

fn cel<'a>(rule: Rule, json: &'a [serde_json::Value], from_json: bool) -> Engine<'a> {
    use cel_interpreter::{Context, Program, Value};
    let program = Program::compile(CEL[rule as usize]).unwrap_or_else(|e| panic!("{e}"));
    let mut context = Context::default();
    context.add_function("substring", |this: cel_interpreter::extractors::This<std::sync::Arc<String>>, from: i64| {
        this.0.get(from as usize..).unwrap_or("").to_string()
    });
    let top = |v: &serde_json::Value| -> Vec<(String, serde_json::Value)> {
        v.as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
    };
    let prepared: Vec<Vec<(String, Value)>> = if from_json {
        Vec::new()
    } else {
        json.iter()
            .map(|v| {
                top(v).into_iter().map(|(k, v)| (k, cel_interpreter::to_value(&v).unwrap_or(Value::Null))).collect()
            })
            .collect()
    };
    let name = if from_json { "cel (from JSON)" } else { "cel (prepared)" };
    engine(name, from_json, json.len(), move |i| {
        if from_json {
            if let Some(members) = json[i].as_object() {
                for (k, v) in members {
                    let _ = context.add_variable(k.as_str(), v);
                }
            }
        } else {
            for (k, v) in &prepared[i] {
                context.add_variable_from_value(k.as_str(), v.clone());
            }
        }
        match (rule, program.execute(&context)) {
            (_, Err(e)) => Answer::Other(e.to_string()),
            (Rule::Extension, Ok(Value::String(_))) => Answer::Deny,
            (Rule::Extension, Ok(Value::Float(f))) => Answer::Months(f),
            (Rule::Renewal, Ok(Value::Bool(true))) | (Rule::Bulk, Ok(Value::Bool(false))) => Answer::Allow,
            (Rule::Renewal, Ok(Value::Bool(false))) | (Rule::Bulk, Ok(Value::Bool(true))) => Answer::Deny,
            (_, Ok(other)) => Answer::Other(format!("{other:?}")),
        }
    })
}
