//! Rendering diagnostics with miette. Graphical on a terminal; the same layout
//! without colour when `NO_COLOR` is set or the output is not a terminal; plain
//! narration when a label sits so far right that the graphical handler would fail.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NarratableReportHandler};

/// Beyond this column the graphical handler is not used (it panics past ~65,535 and
/// echoes the whole line).
const MAX_GRAPHICAL_COLUMN: usize = 10_000;

pub struct Renderer {
    graphical: GraphicalReportHandler,
    narratable: NarratableReportHandler,
}

impl Renderer {
    pub fn new(color: bool, width: usize) -> Self {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            graphical: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false),
            narratable: NarratableReportHandler::new(),
        }
    }

    /// For snapshot tests: no colour, fixed width.
    pub fn plain(width: usize) -> Self {
        Renderer::new(false, width)
    }

    pub fn render(&self, diag: &dyn Diagnostic) -> String {
        let mut out = String::new();
        let result = if too_wide(diag) {
            self.narratable.render_report(&mut out, diag)
        } else {
            self.graphical.render_report(&mut out, diag)
        };
        if result.is_err() {
            out = format!("{diag}\n");
        }
        out
    }
}

fn too_wide(diag: &dyn Diagnostic) -> bool {
    let own = diag.source_code().is_some_and(|src| {
        diag.labels().into_iter().flatten().any(|l| {
            src.read_span(l.inner(), 0, 0)
                .map_or(true, |c| c.column() > MAX_GRAPHICAL_COLUMN)
        })
    });
    own || diag.related().into_iter().flatten().any(too_wide)
}
