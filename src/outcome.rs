//! The result of evaluating one scenario: data, rendered by the reporters.

use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Deny => "deny",
        }
    }
}

/// A denial or a warning: the index of the rule in the program, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub decision: Decision,
    pub denials: Vec<Finding>,
    pub warnings: Vec<Finding>,
    /// Information for the reader from `note` statements; never changes the decision.
    pub notes: Vec<Finding>,
    /// Computed outputs: index into `Program::outputs`, and the value.
    pub outputs: Vec<(usize, Value)>,
}
