//! `entitle`: checks policy packs and evaluates scenarios against them.
//!
//! The front door is [`Engine`]: load a pack once, then evaluate inputs from any
//! number of threads.
//!
//! ```
//! use entitle::pack::PackSources;
//! use entitle::source::SourceFile;
//! use entitle::{Date, Decision, Engine};
//!
//! // A pack in memory (`Engine::shipped()` and `Engine::from_folder(dir)` load others).
//! let file = |name: &str, text: &str| (name.to_string(), SourceFile::new(name, text));
//! let pack = PackSources {
//!     files: vec![
//!         file("pack.toml", "[pack]\nname = \"orders\"\nversion = \"1.0.0\"\ndescription = \"seats per group\"\n"),
//!         file("params.toml", "# none\n"),
//!         file("schema.toml", "[input.order]\nseats = { type = \"int\", doc = \"seats\" }\n\
//!                              groups = { type = \"int\", doc = \"groups\" }\n"),
//!         file("rules/split.policy", "/// Seats are split between at most as many groups.\n\
//!             rule SPLIT \"Split\" cites \"doc#split\" {\n\
//!               deny \"more groups than seats\" if order.groups > order.seats\n\
//!               output per_group = order.seats / order.groups if order.groups <= order.seats\n}\n"),
//!     ],
//! };
//! let engine = Engine::from_sources(&pack)?;
//! let as_of = Date::parse("2021-09-15")?;
//!
//! let decided = engine.evaluate_json(r#"{"order": {"seats": 12, "groups": 7}}"#, as_of)?;
//! assert_eq!(decided.decision(), Decision::Allow);
//! let n = decided.output("per_group").and_then(|o| o.as_number()).ok_or("no output")?;
//! assert_eq!((n.numerator(), n.denominator()), (12, 7)); // exact
//! assert_eq!(n.to_decimal_string(2), "1.71");
//!
//! // The same kind of input built field by field, checked against the schema.
//! let input = engine.input().set("order.seats", 2).set("order.groups", 3).build()?;
//! let decided = engine.evaluate(&input, as_of)?;
//! assert!(!decided.is_allowed());
//! assert_eq!(decided.denials().next().map(|d| d.rule), Some("SPLIT"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
pub mod citation;
pub mod cli;
pub mod coverage;
pub mod diff;
pub mod dispatch;
pub mod edges;
pub mod embedded;
pub mod engine;
pub mod error;
pub mod eval;
pub mod files;
pub mod fold;
pub mod format;
pub mod input;
pub mod lsp;
pub mod number;
pub mod outcome;
pub mod pack;
pub mod pieces;
pub mod program;
pub mod report;
pub mod run;
mod scan;
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
