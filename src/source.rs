//! Source files as the library sees them: a name and the full text. Diagnostics
//! carry a cheap clone of the named source; line and column are computed only by
//! the reporters.

use miette::NamedSource;
use std::sync::Arc;

pub type Src = NamedSource<Arc<str>>;

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile { name: name.into(), text: text.into() }
    }

    pub fn named(&self) -> Src {
        NamedSource::new(self.name.clone(), Arc::clone(&self.text))
    }
}

/// The candidate closest to `name` by edit distance, when it is close enough to be
/// the intended spelling.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= limit && *c != name)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let best = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur[j + 1] = best;
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["active_seats", "ends_on", "kind"];
        assert_eq!(did_you_mean("activ_seats", names).as_deref(), Some("did you mean `active_seats`?"));
        assert_eq!(did_you_mean("zzz", names), None);
    }
}
