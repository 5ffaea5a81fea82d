use miette::Diagnostic;
use thiserror::Error;

/// Problems with the files named on the command line, before any parsing.
#[derive(Debug, Error, Diagnostic)]
pub enum CliError {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(entitle::io::read))]
    Read { path: String, reason: String },

    #[error("`{path}` is too large ({size} bytes; the limit is {limit})")]
    #[diagnostic(code(entitle::io::too_large), help("scenario and pack files are small; split the file"))]
    TooLarge { path: String, size: u64, limit: u64 },

    #[error("`{path}` holds no scenario files")]
    #[diagnostic(code(entitle::io::no_scenarios), help("scenario files end in .yaml or .yml"))]
    NoScenarios { path: String },

    #[error("folders nest deeper than {limit} levels below `{path}`")]
    #[diagnostic(code(entitle::io::too_deep))]
    TooDeep { path: String, limit: usize },
}
