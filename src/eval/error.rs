use crate::source::{Note, Src};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A rule could not be evaluated for one scenario. The label points at the rule's
/// expression; the message names the scenario (an input given through the library,
/// with no scenario around it, has the empty name and reads as "the input").
#[derive(Debug, Error, Diagnostic)]
pub enum EvalError {
    #[error("rule `{rule}` needs `{field}`, which {} does not give", subject(.scenario))]
    #[diagnostic(code(entitle::eval::missing_input))]
    MissingInput {
        rule: String,
        field: String,
        scenario: String,
        #[source_code]
        src: Src,
        #[label("read here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
        /// Where the scenario is, in its own file.
        #[related]
        scenario_at: Vec<Note>,
    },

    #[error("rule `{rule}` reads output `{output}`, which has no value in {}", subject(.scenario))]
    #[diagnostic(
        code(entitle::eval::missing_output),
        help("the rule that writes it did not apply; test it with `{output} is present`")
    )]
    MissingOutput {
        rule: String,
        output: String,
        scenario: String,
        #[source_code]
        src: Src,
        #[label("read here")]
        span: SourceSpan,
        /// Where the scenario is, in its own file.
        #[related]
        scenario_at: Vec<Note>,
    },

    #[error("rule `{rule}` divides by zero in {}", subject(.scenario))]
    #[diagnostic(code(entitle::eval::division_by_zero))]
    DivisionByZero {
        rule: String,
        scenario: String,
        #[source_code]
        src: Src,
        #[label("the divisor is zero")]
        span: SourceSpan,
        /// Where the scenario is, in its own file.
        #[related]
        scenario_at: Vec<Note>,
    },

    #[error("rule `{rule}` computes a value out of range in {}", subject(.scenario))]
    #[diagnostic(
        code(entitle::eval::out_of_range),
        help("numbers are exact up to 38 digits; dates run from year 1 to 9999")
    )]
    OutOfRange {
        rule: String,
        scenario: String,
        #[source_code]
        src: Src,
        #[label("{what}")]
        span: SourceSpan,
        what: String,
        /// Where the scenario is, in its own file.
        #[related]
        scenario_at: Vec<Note>,
    },
}

/// What was evaluated: a scenario by its name, or an input given without one.
fn subject(scenario: &str) -> String {
    if scenario.is_empty() {
        "the input".to_string()
    } else {
        format!("scenario `{scenario}`")
    }
}

impl EvalError {
    /// The same error, also pointing at the scenario that met it.
    pub fn in_scenario(mut self, note: Note) -> Self {
        match &mut self {
            EvalError::MissingInput { scenario_at, .. }
            | EvalError::MissingOutput { scenario_at, .. }
            | EvalError::DivisionByZero { scenario_at, .. }
            | EvalError::OutOfRange { scenario_at, .. } => scenario_at.push(note),
        }
        self
    }

    /// What makes two errors the same but for the scenario: the kind, the rule, the
    /// place in it and the field.
    pub fn same_as_key(&self) -> (u8, &str, usize, &str) {
        match self {
            EvalError::MissingInput { rule, span, field, .. } => (0, rule, span.offset(), field),
            EvalError::MissingOutput { rule, span, output, .. } => (1, rule, span.offset(), output),
            EvalError::DivisionByZero { rule, span, .. } => (2, rule, span.offset(), ""),
            EvalError::OutOfRange { rule, span, what, .. } => (3, rule, span.offset(), what),
        }
    }

    /// The scenario that met the error.
    pub fn scenario(&self) -> &str {
        match self {
            EvalError::MissingInput { scenario, .. }
            | EvalError::MissingOutput { scenario, .. }
            | EvalError::DivisionByZero { scenario, .. }
            | EvalError::OutOfRange { scenario, .. } => scenario,
        }
    }

    /// The input field that was missing, for an error of that kind.
    pub fn missing_field(&self) -> Option<&str> {
        match self {
            EvalError::MissingInput { field, .. } => Some(field),
            _ => None,
        }
    }
}
