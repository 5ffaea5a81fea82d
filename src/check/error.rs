use crate::source::{Note, Src};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum CheckError {
    /// A warning: a parameter of params.toml that no rule reads.
    #[error("parameter `{name}` is read by no rule")]
    #[diagnostic(code(entitle::check::unused_param), severity(Warning))]
    UnusedParam {
        name: String,
        #[source_code]
        src: Src,
        #[label("not read")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A warning: a field of the schema that no rule reads, so no scenario needs it.
    #[error("field `{field}` is read by no rule")]
    #[diagnostic(code(entitle::check::unused_field), severity(Warning))]
    UnusedField {
        field: String,
        #[source_code]
        src: Src,
        #[label("not read")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("unknown name `{name}`")]
    #[diagnostic(code(entitle::check::unknown_name))]
    UnknownName {
        name: String,
        #[source_code]
        src: Src,
        #[label("not an input part, output, parameter or `let` binding")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{record}` has no field `{field}`")]
    #[diagnostic(code(entitle::check::unknown_field))]
    UnknownField {
        field: String,
        record: String,
        #[source_code]
        src: Src,
        #[label("unknown field")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("unknown parameter `{path}`")]
    #[diagnostic(code(entitle::check::unknown_param))]
    UnknownParam {
        path: String,
        #[source_code]
        src: Src,
        #[label("not in params.toml")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("unknown function `{name}`")]
    #[diagnostic(code(entitle::check::unknown_function))]
    UnknownFunction {
        name: String,
        #[source_code]
        src: Src,
        #[label("not a built-in function")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(entitle::check::type_mismatch))]
    Type {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
        #[related]
        related: Vec<Note>,
    },

    #[error("`{value}` is not a value of `{enumeration}`")]
    #[diagnostic(code(entitle::check::not_a_value))]
    NotAValue {
        value: String,
        enumeration: String,
        #[source_code]
        src: Src,
        #[label("compared with a `{enumeration}` here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
        #[related]
        related: Vec<Note>,
    },

    #[error("{message}")]
    #[diagnostic(code(entitle::check::duplicate))]
    Duplicate {
        message: String,
        #[source_code]
        src: Src,
        #[label("declared again here")]
        span: SourceSpan,
        #[related]
        related: Vec<Note>,
    },

    #[error("rules depend on each other in a cycle: {cycle}")]
    #[diagnostic(
        code(entitle::check::cycle),
        help("an output cannot depend, directly or through other rules, on itself")
    )]
    Cycle {
        cycle: String,
        #[source_code]
        src: Src,
        #[label("reads `{output}`")]
        span: SourceSpan,
        output: String,
        #[related]
        related: Vec<Note>,
    },

    #[error("invalid pattern: {message}")]
    #[diagnostic(code(entitle::check::bad_pattern))]
    BadPattern {
        message: String,
        #[source_code]
        src: Src,
        #[label("this pattern")]
        span: SourceSpan,
    },
}
