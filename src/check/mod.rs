//! Name resolution and type checking of every rule against the schema and the
//! parameters, dependency ordering, and compilation into a [`Program`]. All errors of
//! a pack are collected and returned together.

mod builtins;
mod cites;
mod error;
mod exclusive;
mod expr;
mod in_force;
mod order;
mod unused;

pub use builtins::BUILTINS;
pub use error::CheckError;

use crate::ast::{self, Span};
use crate::calendar::Period;
use crate::pack::Pack;
use crate::program::{self, OutputDef, Program};
use crate::source::{Note, SourceFile, Src};
use crate::types::Type;
use std::collections::HashMap;

/// Names every rule may read besides its own bindings.
pub const AS_OF: &str = "as_of";
pub const PARAMS: &str = "params";

/// An incomplete pack (a rule file did not parse) never compiles; its syntax errors
/// are the caller's, so the errors returned here may then be empty. A pack that
/// compiles comes with its warnings (parameters and fields no rule reads).
pub fn compile(pack: Pack) -> Result<(Program, Vec<CheckError>), Vec<CheckError>> {
    let mut c = Checker::new(&pack);
    let rules: Vec<(usize, &ast::Rule)> =
        pack.rule_files.iter().enumerate().flat_map(|(f, (_, file))| file.rules.iter().map(move |r| (f, r))).collect();
    c.datings = c.datings(&rules);
    c.versions(&rules);
    c.declare(&rules);
    let order = order::evaluation_order(&mut c, &rules);
    let mut compiled = Vec::with_capacity(rules.len());
    for &index in &order {
        if let Some(&(file, rule)) = rules.get(index) {
            if let Some(r) = c.rule(index, file, rule) {
                compiled.push(r);
            }
        }
    }
    // Writers were declaration indices until now; name them by evaluation position.
    let mut position = vec![0; rules.len()];
    for (p, &index) in order.iter().enumerate() {
        if let Some(slot) = position.get_mut(index) {
            *slot = p;
        }
    }
    for o in &mut c.outputs {
        o.writers = o.writers.iter().filter_map(|w| position.get(*w).copied()).collect();
    }
    if pack.incomplete {
        // The outputs of a file that did not parse are unknown here: saying so for
        // every use would bury the syntax error that causes it.
        c.errors.retain(|e| !matches!(e, CheckError::UnknownName { .. }));
    }
    if !c.errors.is_empty() || pack.incomplete {
        return Err(c.errors);
    }
    let sources = pack.rule_files.iter().map(|(f, _)| f.clone()).collect();
    let mut warnings = unused::warnings(&pack, &compiled, &c.fields_read);
    warnings.extend(cites::warnings(&pack, &rules, &c));
    let Checker { outputs, frame_size, .. } = c;
    let params = pack
        .params
        .flatten()
        .into_iter()
        .map(|(name, p)| program::ParamValue {
            name,
            ty: p.ty,
            value: p.value,
            versions: p.versions.into_iter().map(|v| (v.period, v.value)).collect(),
        })
        .collect();
    let mut program = Program {
        params,
        manifest: pack.manifest,
        schema: pack.schema,
        calendar: pack.params.calendar,
        sources,
        documents: pack.documents,
        rules: compiled,
        outputs,
        frame_size,
        dispatch: None,
        rules_on: None,
    };
    crate::fold::constants(&mut program);
    program.dispatch = crate::dispatch::index(&program);
    Ok((program, warnings))
}

fn variant_owners(schema: &crate::pack::Schema) -> HashMap<&str, Vec<(usize, u32)>> {
    let mut owners: HashMap<&str, Vec<(usize, u32)>> = HashMap::new();
    for (id, e) in schema.enums.iter().enumerate() {
        for (v, name) in e.variants.iter().enumerate() {
            if let Ok(v) = u32::try_from(v) {
                owners.entry(name.as_str()).or_default().push((id, v));
            }
        }
    }
    owners
}

struct Scope {
    name: String,
    slot: usize,
    ty: Type,
}

