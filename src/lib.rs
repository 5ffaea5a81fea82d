//! `entitle`: checks policy packs and evaluates scenarios against them.
//!
//! The front door is [`Engine`]: load a pack once, then evaluate inputs from any
//! number of threads.
//!
//! ```
//! use entitle::{Date, Decision, Engine};
//!
//! let engine = Engine::shipped()?;
//! let as_of = Date::parse("2021-09-15")?;
//! let input = r#"{
//!     "subscription": { "active_seats": 7, "ends_on": "2022-01-31" },
//!     "request": { "action": "extend_end_date", "key_seats": 1 }
//! }"#;
//! let decided = engine.evaluate_json(input, as_of)?;
//! assert_eq!(decided.decision(), Decision::Allow);
//! let months = decided.output("extension_months").and_then(|o| o.as_number()).ok_or("no months")?;
//! assert_eq!((months.numerator(), months.denominator()), (12, 7)); // exact: 1 x 12 / 7
//! assert_eq!(months.to_decimal_string(2), "1.71");
//!
//! // The same input built field by field, checked against the schema.
//! let input = engine
//!     .input()
//!     .set("subscription.active_seats", 100)
//!     .set("subscription.ends_on", "2022-01-31")
//!     .set("request.action", "extend_end_date")
//!     .set("request.key_seats", 400)
//!     .build()?;
//! let decided = engine.evaluate(&input, as_of)?;
//! assert!(!decided.is_allowed());
//! assert_eq!(decided.denials().next().map(|d| d.rule), Some("EXTEND-3X-CAP"));
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
