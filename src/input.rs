use miette::Diagnostic;
use thiserror::Error;

/// Problems with the files given as input (pack folders, scenario files, git
/// revisions), before any parsing.
#[derive(Debug, Error, Diagnostic)]
pub enum InputError {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(entitle::io::read))]
    Read { path: String, reason: String },

    #[error("`{path}` does not exist")]
    #[diagnostic(code(entitle::io::missing))]
    Missing {
        path: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{path}` is {kind}, not a regular file")]
    #[diagnostic(
        code(entitle::io::not_regular),
        help("name scenario files or folders of them; FIFOs, sockets and devices are not read")
    )]
    NotRegular { path: String, kind: &'static str },

    #[error("`{path}` is a broken link: {reason}")]
    #[diagnostic(code(entitle::io::broken_link), help("point the link at a file that exists, or remove it"))]
    BrokenLink { path: String, reason: String },

    #[error("`{path}` is too large ({size} bytes; the limit is {limit})")]
    #[diagnostic(code(entitle::io::too_large), help("scenario and pack files are small; split the file"))]
    TooLarge { path: String, size: u64, limit: u64 },

    #[error("line {line} of `{path}` is longer than {limit} bytes")]
    #[diagnostic(
        code(entitle::io::line_too_long),
        help("a line of JSON Lines holds one scenario; this one was not read")
    )]
    LineTooLong { path: String, line: usize, limit: usize },

    #[error("line {line} of `{path}` is not UTF-8 text")]
    #[diagnostic(
        code(entitle::io::not_utf8),
        help("save the file as UTF-8; lines {from} to {to}, read together with it, were not evaluated")
    )]
    NotUtf8Line { path: String, line: usize, from: usize, to: usize },

    #[error("`{path}` holds no scenario files")]
    #[diagnostic(code(entitle::io::no_scenarios), help("scenario files end in .yaml, .yml, .json, .jsonl or .ndjson"))]
    NoScenarios { path: String },

    #[error("folders nest deeper than {limit} levels below `{path}`")]
    #[diagnostic(code(entitle::io::too_deep))]
    TooDeep { path: String, limit: usize },

    #[error("`{base}` is neither a folder nor a git revision: {reason}")]
    #[diagnostic(
        code(entitle::diff::base),
        help("give a pack folder, or a revision of the git repository the pack is in (a branch, a tag, a commit)")
    )]
    Base { base: String, reason: String },

    #[error("the pack at `{path}` in `{rev}` cannot be read: {reason}")]
    #[diagnostic(code(entitle::diff::git))]
    Git { rev: String, path: String, reason: String },
}

impl InputError {
    /// The file or folder the problem is about.
    pub fn path(&self) -> &str {
        match self {
            InputError::Read { path, .. } | InputError::TooLarge { path, .. } | InputError::Missing { path, .. } => {
                path
            }
            InputError::NotRegular { path, .. } | InputError::BrokenLink { path, .. } => path,
            InputError::LineTooLong { path, .. } | InputError::NotUtf8Line { path, .. } => path,
            InputError::NoScenarios { path } | InputError::TooDeep { path, .. } | InputError::Git { path, .. } => path,
            InputError::Base { base, .. } => base,
        }
    }
}
