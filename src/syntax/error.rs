use crate::source::Src;
use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum SyntaxError {
    #[error("{message}")]
    #[diagnostic(code(entitle::syntax::unexpected))]
    Unexpected {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{bracket}` is not closed")]
    #[diagnostic(code(entitle::syntax::unclosed), help("add the closing `{closing}`"))]
    Unclosed {
        bracket: char,
        closing: char,
        #[source_code]
        src: Src,
        #[label("opened here")]
        open: SourceSpan,
        #[label("the file ends here")]
        end: SourceSpan,
    },

    #[error("this string is not closed")]
    #[diagnostic(
        code(entitle::syntax::unterminated_string),
        help("end it with `\"` on the same line; write `\\\"` for a quote inside it")
    )]
    UnterminatedString {
        #[source_code]
        src: Src,
        #[label("the string begins here")]
        start: SourceSpan,
        #[label("and the line ends here")]
        end: SourceSpan,
    },

    #[error("rules nest deeper than {limit} levels")]
    #[diagnostic(code(entitle::syntax::too_deep), help("split the expression with `let` bindings"))]
    TooDeep {
        limit: usize,
        #[source_code]
        src: Src,
        #[label("nesting limit reached here")]
        span: SourceSpan,
    },

    #[error("the expression is longer than {limit} operations")]
    #[diagnostic(
        code(entitle::syntax::too_long),
        help("name parts of it with `let` (`let subtotal = a + b + c`) and combine those")
    )]
    TooLong {
        limit: usize,
        #[source_code]
        src: Src,
        #[label("the limit is reached at this operator")]
        span: SourceSpan,
    },

    #[error("`{text}` is not a date")]
    #[diagnostic(code(entitle::syntax::bad_date))]
    BadDate {
        text: String,
        #[source_code]
        src: Src,
        #[label("impossible date")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{text}` is too large a number")]
    #[diagnostic(code(entitle::syntax::bad_number), help("numbers have at most 30 digits"))]
    BadNumber {
        text: String,
        #[source_code]
        src: Src,
        #[label("out of range")]
        span: SourceSpan,
    },
}
