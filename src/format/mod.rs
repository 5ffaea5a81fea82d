//! `entitle fmt`: the canonical layout of a rule file. Rules are separated by one
//! blank line; a rule's header is `rule ID "title"`, then `cites` and `when` on
//! lines of their own, then the body in braces, indented by two; conditions of
//! effects go on the next line; expressions are spaced alike and broken at their
//! top-level `and` / `or` when a line would pass the width. Every comment stays
//! where it was: before the item it preceded, or at the end of its line; a
//! statement or header with a comment inside it is kept as written. Blank lines
//! between statements are kept (at most one). Literals keep their written digits.
//!
//! The result is checked before it is given: it must parse to the same rules (spans
//! aside) with the same comments, or the file is refused as it is.

mod expr;

use crate::ast::{self, Comment, EffectKind, Rule, Stmt};
use crate::source::{SourceFile, Src};
use crate::syntax::SyntaxError;
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// The width lines are kept within where an expression can be broken. Messages and
/// long names are never broken.
pub const WIDTH: usize = 100;
const INDENT: &str = "  ";

#[derive(Debug, Error, Diagnostic)]
pub enum FormatError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] SyntaxError),

    /// A safety net: the laid-out text would not read back as the same rules.
    #[error("formatting would change what this file says; it is left as it is")]
    #[diagnostic(code(entitle::fmt::unsound), help("please report this file: it shows a bug of `entitle fmt`"))]
    Unsound {
        #[source_code]
        src: Src,
        #[label("this file")]
        span: SourceSpan,
    },
}

/// The canonical text of a rule file.
pub fn format_file(file: &SourceFile) -> Result<String, FormatError> {
    let tree = crate::syntax::parse_file(file)?;
    let mut text = Printer::new(&file.text, &tree.comments).file(&tree);
    // A file written with CRLF line ends keeps them.
    if file.text.contains("\r\n") {
        text = text.replace('\n', "\r\n");
    }
    let again = SourceFile::new(file.name.clone(), text.as_str());
    let same = crate::syntax::parse_file(&again).is_ok_and(|t| shape(&t) == shape(&tree));
    if !same {
        return Err(FormatError::Unsound { src: file.named(), span: (0, 0).into() });
    }
    Ok(text)
}

/// The rules and comments of a file without their places: equal for two texts that
/// say the same thing however they are laid out.
pub fn shape(file: &ast::File) -> String {
    let rules = format!("{:?}", file.rules);
    let comments: Vec<&str> = file.comments.iter().map(|c| c.text.trim_end()).collect();
    format!("{}\n{comments:?}", without_spans(&rules))
}

/// `text` (a `Debug` rendering) without its `Span { start: .., end: .. }` values.
fn without_spans(text: &str) -> String {
    const OPEN: &str = "Span { start: ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('}').map_or(after.len(), |e| e + 1);
        out.push('_');
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

struct Printer<'a> {
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
    /// Where in the source the last item written ended.
    last_end: usize,
    /// Whether the last line written holds code (a comment may then follow on it).
    last_is_code: bool,
}

impl<'a> Printer<'a> {
    fn new(text: &'a str, comments: &'a [Comment]) -> Self {
        Printer { text, comments, next_comment: 0, out: String::new(), last_end: 0, last_is_code: false }
    }

    fn file(mut self, tree: &ast::File) -> String {
        for rule in &tree.rules {
            self.comments_before(rule.span.start, "");
            // One blank line between rules; a comment right above a rule stays with it.
            if self.last_is_code || self.has_blank_line(rule.span.start) {
                self.blank_line();
            }
            self.rule(rule);
        }
        self.comments_before(usize::MAX, "");
        self.out
    }

