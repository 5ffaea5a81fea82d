//! `entitle`: checks policy packs and evaluates scenarios against them.
#![forbid(unsafe_code)]

pub mod ast;
pub mod calendar;
pub mod number;
pub mod source;
pub mod syntax;
