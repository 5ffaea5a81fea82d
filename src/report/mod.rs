//! Reporters: the only place where line and column are computed and where output
//! is formatted. They return text; the CLI writes it.

pub mod audit;
pub mod cases;
pub mod catalogue;
pub mod coverage;
pub mod diagnostics;
pub mod diff;
pub mod edges;
pub mod explain;
pub mod formats;
pub mod human;
pub mod json;
pub mod json_value;
mod location;
pub mod markup;
pub mod problem;
pub mod schema;
mod test_failure;
pub mod trace_text;

pub use diagnostics::Renderer;
pub use test_failure::TestFailure;