    /// Writes the comments that start before `at`: at the end of the last line when
    /// they were on its line in the source, else on lines of their own.
    fn comments_before(&mut self, at: usize, indent: &str) {
        while let Some(c) = self.comments.get(self.next_comment).filter(|c| c.span.start < at) {
            self.next_comment += 1;
            let between = self.text.get(self.last_end..c.span.start).unwrap_or("");
            if self.last_is_code && !between.contains('\n') && self.out.ends_with('\n') {
                self.out.pop();
                self.out.push_str(" //");
            } else {
                if self.has_blank_line(c.span.start) {
                    self.blank_line();
                }
                self.out.push_str(indent);
                self.out.push_str("//");
            }
            self.out.push_str(c.text.trim_end());
            self.out.push('\n');
            self.last_end = c.span.end;
            self.last_is_code = false;
        }
    }

    /// Whether the source has an empty line between the last item and `at`.
    fn has_blank_line(&self, at: usize) -> bool {
        if self.out.is_empty() {
            return false;
        }
        let between = self.text.get(self.last_end..at).unwrap_or("");
        between.split('\n').skip(1).take(between.matches('\n').count().saturating_sub(1)).any(|l| l.trim().is_empty())
    }

    fn blank_line(&mut self) {
        if !self.out.ends_with("\n\n") && !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// Whether a comment starts inside `start..end`: that part is then kept as written.
    /// The comments before `start` are written already, so only the next one can.
    fn comment_inside(&self, start: usize, end: usize) -> bool {
        self.comments.get(self.next_comment).is_some_and(|c| c.span.start > start && c.span.start < end)
    }

    /// `start..end` as written, its first line at `indent`; its comments are taken.
    fn verbatim(&mut self, start: usize, end: usize, indent: &str) {
        self.out.push_str(indent);
        self.out.push_str(&self.text.get(start..end).unwrap_or("").trim_end().replace("\r\n", "\n"));
        self.out.push('\n');
        while self.comments.get(self.next_comment).is_some_and(|c| c.span.start < end) {
            self.next_comment += 1;
        }
        self.last_end = end;
        self.last_is_code = true;
    }

    fn rule(&mut self, rule: &Rule) {
        let brace = self.brace_after(header_end(rule));
        if self.comment_inside(rule.span.start, brace) {
            self.verbatim(rule.span.start, brace + 1, "");
        } else {
            for line in &rule.doc {
                // Kept without the one space after `///`, which is written back.
                self.out.push_str(if line.is_empty() { "///" } else { "/// " });
                self.out.push_str(line);
                self.out.push('\n');
            }
            let title = expr::quoted(&rule.title.value, false);
            self.out.push_str(&format!("rule {} {title}\n", rule.id.name));
            self.out.push_str(&format!("{INDENT}cites {}\n", expr::quoted(&rule.cites.value, false)));
            if let Some(clause) = &rule.in_force {
                self.out.push_str(INDENT);
                self.out.push_str(&in_force(self.text, clause));
                self.out.push('\n');
            }
            if let Some(guard) = &rule.guard {
                let lead = format!("{INDENT}when ");
                let body = expr::broken(self.text, guard, lead.len(), &format!("{INDENT}{INDENT}"));
                self.out.push_str(&lead);
                self.out.push_str(&body);
                self.out.push('\n');
            }
            self.out.push_str("{\n");
            self.last_end = brace + 1;
            self.last_is_code = true;
        }
        for stmt in &rule.body {
            let (start, end) = self.stmt_bounds(stmt);
            self.comments_before(start, INDENT);
            if self.has_blank_line(start) {
                self.blank_line();
            }
            if self.comment_inside(start, end) {
                self.verbatim(start, end, INDENT);
            } else {
                self.stmt(stmt);
                self.last_end = end;
                self.last_is_code = true;
            }
        }
        let close = rule.span.end.saturating_sub(1);
        self.comments_before(close, INDENT);
        self.out.push_str("}\n");
        self.last_end = rule.span.end;
        self.last_is_code = true;
    }

    /// The `{` that opens a rule's body: the first after its header that is not in
    /// a comment.
    fn brace_after(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'{' => return i,
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = self.text.get(i..).and_then(|r| r.find('\n')).map_or(bytes.len(), |n| i + n);
                }
                _ => i += 1,
            }
        }
        from
    }

    /// Where a statement's text starts (its keyword) and ends.
    fn stmt_bounds(&self, stmt: &Stmt) -> (usize, usize) {
        let (start, end) = self.stmt_span(stmt);
        (start, self.past_parens(end))
    }

    /// Where the closing parentheses after `end` end: an expression's span leaves
    /// out the parentheses around it.
    fn past_parens(&self, end: usize) -> usize {
        let bytes = self.text.as_bytes();
        let (mut at, mut after) = (end, end);
        while let Some(&b) = bytes.get(at) {
            match b {
                b')' => {
                    at += 1;
                    after = at;
                }
                b' ' | b'\t' | b'\r' | b'\n' => at += 1,
                b'/' if bytes.get(at + 1) == Some(&b'/') => {
                    at = self.text.get(at..).and_then(|r| r.find('\n')).map_or(bytes.len(), |n| at + n);
                }
                _ => break,
            }
        }
        after
    }

    fn stmt_span(&self, stmt: &Stmt) -> (usize, usize) {
        match stmt {
            Stmt::Let { name, value } => (self.keyword_before(name.span.start, "let"), end_of(value)),
            Stmt::Output { name, value, condition, .. } => {
                let end = condition.as_ref().map_or(end_of(value), end_of);
                (self.keyword_before(name.span.start, "output"), end)
            }
            // A statement's own span may run on over the blanks and comments after it.
            Stmt::Effect { span, message, condition, .. } => {
                (span.start, condition.as_ref().map_or(message.span.end, end_of))
            }
        }
    }

    fn keyword_before(&self, at: usize, keyword: &str) -> usize {
        let before = self.text.get(..at).unwrap_or("").trim_end();
        before.len().saturating_sub(keyword.len())
    }

    fn stmt(&mut self, stmt: &Stmt) {
        let line = match stmt {
            Stmt::Let { name, value } => self.binding(&format!("let {} = ", name.name), value),
            Stmt::Output { name, ty, value, condition } => {
                let typed = ty.as_ref().map_or(String::new(), |t| format!(": {}", t.name));
                let mut line = self.binding(&format!("output {}{typed} = ", name.name), value);
                self.condition(&mut line, condition.as_ref());
                line
            }
            Stmt::Effect { kind, message, condition, .. } => {
                let keyword = match kind {
                    EffectKind::Deny => "deny",
                    EffectKind::Warn => "warn",
                    EffectKind::Note => "note",
                };
                let mut line = format!("{INDENT}{keyword} {}", expr::message(self.text, message));
                self.condition(&mut line, condition.as_ref());
                line
            }
        };
        self.out.push_str(&line);
        self.out.push('\n');
    }

    /// `let x = value` or `output x = value`: on one line when it fits, else the
    /// value on the next line, indented further.
    fn binding(&self, head: &str, value: &ast::Expr) -> String {
        let lead = format!("{INDENT}{head}");
        let flat = expr::flat(self.text, value);
        if lead.len() + flat.len() <= WIDTH {
            return format!("{lead}{flat}");
        }
        let indent = format!("{INDENT}{INDENT}");
        let body = expr::broken(self.text, value, indent.len(), &format!("{indent}{INDENT}"));
        format!("{}\n{indent}{body}", lead.trim_end())
    }

    /// An effect's or output's condition, on the next line.
    fn condition(&self, line: &mut String, condition: Option<&ast::Expr>) {
        if let Some(c) = condition {
            let lead = format!("{INDENT}{INDENT}if ");
            let body = expr::broken(self.text, c, lead.len(), &format!("{INDENT}{INDENT}{INDENT}"));
            line.push('\n');
            line.push_str(&lead);
            line.push_str(&body);
        }
    }
}

