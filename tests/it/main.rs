//! The integration tests: one test binary (modules below) keeps the build short.
// A failing test panics: that is how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod architecture;
mod ci_example;
mod cli;
mod common;
mod dating;
mod diagnostics;
mod diff;
mod discovery;
mod dispatch;
mod edges;
mod editors;
mod explain;
mod fmt;
mod formats;
mod hostile;
mod init;
mod inputs;
mod language;
mod library;
mod newcomer;
mod pack;
mod params;
mod report;
mod robustness;
mod schema;
mod streams;
