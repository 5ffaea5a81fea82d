//! Source text to AST. The only module that knows pest.

mod depth;
mod error;
mod grammar;
mod lower;

pub use error::SyntaxError;
pub use lower::{MAX_HEIGHT, MAX_NESTING};

use crate::ast;
use crate::source::SourceFile;

/// Parses one rule file. pest stops at the first syntax error, so a file yields at
/// most one syntax error; other files are still parsed by the caller.
pub fn parse_file(file: &SourceFile) -> Result<ast::File, SyntaxError> {
    lower::parse_file(file)
}

/// Parses a standalone expression (used by tests and tools).
pub fn parse_expr(file: &SourceFile) -> Result<ast::Expr, SyntaxError> {
    lower::parse_expr(file)
}
