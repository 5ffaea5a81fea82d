use crate::source::Src;
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A rule could not be evaluated for one scenario. The label points at the rule's
/// expression; the message names the scenario.
#[derive(Debug, Error, Diagnostic)]
pub enum EvalError {
    #[error("rule `{rule}` needs `{field}`, which scenario `{scenario}` does not give")]
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
    },

    #[error("rule `{rule}` reads output `{output}`, which has no value in scenario `{scenario}`")]
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
    },

    #[error("rule `{rule}` divides by zero in scenario `{scenario}`")]
    #[diagnostic(code(entitle::eval::division_by_zero))]
    DivisionByZero {
        rule: String,
        scenario: String,
        #[source_code]
        src: Src,
        #[label("the divisor is zero")]
        span: SourceSpan,
    },

    #[error("rule `{rule}` computes a value out of range in scenario `{scenario}`")]
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
    },
}
