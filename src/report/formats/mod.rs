//! Machine formats over a [`Report`](super::cases::Report): JUnit XML, SARIF 2.1.0,
//! GitHub workflow annotations and a markdown summary.

pub mod github;
pub mod junit;
pub mod markdown;
pub mod sarif;
