//! A failed expectation as a diagnostic that points at the `expect` node.

use super::human::mismatch;
use crate::scenario::Mismatch;
use crate::source::{SourceFile, Src};
use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error)]
#[error("scenario `{scenario}` does not meet its expectations")]
pub struct TestFailure {
    pub scenario: String,
    pub src: Src,
    pub mismatches: Vec<Mismatch>,
}

impl TestFailure {
    pub fn new(file: &SourceFile, scenario: &str, mismatches: Vec<Mismatch>) -> Self {
        TestFailure { scenario: scenario.to_string(), src: file.named(), mismatches }
    }
}

fn span_of(m: &Mismatch) -> SourceSpan {
    let s = match m {
        Mismatch::Decision { span, .. } | Mismatch::Rules { span, .. } | Mismatch::Output { span, .. } => *span,
    };
    s.into()
}

impl Diagnostic for TestFailure {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("entitle::test::mismatch"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.mismatches.iter().map(|m| LabeledSpan::new_with_span(Some(mismatch(m)), span_of(m)))))
    }
}
