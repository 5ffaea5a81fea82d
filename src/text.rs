//! Comparing names as people write them: case, spacing and small misspellings.

/// `s` in lower case, with each run of white space as one space and none at the
/// ends: `Cloud  Business applications ` and `cloud business applications` fold
/// alike.
pub fn fold(s: &str) -> String {
    if !s.is_ascii() {
        // `to_lowercase` of a whole text knows what a letter does at a word's end
        // (Greek sigma); ASCII letters never depend on their neighbours.
        return squish(s).to_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// `s` with each run of white space as one space and none at the ends.
pub fn squish(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The candidate nearest to a misspelt `name` (compared folded), when it is close
/// enough to be the intended spelling: a third of the name's letters at most.
/// A candidate that `name` folds to exactly is no misspelling and is not offered.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = fold(name);
    let folded: Vec<(String, &str)> = candidates.into_iter().map(|c| (fold(c), c)).collect();
    if folded.iter().any(|(f, _)| *f == wanted) {
        return None;
    }
    nearest(&wanted, folded.iter().map(|(f, c)| (f.as_str(), *c)))
}

/// The nearest of `(folded, written)` candidates to the folded `wanted`, none of
/// which folds to it exactly.
fn nearest<'f, 'w>(wanted: &str, candidates: impl Iterator<Item = (&'f str, &'w str)>) -> Option<&'w str> {
    let limit = (wanted.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'w str)> = None;
    for (folded, written) in candidates {
        let d = edit_distance(wanted, folded);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, written));
        }
    }
    best.map(|(_, c)| c)
}

/// A list of names folded once, for [`NameIndex::known_as`] and
/// [`NameIndex::closest`] over the same list many times.
#[derive(Debug, Clone)]
pub struct NameIndex {
    /// Each name as written and folded, in the list's order.
    names: Vec<(String, String)>,
    /// The first name of each folded spelling.
    first: std::collections::HashMap<String, usize>,
}

impl NameIndex {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> NameIndex {
        let names: Vec<(String, String)> = names.into_iter().map(|n| (n.to_string(), fold(n))).collect();
        let mut first = std::collections::HashMap::with_capacity(names.len());
        for (i, (_, folded)) in names.iter().enumerate() {
            first.entry(folded.clone()).or_insert(i);
        }
        NameIndex { names, first }
    }

    /// The first listed name that `name` folds alike to, as the list writes it.
    pub fn known_as(&self, name: &str) -> Option<&str> {
        let i = *self.first.get(&fold(name))?;
        self.names.get(i).map(|(written, _)| written.as_str())
    }

    /// [`closest`] over the list.
    pub fn closest(&self, name: &str) -> Option<&str> {
        let wanted = fold(name);
        if self.first.contains_key(&wanted) {
            return None;
        }
        nearest(&wanted, self.names.iter().map(|(written, folded)| (folded.as_str(), written.as_str())))
    }
}

/// Levenshtein distance, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
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
    fn folding_ignores_case_and_runs_of_spaces() {
        assert_eq!(fold("  Cloud  Business\tapplications "), "cloud business applications");
        assert_eq!(squish(" Cloud  Platform "), "Cloud Platform");
    }

    #[test]
    fn the_closest_name_is_offered_only_for_a_misspelling() {
        let names = ["Cloud Platform", "Cloud Business Applications", "Security"];
        assert_eq!(closest("cloud platfrom", names), Some("Cloud Platform"));
        assert_eq!(closest("Securty", names), Some("Security"));
        assert_eq!(closest("cloud  PLATFORM", names), None, "not misspelt");
        assert_eq!(closest("Gardening", names), None, "nothing close");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn folding_ascii_and_other_text_alike() {
        assert_eq!(fold("\tA  b\n"), "a b");
        assert_eq!(fold(""), "");
        assert_eq!(fold("  "), "");
        // The ASCII path writes what the general one does.
        for s in ["Cloud\u{0b}Platform", " a\u{0c}B ", "MiXeD  case\r\n", " ÉCOLE  Σ ", "ΟΔΟΣ x"] {
            assert_eq!(fold(s), squish(s).to_lowercase(), "{s:?}");
        }
    }

    #[test]
    fn an_index_answers_as_the_list_does() {
        let names = ["Cloud Platform", "cloud  platform", "Security", "Data Analytics"];
        let index = NameIndex::new(names);
        for asked in ["CLOUD platform", "Securty", "security", "data analytic", "Gardening", "", "Cloud Platfrom"] {
            assert_eq!(index.closest(asked), closest(asked, names), "closest({asked:?})");
            let listed = names.iter().copied().find(|n| fold(n) == fold(asked));
            assert_eq!(index.known_as(asked), listed, "known_as({asked:?})");
        }
        assert_eq!(index.known_as("cloud platform"), Some("Cloud Platform"), "the first spelling");
    }
}