pub(crate) struct Checker<'p> {
    pack: &'p Pack,
    errors: Vec<CheckError>,
    outputs: Vec<OutputDef>,
    output_index: HashMap<String, usize>,
    /// The file of the rule being checked.
    file: usize,
    scopes: Vec<Scope>,
    next_slot: usize,
    frame_size: usize,
    /// Outputs the current rule has defined so far, bound as locals.
    own_outputs: Vec<usize>,
    /// Every output the current rule writes.
    rule_outputs: Vec<usize>,
    /// The parameters the current rule reads, in order of first use.
    rule_params: Vec<String>,
    /// Every field some rule reads: (record, field index); the parts of `input`
    /// are the fields of the schema's input record.
    fields_read: std::collections::HashSet<(usize, usize)>,
    /// The names of the declared parameters (`table.key`).
    declared_params: std::collections::HashSet<&'p str>,
    /// Each value of an enumeration: the enumerations that have it, with its index.
    variant_owners: HashMap<&'p str, Vec<(usize, u32)>>,
    /// Each rule's `in force` clause, resolved, in declaration order.
    datings: Vec<Option<in_force::Dating>>,
    /// The id of the rule being checked, and the days it is in force.
    rule_id: String,
    rule_period: Period,
    /// The stretches of days each dated parameter has a value on, by name.
    runs: HashMap<String, Vec<Period>>,
}

impl<'p> Checker<'p> {
    fn new(pack: &'p Pack) -> Self {
        Checker {
            pack,
            errors: Vec::new(),
            outputs: Vec::new(),
            output_index: HashMap::new(),
            file: 0,
            scopes: Vec::new(),
            next_slot: 0,
            frame_size: 0,
            own_outputs: Vec::new(),
            rule_outputs: Vec::new(),
            rule_params: Vec::new(),
            fields_read: std::collections::HashSet::new(),
            declared_params: pack.schema.params.iter().map(|d| d.name.as_str()).collect(),
            variant_owners: variant_owners(&pack.schema),
            datings: Vec::new(),
            rule_id: String::new(),
            rule_period: Period::ALWAYS,
            runs: HashMap::new(),
        }
    }

    fn source(&self, file: usize) -> Option<&SourceFile> {
        self.pack.rule_files.get(file).map(|(f, _)| f)
    }

    pub(crate) fn src_of(&self, file: usize) -> Src {
        self.source(file).map(SourceFile::named).unwrap_or_else(|| SourceFile::new("?", "").named())
    }

    pub(crate) fn src(&self) -> Src {
        self.src_of(self.file)
    }

    /// The type an output declares (`output tier: level = ...`), written as in schema.toml.
    fn declared_type(&mut self, t: &ast::Ident) -> Option<Type> {
        let schema = &self.pack.schema;
        if let Some(ty) = schema.parse_type(&t.name).filter(|ty| !matches!(ty, Type::Record(_))) {
            return Some(ty);
        }
        let help = crate::source::did_you_mean(&t.name, schema.type_names().iter().map(String::as_str))
            .or_else(|| Some("an output is a bool, int, decimal, money(XXX), date, days, months, string, an enumeration, or a list of one of these".into()));
        self.type_error(t.span, format!("`{}` is not a type an output can have", t.name), "not a type".into(), help);
        None
    }

    pub(crate) fn push(&mut self, e: CheckError) {
        self.errors.push(e);
    }

    fn note(&self, file: usize, span: Span, message: impl Into<String>, label: impl Into<String>) -> Note {
        Note { message: message.into(), src: self.src_of(file), span: span.into(), label: label.into() }
    }

