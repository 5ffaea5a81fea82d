//! How deep a rule file nests, measured by one pass over its bytes before pest runs:
//! pest recurses once per level, so the limit must hold before it starts.
//!
//! Brackets nest, and so does an `if` expression, which has no closing token: it is
//! counted from its `if` to the `,`, closing bracket or statement keyword that ends
//! it at its own level. A statement's condition or a comprehension's filter follows a
//! value (`deny "..." if x`), opens nothing and is not counted, as in the lowering.

/// Where the nesting first goes beyond `limit`, as a byte offset.
pub fn first_beyond(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut frames = vec![Frame::code(false)];
    let mut depth = 0usize;
    let mut after_value = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let in_string = frames.last().is_some_and(|f| f.string);
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' | b'\n' => {
                    frames.pop();
                    after_value = true;
                }
                b'{' => {
                    frames.push(Frame::code(true));
                    depth += 1;
                    after_value = false;
                    if depth > limit {
                        return Some(i);
                    }
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|c| *c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' => frames.push(Frame { string: true, counted: false, ifs: 0 }),
            b'(' | b'[' | b'{' => {
                // A rule's own `{ ... }` is not nesting: statements start at level 0.
                let counted = b != b'{' || frames.len() > 1;
                frames.push(Frame::code(counted));
                depth += usize::from(counted);
                after_value = false;
                if depth > limit {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => {
                if frames.len() > 1 {
                    if let Some(f) = frames.pop() {
                        depth -= f.ifs + usize::from(f.counted);
                    }
                }
                after_value = true;
            }
            b',' => {
                end_ifs(&mut frames, &mut depth);
                after_value = false;
            }
            b if b.is_ascii_alphanumeric() || b == b'_' => {
                let start = i;
                while bytes.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                match word {
                    "if" if !after_value => {
                        if let Some(f) = frames.last_mut() {
                            f.ifs += 1;
                        }
                        depth += 1;
                        if depth > limit {
                            return Some(start);
                        }
                        after_value = false;
                    }
                    "rule" | "let" | "output" | "deny" | "warn" | "note" => {
                        end_ifs(&mut frames, &mut depth);
                        after_value = false;
                    }
                    "if" | "then" | "else" | "and" | "or" | "not" | "in" | "is" | "for" | "cites" | "when" => {
                        after_value = false;
                    }
                    _ => after_value = true,
                }
                continue;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_value = false,
        }
        i += 1;
    }
    None
}

/// What is left open in a rule file: the innermost bracket not closed at its end,
/// and the first string not closed on its line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Unbalanced {
    pub unclosed: Option<usize>,
    pub unterminated_string: Option<usize>,
}

/// Brackets and strings, read as `first_beyond` reads them; used to explain a syntax
/// error at the end of a file or of a line.
pub fn unbalanced(text: &str) -> Unbalanced {
    let bytes = text.as_bytes();
    // Offsets of open brackets and strings; a string is marked by its quote.
    let mut open: Vec<usize> = Vec::new();
    let mut found = Unbalanced::default();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let in_string = open.last().is_some_and(|o| bytes.get(*o) == Some(&b'"'));
        match b {
            b'\\' if in_string => i += 1,
            b'"' if in_string => {
                open.pop();
            }
            b'\n' if in_string => {
                found.unterminated_string = found.unterminated_string.or(open.pop());
                continue;
            }
            b'{' if in_string => open.push(i),
            _ if in_string => {}
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|c| *c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' | b'(' | b'[' | b'{' => open.push(i),
            b')' | b']' | b'}' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(&last) = open.last() {
        if bytes.get(last) == Some(&b'"') {
            found.unterminated_string = found.unterminated_string.or(Some(last));
            open.pop();
        }
    }
    found.unclosed = open.last().copied();
    found
}

struct Frame {
    string: bool,
    counted: bool,
    /// `if` expressions open at this level.
    ifs: usize,
}

impl Frame {
    fn code(counted: bool) -> Self {
        Frame { string: false, counted, ifs: 0 }
    }
}

fn end_ifs(frames: &mut [Frame], depth: &mut usize) {
    if let Some(f) = frames.last_mut() {
        *depth -= f.ifs;
        f.ifs = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::first_beyond;

    #[test]
    fn brackets_and_if_expressions_nest() {
        assert_eq!(first_beyond("((x))", 2), None);
        assert_eq!(first_beyond("(((x)))", 2), Some(2));
        assert_eq!(first_beyond("[f(x)]", 2), None);
        assert_eq!(first_beyond("if a then if b then 1 else 2 else 3", 2), None);
        assert_eq!(first_beyond("if a then if b then if c then 1 else 2 else 3 else 4", 2), Some(20));
    }

    #[test]
    fn open_brackets_and_strings_are_found() {
        use super::{unbalanced, Unbalanced};
        assert_eq!(unbalanced("rule A { deny \"x\" }"), Unbalanced::default());
        assert_eq!(unbalanced("rule A { deny \"x\" \n"), Unbalanced { unclosed: Some(7), unterminated_string: None });
        let open_string = "rule A { deny \"x {y} \n}";
        assert_eq!(unbalanced(open_string), Unbalanced { unclosed: None, unterminated_string: Some(14) });
        assert_eq!(unbalanced("f(\"a(\" // (\n"), Unbalanced { unclosed: Some(1), unterminated_string: None });
    }

    #[test]
    fn siblings_conditions_and_text_do_not_nest() {
        let siblings = "[if a then 1 else 2, if b then 1 else 2, if c then 1 else 2]";
        assert_eq!(first_beyond(siblings, 2), None);
        let statements = "rule A \"t\" cites \"s\" { let x = if a then 1 else 2\n let y = if b then 1 else 2 }";
        assert_eq!(first_beyond(statements, 1), None);
        assert_eq!(first_beyond("rule A \"t\" cites \"s\" { deny \"no\" if (x) }", 1), None);
        assert_eq!(first_beyond("[x for x in xs if (x)]", 2), None);
        assert_eq!(first_beyond("\"((((\" // ((((\n", 1), None);
        assert_eq!(first_beyond("\"a {(x)} b\"", 1), Some(4));
        assert_eq!(first_beyond("\"a \\{ {x} b\"", 1), None);
    }
}
