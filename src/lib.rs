//! `entitle`: checks policy packs and evaluates scenarios against them.
//!
//! Data flows one way: source text -> [`syntax`] -> [`ast`] -> [`pack`] (schema and
//! parameters) -> [`check`] -> [`program`] -> [`eval`] per [`scenario`] ->
//! [`outcome`] -> [`report`]. [`engine`] compiles a pack above the stages, and
//! [`error`] unites their errors. Only [`cli`] and [`report`] do I/O. No module
//! imports another in a loop (a test checks the graph).
#![forbid(unsafe_code)]
// `report::json_value::json!` reads a value token by token, as `serde_json::json!` does.
#![recursion_limit = "512"]

pub mod ast;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod coverage;
pub mod diff;
pub mod dispatch;
pub mod embedded;
pub mod engine;
pub mod error;
pub mod eval;
pub mod files;
pub mod input;
pub mod number;
pub mod outcome;
pub mod pack;
pub mod pieces;
pub mod program;
pub mod report;
pub mod run;
pub mod scenario;
pub mod source;
mod stack;
pub mod syntax;
pub mod text;
pub mod trace;
pub mod types;
pub mod value;

pub use engine::{Date, Decided, Engine, Found, Input, InputBuilder, InputValue, Output, Problems};
pub use error::Error;
pub use number::Number;
pub use outcome::Decision;