    /// Registers rule ids and outputs, refusing duplicates and names that would hide
    /// an input part, a parameter or `as_of`.
    fn declare(&mut self, rules: &[(usize, &ast::Rule)]) {
        let reserved: Vec<&str> = self.input_parts().map(|f| f.name.as_str()).chain([AS_OF, PARAMS]).collect();
        for (index, &(file, rule)) in rules.iter().enumerate() {
            let mut seen_in_rule: Vec<&str> = Vec::new();
            for stmt in &rule.body {
                let ast::Stmt::Output { name, .. } = stmt else {
                    continue;
                };
                if reserved.contains(&name.name.as_str()) {
                    let e = CheckError::Duplicate {
                        message: format!("output `{}` would hide the input or a built-in name", name.name),
                        src: self.src_of(file),
                        span: name.span.into(),
                        related: Vec::new(),
                    };
                    self.push(e);
                    continue;
                }
                if let Some(&o) = self.output_index.get(&name.name) {
                    let writers = self.outputs.get(o).map(|d| d.writers.clone()).unwrap_or_default();
                    let exclusive = !seen_in_rule.contains(&name.name.as_str())
                        && writers.iter().all(|&w| {
                            // Versions of one rule are refused when they overlap
                            // (`versions`), not again for each output they write.
                            rules.get(w).is_some_and(|(_, other)| {
                                other.id.name == rule.id.name
                                    || self.apart(w, index)
                                    || self.exclusive(other.guard.as_ref(), rule.guard.as_ref())
                            })
                        });
                    if exclusive {
                        if let Some(d) = self.outputs.get_mut(o) {
                            d.writers.push(index);
                        }
                        seen_in_rule.push(&name.name);
                        continue;
                    }
                    let first = self.outputs.get(o).and_then(|d| d.writers.first().map(|w| (*w, d.span)));
                    let related = first
                        .and_then(|(r, s)| {
                            rules.get(r).map(|(f, _)| self.note(*f, s, "first written here", "first writer"))
                        })
                        .into_iter()
                        .collect();
                    let message = if seen_in_rule.contains(&name.name.as_str()) {
                        format!("output `{}` is written twice in one rule; use `if ... then ... else`", name.name)
                    } else {
                        format!("output `{}` is written by two rules that can apply together", name.name)
                    };
                    self.push(CheckError::Duplicate {
                        message,
                        src: self.src_of(file),
                        span: name.span.into(),
                        related,
                    });
                    continue;
                }
                seen_in_rule.push(&name.name);
                self.output_index.insert(name.name.clone(), self.outputs.len());
                // Writers are declaration indices until the evaluation order is known.
                self.outputs.push(OutputDef {
                    name: name.name.clone(),
                    ty: Type::Unknown,
                    writers: vec![index],
                    span: name.span,
                });
            }
        }
    }