/// Where a rule's header ends in the source: after its guard, else its `in force`
/// clause, else its citation.
fn header_end(rule: &Rule) -> usize {
    let before_guard = rule.in_force.as_ref().map_or(rule.cites.span.end, |c| c.span.end);
    rule.guard.as_ref().map_or(before_guard, end_of)
}

/// `[continuously ]in force[ from A][ until B]`, on one line, or with `until` on
/// the next when the line would be too long.
fn in_force(text: &str, clause: &ast::InForce) -> String {
    let mut out = String::from(if clause.continuously { "continuously in force" } else { "in force" });
    if let Some(b) = &clause.from {
        out.push_str(&format!(" from {}", expr::flat(text, b)));
    }
    if let Some(b) = &clause.until {
        let until = format!("until {}", expr::flat(text, b));
        if clause.from.is_some() && INDENT.len() + out.len() + 1 + until.len() > WIDTH {
            out.push_str(&format!("\n{INDENT}{INDENT}{until}"));
        } else {
            out.push(' ');
            out.push_str(&until);
        }
    }
    out
}

/// Where an expression's last token ends. The span of an `if` (and so of what ends
/// with one) runs on over the blanks after it, where the parser looked for more.
fn end_of(e: &ast::Expr) -> usize {
    match &e.kind {
        ast::ExprKind::If { otherwise, .. } => end_of(otherwise),
        ast::ExprKind::Binary { rhs, .. } => end_of(rhs),
        ast::ExprKind::Unary { operand, .. } => end_of(operand),
        _ => e.span.end,
    }
}

