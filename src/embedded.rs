//! The shipped pack, embedded at build time from `policies/` by `build.rs`.

use crate::pack::PackSources;
use crate::source::SourceFile;

include!(concat!(env!("OUT_DIR"), "/embedded_pack.rs"));

/// The folder name shown in diagnostics for the embedded pack's files.
pub const EMBEDDED_ROOT: &str = "policies";

pub fn default_pack() -> PackSources {
    PackSources {
        files: EMBEDDED_PACK
            .iter()
            .map(|(rel, text)| (rel.to_string(), SourceFile::new(format!("{EMBEDDED_ROOT}/{rel}"), *text)))
            .collect(),
    }
}
