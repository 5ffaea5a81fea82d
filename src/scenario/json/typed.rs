//! Reading a JSON scenario straight into its typed values, for the common case where
//! it is right: no tree of nodes is built for its input. Every scalar is typed by the
//! scenario typer itself, so both ways give the same values. Anything this path is
//! not sure of (a problem of any kind, a key it does not know, a limit) gives `None`,
//! and the caller reads the scenario the full way, which reports what is wrong. A test
//! compares both ways on every example.

use super::Reader;
use crate::ast::Span;
use crate::pack::FieldDef;
use crate::program::Program;
use crate::scenario::direct::within;
use crate::scenario::tree::{Kind, Node, MAX_DEPTH, MAX_NODES};
use crate::scenario::typing::{FieldPath, Typer, Written};
use crate::scenario::Scenario;
use crate::types::Type;
use crate::value::Value;
use std::borrow::Cow;

/// A scenario read this way, with where its name is written (for the name check).
pub struct Read {
    pub scenario: Scenario,
    pub name_span: Span,
}

impl<'f> Reader<'f> {
    /// The scenario whose object starts at the reader's position and ends its text,
    /// when this path can read it; the reader's position is then undefined.
    pub(in crate::scenario) fn typed_scenario(&mut self, program: &Program) -> Option<Read> {
        let typer = Typer { file: self.file, program, errors: Vec::new() };
        let mut typed = Typed { typer, nodes: 0, depth: 0 };
        typed.scenario(self)
    }
}

struct Typed<'t> {
    typer: Typer<'t>,
    /// Values read, and containers open: within the budgets of the full way, so
    /// that a scenario over one is read (and reported) that way.
    nodes: usize,
    depth: usize,
}

/// The input record, where it is written, and where each of its parts is.
struct Input {
    parts: Vec<Option<Value>>,
    span: Span,
    part_spans: Vec<Option<Span>>,
}

/// The top-level keys seen so far: each may be written once.
#[derive(Default)]
struct Seen {
    name: Option<(String, Span, Span)>,
    as_of: Option<chrono::NaiveDate>,
    input: Option<Input>,
    expect: Option<crate::scenario::Expectations>,
}

