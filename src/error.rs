//! Every diagnostic the library can produce, one variant per stage.

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] crate::syntax::SyntaxError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pack(#[from] crate::pack::PackError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] crate::check::CheckError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Eval(#[from] crate::eval::EvalError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Io(#[from] crate::input::InputError),
}