#[cfg(test)]
mod generate;

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format_file(&SourceFile::new("t.policy", text)).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// Checks what `fmt` promises of `text`: it reads back as the same rules and
    /// comments, and laying it out again changes nothing.
    fn sound_and_idempotent(name: &str, text: &str) {
        let before =
            crate::syntax::parse_file(&SourceFile::new(name, text)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let once = format_file(&SourceFile::new(name, text)).unwrap_or_else(|e| {
            panic!("{name}: {e:?}\n{text}\n---\n{}", Printer::new(text, &before.comments).file(&before))
        });
        let after = crate::syntax::parse_file(&SourceFile::new(name, once.as_str()))
            .unwrap_or_else(|e| panic!("{name}: the laid-out text does not parse: {e:?}\n{once}"));
        assert_eq!(shape(&after), shape(&before), "{name}: not the same rules:\n{text}\n---\n{once}");
        assert_eq!(fmt(&once), once, "{name}: not idempotent:\n{text}\n---\n{once}");
    }

    #[test]
    fn the_shipped_rules_are_laid_out_soundly() {
        for (name, file) in crate::embedded::default_pack().files {
            if name.ends_with(".policy") {
                sound_and_idempotent(&name, &file.text);
                assert_eq!(fmt(&file.text), *file.text, "{name} is not formatted: run `entitle fmt policies`");
            }
        }
    }

    #[test]
    fn generated_rule_files_are_laid_out_soundly() {
        let mut g = generate::Gen::new(0x5eed);
        for i in 0..600 {
            let text = g.file();
            sound_and_idempotent(&format!("generated {i}"), &text);
        }
    }

    #[test]
    fn crlf_line_ends_are_kept() {
        let mut g = generate::Gen::new(0xc21f);
        for i in 0..100 {
            let text = g.file();
            let crlf = text.replace('\n', "\r\n");
            sound_and_idempotent(&format!("crlf {i}"), &crlf);
            assert_eq!(fmt(&crlf), fmt(&text).replace('\n', "\r\n"), "{crlf}");
        }
    }

    #[test]
    fn spans_are_left_out_of_a_shape() {
        assert_eq!(without_spans("A { span: Span { start: 1, end: 2 }, b: 3 }"), "A { span: _, b: 3 }");
    }

    #[test]
    fn a_rule_is_laid_out_and_its_comments_kept() {
        let text = "// top\n\n\n/// doc\nrule A   \"t\"   cites \"x#y\"  when a==b{let x=1+2*3 // why\n\n\n  deny \"no {x}\" if x>(1+2)*3 or not(a==b)\n// end\n}";
        let want = "// top\n\n/// doc\nrule A \"t\"\n  cites \"x#y\"\n  when a == b\n{\n  let x = 1 + 2 * 3 // why\n\n  deny \"no {x}\"\n    if x > (1 + 2) * 3 or not a == b\n  // end\n}\n";
        assert_eq!(fmt(text), want);
        assert_eq!(fmt(want), want);
    }
}
