//! Rendering diagnostics with miette. Graphical on a terminal; the same layout
//! without colour when `NO_COLOR` is set or the output is not a terminal; a compact
//! form naming `file:line:col` when a label sits on a very long line, where the
//! graphical handler would echo the whole line (or panic beyond column ~65,535).

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, SourceCode, SourceSpan};
use std::fmt::Write;

/// Lines longer than this (with their neighbours) are not echoed.
const MAX_ECHOED_BYTES: usize = 2_000;

pub struct Renderer {
    graphical: GraphicalReportHandler,
}

impl Renderer {
    pub fn new(color: bool, width: usize) -> Self {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        Renderer { graphical: GraphicalReportHandler::new_themed(theme).with_width(width).with_links(false) }
    }

    /// For snapshot tests: no colour, fixed width.
    pub fn plain(width: usize) -> Self {
        Renderer::new(false, width)
    }

    pub fn render(&self, diag: &dyn Diagnostic) -> String {
        let mut out = String::new();
        if too_long(diag, None) {
            compact(diag, None, &mut out);
        } else if self.graphical.render_report(&mut out, diag).is_err() {
            out = format!("{diag}\n");
        }
        out
    }
}

fn source<'a>(diag: &'a dyn Diagnostic, parent: Option<&'a dyn SourceCode>) -> Option<&'a dyn SourceCode> {
    diag.source_code().or(parent)
}

fn too_long(diag: &dyn Diagnostic, parent: Option<&dyn SourceCode>) -> bool {
    let src = source(diag, parent);
    let own = src.is_some_and(|src| {
        diag.labels().into_iter().flatten().any(|l| {
            let at: SourceSpan = (l.offset(), 0).into();
            src.read_span(&at, 1, 1).map_or(true, |c| c.data().len() > MAX_ECHOED_BYTES)
        })
    });
    own || diag.related().into_iter().flatten().any(|r| too_long(r, src))
}

fn compact(diag: &dyn Diagnostic, parent: Option<&dyn SourceCode>, out: &mut String) {
    let src = source(diag, parent);
    if let Some(code) = diag.code() {
        let _ = writeln!(out, "{code}");
    }
    let _ = writeln!(out, "  × {diag}");
    for l in diag.labels().into_iter().flatten() {
        let at: SourceSpan = (l.offset(), 0).into();
        if let Some(c) = src.and_then(|s| s.read_span(&at, 0, 0).ok()) {
            let name = c.name().unwrap_or("<input>");
            let _ = writeln!(out, "  at {name}:{}:{}: {}", c.line() + 1, c.column() + 1, l.label().unwrap_or(""));
        }
    }
    if let Some(help) = diag.help() {
        let _ = writeln!(out, "  help: {help}");
    }
    for r in diag.related().into_iter().flatten() {
        compact(r, src, out);
    }
}
