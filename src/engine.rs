//! Compiling a pack: the step above the stages that load it and check it, so that
//! neither stage depends on the other's errors, and the crate-wide [`Error`] holds
//! both.

use crate::error::Error;
use crate::pack::PackSources;
use crate::program::Program;

impl PackSources {
    /// Loads and compiles the pack, reporting the problems of every file together:
    /// rules are still checked when a parameter or a schema field is wrong.
    pub fn build(&self) -> Result<Program, Vec<Error>> {
        let (pack, errors) = self.load();
        let mut errors: Vec<Error> = errors.into_iter().map(Error::from).collect();
        let Some(pack) = pack else { return Err(errors) };
        match crate::check::compile(pack) {
            Ok(program) if errors.is_empty() => Ok(program),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more.into_iter().map(Error::from));
                Err(errors)
            }
        }
    }
}
