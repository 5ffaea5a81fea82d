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

    /// A warning: a citation that names no source document or section of the pack's
    /// `sources/` (checked when the pack carries any).
    #[error("{message}")]
    #[diagnostic(code(entitle::check::unresolved_citation), severity(Warning))]
    UnresolvedCitation {
        message: String,
        #[source_code]
        src: Src,
        #[label("not found in the pack's sources")]
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

    /// Two versions of a rule (rules of one id) in force on the same day, or a
    /// version with no `in force` clause beside another.
    #[error("{message}")]
    #[diagnostic(code(entitle::check::overlapping_versions))]
    OverlappingVersions {
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

    /// Days between two versions of a rule that says it is `continuously in force`.
    #[error("rule `{id}` is continuously in force, but no version of it is in force {gap}")]
    #[diagnostic(code(entitle::check::gap_between_versions))]
    GapBetweenVersions {
        id: String,
        gap: String,
        #[source_code]
        src: Src,
        #[label("this version begins after the gap")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
        #[related]
        related: Vec<Note>,
    },

    /// A bound of `in force` that is not a date known when the pack is compiled.
    #[error("{message}")]
    #[diagnostic(code(entitle::check::bad_in_force))]
    BadInForce {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// A dated parameter read on a day when it has no value: a day its rule is in force.
    #[error("`{param}` has no value in force {gap}, when rule `{id}` is in force")]
    #[diagnostic(code(entitle::check::no_value_in_force))]
    NoValueInForce {
        param: String,
        gap: String,
        id: String,
        #[source_code]
        src: Src,
        #[label("read here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
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
