//! Comparing names as people write them: case, spacing and small misspellings.

/// `s` in lower case, with each run of white space as one space and none at the
/// ends: `Cloud  Business applications ` and `cloud business applications` fold
/// alike.
pub fn fold(s: &str) -> String {
    squish(s).to_lowercase()
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
    let limit = (wanted.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let folded = fold(c);
        if folded == wanted {
            return None;
        }
        let d = edit_distance(&wanted, &folded);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
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
}
