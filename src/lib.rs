//! `entitle`: checks policy packs and evaluates scenarios against them.
//!
//! Data flows one way: source text -> [`syntax`] -> [`ast`] -> [`pack`] (schema and
//! parameters) -> [`check`] -> [`program`] -> [`eval`] per [`scenario`] ->
//! [`outcome`] -> [`report`]. Only [`cli`] and [`report`] do I/O.
#![forbid(unsafe_code)]

pub mod ast;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod coverage;
pub mod diff;
pub mod embedded;
pub mod error;
pub mod eval;
pub mod number;
pub mod outcome;
pub mod pack;
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

pub use error::Error;
