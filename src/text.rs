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
        // Only a nearer candidate than the best so far replaces it.
        let within = best.map_or(limit, |(b, _)| b.saturating_sub(1));
        if let Some(d) = distance_within(wanted, folded, within) {
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, written));
            }
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
    distance_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// The Levenshtein distance of `a` and `b` when it is at most `limit`. Names far
/// apart are told apart early: by their lengths, or by a row of the table that
/// is past the limit everywhere.
fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        return levenshtein_within(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    levenshtein_within(&a, &b, limit)
}

fn levenshtein_within<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // One row of the table, on the stack for names of ordinary length.
    let mut inline = [0usize; 64];
    let mut heap = Vec::new();
    let row: &mut [usize] = match inline.get_mut(..=b.len()) {
        Some(row) => row,
        None => {
            heap.resize(b.len() + 1, 0);
            &mut heap
        }
    };
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        let mut left = i + 1;
        if let Some(first) = row.first_mut() {
            *first = left;
        }
        let mut smallest = left;
        for (cb, cell) in b.iter().zip(row.iter_mut().skip(1)) {
            let up = *cell;
            let best = (diagonal + usize::from(ca != cb)).min(up + 1).min(left + 1);
            diagonal = up;
            *cell = best;
            left = best;
            smallest = smallest.min(best);
        }
        if smallest > limit {
            return None;
        }
    }
    row.last().copied().filter(|d| *d <= limit)
}

/// The distance of `a` and `b` counting a swap of two neighbouring characters as one
/// edit (`teir` is one edit from `tier`, `dya` from `day`), when it is at most
/// `limit`: the optimal string alignment distance, for suggesting a fix to a typo.
pub fn typo_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Three rows of the table: two back, one back, and the one being filled.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, cb) in b.iter().enumerate() {
            let mut best = (previous[j] + usize::from(ca != cb)).min(previous[j + 1] + 1).min(row[j] + 1);
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca);
            if let Some(two_back) = before.get(j.wrapping_sub(1)).filter(|_| swapped) {
                best = best.min(two_back + 1);
            }
            row[j + 1] = best;
            smallest = smallest.min(best);
        }
        if smallest > limit {
            return None;
        }
        before = std::mem::replace(&mut previous, std::mem::take(&mut row));
        row = vec![0; b.len() + 1];
    }
    previous.last().copied().filter(|d| *d <= limit)
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
    fn distances_within_a_limit_are_exact_and_others_are_none() {
        let words = ["", "a", "kitten", "sitting", "Σίσυφος", "σίσυφος", "flaw", "lawn", "saturday", "sunday"];
        for a in words {
            for b in words {
                let full = reference_distance(a, b);
                assert_eq!(edit_distance(a, b), full, "{a} / {b}");
                for limit in 0..=full + 1 {
                    let expected = (full <= limit).then_some(full);
                    assert_eq!(distance_within(a, b, limit), expected, "{a} / {b} within {limit}");
                }
            }
        }
        let long = "x".repeat(70);
        assert_eq!(edit_distance(&long, &"x".repeat(68)), 2, "longer than the row kept on the stack");
    }

    /// The whole table, as in a textbook.
    fn reference_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut t = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, row) in t.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in t[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                t[i][j] = (t[i - 1][j - 1] + cost).min(t[i - 1][j] + 1).min(t[i][j - 1] + 1);
            }
        }
        t[a.len()][b.len()]
    }

    #[test]
    fn a_swap_of_neighbours_is_one_typo() {
        assert_eq!(typo_distance_within("teir", "tier", 3), Some(1));
        assert_eq!(typo_distance_within("dya", "day", 1), Some(1));
        assert_eq!(typo_distance_within("dya", "days", 3), Some(2));
        assert_eq!(typo_distance_within("ab", "ba", 0), None);
        // Without a swap it is the Levenshtein distance.
        let words = ["", "a", "kitten", "sitting", "Σίσυφος", "σίσυφος", "flaw", "lawn", "saturday", "sunday"];
        for a in words {
            for b in words {
                let full = reference_distance(a, b);
                assert_eq!(typo_distance_within(a, b, usize::MAX - 1), Some(full), "{a} / {b}");
                if full > 0 {
                    assert_eq!(typo_distance_within(a, b, full - 1), None, "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn folding_ascii_and_other_text_alike() {
        assert_eq!(fold("\tA  b\n"), "a b");
        assert_eq!(fold(""), "");
        assert_eq!(fold("  "), "");
        // The ASCII path writes what the general one does.
        for s in ["North\u{0b}Wing", " a\u{0c}B ", "MiXeD  case\r\n", " ÉCOLE  Σ ", "ΟΔΟΣ x"] {
            assert_eq!(fold(s), squish(s).to_lowercase(), "{s:?}");
        }
    }

    #[test]
    fn an_index_answers_as_the_list_does() {
        let names = ["North Wing", "north  wing", "Harbour", "Reading Room"];
        let index = NameIndex::new(names);
        for asked in ["NORTH wing", "Harbor", "harbour", "reading roo", "Gardening", "", "North Wign"] {
            assert_eq!(index.closest(asked), closest(asked, names), "closest({asked:?})");
            let listed = names.iter().copied().find(|n| fold(n) == fold(asked));
            assert_eq!(index.known_as(asked), listed, "known_as({asked:?})");
        }
        assert_eq!(index.known_as("north wing"), Some("North Wing"), "the first spelling");
    }
}
