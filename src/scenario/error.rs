use crate::source::{Note, Src};
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum ScenarioError {
    #[error("invalid YAML: {message}")]
    #[diagnostic(code(entitle::yaml::syntax))]
    Yaml {
        message: String,
        #[source_code]
        src: Src,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("invalid JSON: {message}")]
    #[diagnostic(code(entitle::json::syntax))]
    Json {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("the file is not UTF-8 text")]
    #[diagnostic(code(entitle::yaml::not_utf8), help("save the file as UTF-8"))]
    NotUtf8 {
        #[source_code]
        src: Src,
        #[label("invalid byte here")]
        span: SourceSpan,
    },

    #[error("{what} exceeds the limit of {limit}")]
    #[diagnostic(code(entitle::yaml::limit))]
    Limit {
        what: String,
        limit: usize,
        #[source_code]
        src: Src,
        #[label("limit reached here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` is too large for `{field}`")]
    #[diagnostic(code(entitle::scenario::number_too_large), help("{range}"))]
    NumberTooLarge {
        text: String,
        field: String,
        #[source_code]
        src: Src,
        #[label("out of range")]
        span: SourceSpan,
        range: String,
    },

    #[error("YAML merge keys (`<<`) are not supported")]
    #[diagnostic(
        code(entitle::yaml::merge_key),
        help("write the keys of the merged mapping out in this mapping; a scenario states its input in full")
    )]
    MergeKey {
        #[source_code]
        src: Src,
        #[label("merge key")]
        span: SourceSpan,
    },

    #[error("duplicate key `{key}`")]
    #[diagnostic(code(entitle::yaml::duplicate_key), help("a key may appear once in a mapping"))]
    DuplicateKey {
        key: String,
        #[source_code]
        src: Src,
        #[label("second occurrence")]
        span: SourceSpan,
        #[related]
        related: Vec<Note>,
    },

    #[error("unknown field `{key}` in {context}")]
    #[diagnostic(code(entitle::scenario::unknown_field))]
    UnknownField {
        key: String,
        context: String,
        #[source_code]
        src: Src,
        #[label("not declared")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("missing field `{key}` in {context}")]
    #[diagnostic(code(entitle::scenario::missing_field))]
    MissingField {
        key: String,
        context: String,
        #[source_code]
        src: Src,
        #[label("`{key}` is required here")]
        span: SourceSpan,
    },

    #[error("`{field}` must be {expected}, found {found}")]
    #[diagnostic(code(entitle::scenario::wrong_type))]
    WrongType {
        field: String,
        expected: String,
        found: String,
        #[source_code]
        src: Src,
        #[label("expected {expected}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` is not a valid date")]
    #[diagnostic(code(entitle::scenario::bad_date))]
    BadDate {
        text: String,
        #[source_code]
        src: Src,
        #[label("invalid date")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{value}` is not a value of `{field}`")]
    #[diagnostic(code(entitle::scenario::not_a_value))]
    NotAValue {
        value: String,
        field: String,
        #[source_code]
        src: Src,
        #[label("not allowed")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{field}` is {value}, {constraint}")]
    #[diagnostic(code(entitle::scenario::out_of_range))]
    OutOfRange {
        field: String,
        value: String,
        constraint: String,
        #[source_code]
        src: Src,
        #[label("out of range")]
        span: SourceSpan,
    },

    #[error("scenario `{name}` is named twice in this file")]
    #[diagnostic(code(entitle::scenario::duplicate_name), help("scenario names are unique within their file"))]
    DuplicateScenario {
        name: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[related]
        related: Vec<Note>,
    },

    #[error("the file holds no scenario")]
    #[diagnostic(
        code(entitle::scenario::empty),
        help("a scenario file holds one or more YAML documents with `scenario`, `as_of` and `input`")
    )]
    Empty {
        #[source_code]
        src: Src,
        #[label("empty")]
        span: SourceSpan,
    },

    #[error("`{name}` is not {what} of the pack")]
    #[diagnostic(code(entitle::scenario::unknown_name))]
    UnknownName {
        name: String,
        what: String,
        #[source_code]
        src: Src,
        #[label("unknown")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },
}