    pub(crate) fn input_parts(&self) -> impl Iterator<Item = &'p crate::pack::FieldDef> {
        let schema = &self.pack.schema;
        schema.record(schema.input).into_iter().flat_map(|r| r.fields.iter())
    }

    /// Whether two rules (by declaration index) are never in force on one day.
    fn apart(&self, a: usize, b: usize) -> bool {
        let period = |i: usize| self.datings.get(i).and_then(Option::as_ref).map(|d| d.period);
        matches!((period(a), period(b)), (Some(pa), Some(pb)) if !pa.overlaps(&pb))
    }

    fn rule(&mut self, index: usize, file: usize, rule: &ast::Rule) -> Option<program::Rule> {
        self.file = file;
        self.scopes.clear();
        self.next_slot = 0;
        self.own_outputs.clear();
        let dating = self.datings.get(index).and_then(Option::as_ref);
        self.rule_params = dating.map(|d| d.reads.clone()).unwrap_or_default();
        self.rule_period = dating.map_or(Period::ALWAYS, |d| d.period);
        let in_force = dating.map(|d| d.period);
        self.rule_id = rule.id.name.clone();
        self.rule_outputs = rule
            .body
            .iter()
            .filter_map(|s| {
                if let ast::Stmt::Output { name, .. } = s {
                    self.output_index.get(&name.name).copied()
                } else {
                    None
                }
            })
            .collect();
        let errors_before = self.errors.len();
        let guard = rule.guard.as_ref().and_then(|g| self.condition(g));
        let mut body = Vec::new();
        for stmt in &rule.body {
            if let Some(s) = self.statement(stmt) {
                body.push(s);
            }
        }
        self.frame_size = self.frame_size.max(self.next_slot);
        if self.errors.len() > errors_before {
            return None;
        }
        Some(program::Rule {
            id: rule.id.name.clone(),
            id_span: rule.id.span,
            title: rule.title.value.clone(),
            cites: rule.cites.value.clone(),
            doc: rule.doc.clone(),
            file,
            span: rule.span,
            in_force,
            guard,
            body,
            params: std::mem::take(&mut self.rule_params),
        })
    }

    fn bind(&mut self, name: &str, ty: Type) -> usize {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.scopes.push(Scope { name: name.to_string(), slot, ty });
        slot
    }

    fn statement(&mut self, stmt: &ast::Stmt) -> Option<program::Stmt> {
        match stmt {
            ast::Stmt::Let { name, value } => {
                let t = self.expr(value, None);
                if self.lookup_local(&name.name).is_some() || self.output_index.contains_key(&name.name) {
                    self.push(CheckError::Duplicate {
                        message: format!("`{}` is already defined", name.name),
                        src: self.src(),
                        span: name.span.into(),
                        related: Vec::new(),
                    });
                }
                let Some(t) = t else {
                    // Bound all the same, as poison, so later uses report nothing more.
                    self.bind(&name.name, Type::Unknown);
                    return None;
                };
                let slot = self.bind(&name.name, t.ty.clone());
                Some(program::Stmt::Let { slot, name: name.name.clone(), value: t.expr })
            }
            ast::Stmt::Output { name, ty, value, condition } => {
                let output = *self.output_index.get(&name.name)?;
                // Later statements may read it even when it fails to check here.
                self.own_outputs.push(output);
                let condition = match condition {
                    Some(c) => Some(self.condition(c)?),
                    None => None,
                };
                let previous = self.outputs.get(output).map(|o| o.ty.clone()).unwrap_or(Type::Unknown);
                let declared = match ty {
                    Some(t) => Some(self.declared_type(t)?),
                    None => None,
                };
                // The declared type, else the type another rule gave it, says what a
                // bare value of an enumeration is.
                let want = declared.clone().or_else(|| Some(previous.clone()).filter(|p| *p != Type::Unknown));
                let mut t = self.expr(value, want.as_ref())?;
                if let Some(d) = &declared {
                    let why = format!("output `{}` is declared {}", name.name, self.show(d));
                    t = self.expect(t, d, &why)?;
                }
                match previous.unify(&t.ty) {
                    Some(ty) => {
                        if let Some(o) = self.outputs.get_mut(output) {
                            o.ty = ty;
                        }
                    }
                    None => {
                        let (a, b) = (self.show(&t.ty), self.show(&previous));
                        self.type_error(
                            value.span,
                            format!("output `{}` is {a} here but {b} in another rule", name.name),
                            format!("this is {a}"),
                            None,
                        );
                        return None;
                    }
                }
                Some(program::Stmt::Output { output, value: t.expr, condition })
            }
            ast::Stmt::Effect { kind, message, condition, span } => {
                // Both the message and the condition are checked, in source order, so
                // that all their errors show.
                let mut parts = Vec::new();
                let mut ok = true;
                for p in &message.parts {
                    match p {
                        ast::MessagePart::Text(t) => parts.push(program::MessagePart::Text(t.clone())),
                        ast::MessagePart::Expr(e) => match self.expr(e, None) {
                            Some(t) => parts.push(program::MessagePart::Expr(t.expr, t.ty)),
                            None => ok = false,
                        },
                    }
                }
                let condition = match condition.as_ref().map(|c| self.condition(c)) {
                    Some(c) => Some(c?),
                    None => None,
                };
                let room = parts
                    .iter()
                    .map(|p| match p {
                        program::MessagePart::Text(t) => t.len(),
                        program::MessagePart::Expr(..) => 16,
                    })
                    .sum();
                ok.then_some(program::Stmt::Effect { kind: *kind, message: parts, room, condition, span: *span })
            }
        }
    }

    fn lookup_local(&self, name: &str) -> Option<&Scope> {
        self.scopes.iter().rev().find(|s| s.name == name)
    }
}