impl<'t> Typed<'t> {
    fn scenario<'f>(&mut self, r: &mut Reader<'f>) -> Option<Read> {
        r.skip_ws();
        let start = r.pos;
        self.open(r, b'{')?;
        let mut seen = Seen::default();
        if !self.closes(r, b'}') {
            loop {
                let (key, key_span) = self.key(r)?;
                match key.as_ref() {
                    "scenario" if seen.name.is_none() => {
                        let (value, span) = self.scalar(r, &Type::Str, &FieldPath::Name("scenario"))?;
                        let Value::Str(name) = value else { return None };
                        seen.name = Some((name.to_string(), key_span, span));
                    }
                    "as_of" if seen.as_of.is_none() => {
                        let (value, _) = self.scalar(r, &Type::Date, &FieldPath::Name("as_of"))?;
                        let Value::Date(day) = value else { return None };
                        seen.as_of = Some(day);
                    }
                    "input" if seen.input.is_none() => seen.input = Some(self.input(r)?),
                    "expect" if seen.expect.is_none() => seen.expect = Some(self.expect(r)?),
                    _ => return None,
                }
                if !self.next(r, b'}')? {
                    break;
                }
            }
        }
        let span = Span::new(start, r.pos);
        r.end("the end of the line").ok()?;
        let (name, key_span, name_span) = seen.name?;
        let Input { parts: input, span: input_span, part_spans } = seen.input?;
        let scenario = Scenario {
            name,
            name_span: key_span,
            span,
            as_of: seen.as_of?,
            input,
            input_span,
            part_spans,
            expect: seen.expect,
        };
        self.typer.errors.is_empty().then_some(Read { scenario, name_span })
    }

    fn input<'f>(&mut self, r: &mut Reader<'f>) -> Option<Input> {
        let program = self.typer.program;
        let root = program.schema.record(program.schema.input)?;
        r.skip_ws();
        let start = r.pos;
        let mut spans = vec![None; root.fields.len()];
        let parts = self.fields(r, &root.fields, &FieldPath::Name("input"), Some(&mut spans))?;
        Some(Input { parts, span: Span::new(start, r.pos), part_spans: spans })
    }

    /// A record's fields in the schema's order; `spans`, when given, gets where each
    /// field's value is written.
    fn fields<'f>(
        &mut self,
        r: &mut Reader<'f>,
        fields: &[FieldDef],
        context: &FieldPath<'_>,
        mut spans: Option<&mut Vec<Option<Span>>>,
    ) -> Option<Vec<Option<Value>>> {
        self.open(r, b'{')?;
        let mut out: Vec<Option<Value>> = vec![None; fields.len()];
        let mut written = Written::new(fields.len());
        if !self.closes(r, b'}') {
            loop {
                let (key, _) = self.key(r)?;
                let i = fields.iter().position(|f| f.name == key.as_ref())?;
                if written.get(i) {
                    return None;
                }
                written.set(i);
                let def = fields.get(i)?;
                r.skip_ws();
                let at = r.pos;
                let value = self.value(r, &def.ty, &FieldPath::Field(context, &def.name))?;
                if !within(&value, def) {
                    return None;
                }
                if let Some(spans) = spans.as_deref_mut() {
                    *spans.get_mut(i)? = Some(Span::new(at, r.pos));
                }
                *out.get_mut(i)? = Some(value);
                if !self.next(r, b'}')? {
                    break;
                }
            }
        }
        for (i, (def, slot)) in fields.iter().zip(out.iter_mut()).enumerate() {
            if !written.get(i) {
                *slot = def.absent.clone()?;
            }
        }
        Some(out)
    }

    /// One value of type `ty`.
    fn value<'f>(&mut self, r: &mut Reader<'f>, ty: &Type, path: &FieldPath<'_>) -> Option<Value> {
        match ty {
            Type::Record(rid) => {
                let program = self.typer.program;
                let fields = &program.schema.record(*rid)?.fields;
                self.fields(r, fields, path, None).map(|parts| Value::Record(parts.into()))
            }
            Type::List(inner) => {
                self.open(r, b'[')?;
                let mut items = Vec::new();
                if !self.closes(r, b']') {
                    loop {
                        let item = self.value(r, inner, &FieldPath::Item(path, items.len()))?;
                        items.push(item);
                        if !self.next(r, b']')? {
                            break;
                        }
                    }
                }
                Some(Value::List(items.into()))
            }
            _ => self.scalar(r, ty, path).map(|(value, _)| value),
        }
    }

    /// A scalar typed by the scenario typer, and where it is written.
    fn scalar<'f>(&mut self, r: &mut Reader<'f>, ty: &Type, path: &FieldPath<'_>) -> Option<(Value, Span)> {
        self.count()?;
        r.skip_ws();
        let start = r.pos;
        let (text, plain) = match r.peek()? {
            b'"' => (text_at(r)?, false),
            b'-' | b'0'..=b'9' => (r.number().ok()?, true),
            b't' | b'f' => {
                let word = ["true", "false"].into_iter().find(|w| r.text[r.pos..r.end].starts_with(w.as_bytes()))?;
                r.pos += word.len();
                (Cow::Borrowed(word), true)
            }
            // `null`, among others: an absent field is left out, as the full way says.
            _ => return None,
        };
        let span = Span::new(start, r.pos);
        let node = Node { kind: Kind::Scalar { text, plain }, span };
        let Kind::Scalar { text, .. } = &node.kind else { return None };
        let value = self.typer.scalar(&node, text, plain, ty, path)?;
        Some((value, span))
    }

    /// `expect`, read as a tree (it is small) and typed by the scenario typer.
    fn expect<'f>(&mut self, r: &mut Reader<'f>) -> Option<crate::scenario::Expectations> {
        r.skip_ws();
        let doc = r.document().ok()?;
        // Its values count against the scenario's budget, as they do the full way.
        self.nodes += r.nodes;
        if self.nodes > MAX_NODES || self.depth + 1 > MAX_DEPTH {
            return None;
        }
        let root = doc.root.filter(|_| doc.errors.is_empty())?;
        self.typer.expectations(&root)
    }

    /// A key and its colon.
    fn key<'f>(&mut self, r: &mut Reader<'f>) -> Option<(Cow<'f, str>, Span)> {
        r.skip_ws();
        let start = r.pos;
        if r.peek()? != b'"' {
            return None;
        }
        let key = text_at(r)?;
        let span = Span::new(start, r.pos);
        r.skip_ws();
        if r.peek()? != b':' {
            return None;
        }
        r.pos += 1;
        Some((key, span))
    }

    /// Opens a container: its bracket must come next.
    fn open<'f>(&mut self, r: &mut Reader<'f>, bracket: u8) -> Option<()> {
        self.count()?;
        r.skip_ws();
        if r.peek()? != bracket || self.depth >= MAX_DEPTH {
            return None;
        }
        r.pos += 1;
        self.depth += 1;
        Some(())
    }

    /// Whether the container closes at once (it is empty).
    fn closes<'f>(&mut self, r: &mut Reader<'f>, close: u8) -> bool {
        r.skip_ws();
        if r.peek() == Some(close) {
            r.pos += 1;
            self.depth -= 1;
            return true;
        }
        false
    }

    /// After a member: `Some(true)` when another follows, `Some(false)` at the close.
    fn next<'f>(&mut self, r: &mut Reader<'f>, close: u8) -> Option<bool> {
        r.skip_ws();
        match r.peek()? {
            b',' => {
                r.pos += 1;
                r.skip_ws();
                // A comma before the close is a syntax error the full way reports.
                (r.peek()? != close).then_some(true)
            }
            b if b == close => {
                r.pos += 1;
                self.depth -= 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// Counts a value against the document's budget.
    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }
}

/// The string the reader stands on (at its opening quote): borrowed from the text at
/// once when it has no escape, through the reader's own reading otherwise.
fn text_at<'f>(r: &mut Reader<'f>) -> Option<Cow<'f, str>> {
    let from = r.pos + 1;
    let rest = r.text.get(from..r.end)?;
    let at = crate::scan::json_special(rest)?;
    if rest.get(at) == Some(&b'"') {
        // Both ends lie next to a quote: on character boundaries.
        let text = r.file.text.get(from..from + at)?;
        r.pos = from + at + 1;
        return Some(Cow::Borrowed(text));
    }
    r.string().ok()
}
