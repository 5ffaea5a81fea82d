use crate::source::Src;
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum PackError {
    /// A rule file that does not parse: the pack is read with its rule files.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] crate::syntax::SyntaxError),

    #[error("{message}")]
    #[diagnostic(code(entitle::toml::syntax))]
    Toml {
        message: String,
        #[source_code]
        src: Src,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("two values of `{name}` are in force on the same days")]
    #[diagnostic(code(entitle::pack::overlapping_values))]
    OverlappingValues {
        name: String,
        #[source_code]
        src: Src,
        #[label("overlaps an earlier value")]
        span: SourceSpan,
        #[label("this one")]
        first: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("the pack has no `{file}`")]
    #[diagnostic(
        code(entitle::pack::missing_file),
        help("a pack folder holds pack.toml, schema.toml, params.toml and rules/*.policy")
    )]
    MissingFile { file: String },

    #[error("unknown key `{key}` in {context}")]
    #[diagnostic(code(entitle::pack::unknown_key))]
    UnknownKey {
        key: String,
        context: String,
        #[source_code]
        src: Src,
        #[label("not expected here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("missing key `{key}` in {context}")]
    #[diagnostic(code(entitle::pack::missing_key))]
    MissingKey {
        key: String,
        context: String,
        #[source_code]
        src: Src,
        #[label("add `{key}` here")]
        span: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code(entitle::pack::invalid_value))]
    Invalid {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// A value (a parameter's, or a field's default) that does not fit its declared type.
    #[error("{message}")]
    #[diagnostic(code(entitle::pack::wrong_type))]
    WrongType {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// A parameter set in params.toml whose type schema.toml does not declare.
    #[error("parameter `{name}` has no declared type")]
    #[diagnostic(code(entitle::pack::undeclared_param))]
    UndeclaredParam {
        name: String,
        #[source_code]
        src: Src,
        #[label("not declared in schema.toml")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    /// A parameter declared in schema.toml that params.toml does not set.
    #[error("parameter `{name}` is declared but has no value")]
    #[diagnostic(code(entitle::pack::unset_param))]
    UnsetParam {
        name: String,
        #[source_code]
        src: Src,
        #[label("declared here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("unknown type `{name}`")]
    #[diagnostic(code(entitle::schema::unknown_type))]
    UnknownType {
        name: String,
        #[source_code]
        src: Src,
        #[label("not a type")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },
}
