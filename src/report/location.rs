//! Line and column of a byte offset, for reports that name a place without
//! rendering a snippet. Lines come from the file's index, built once.

use crate::source::SourceFile;

/// 1-based line and column (in characters) of `offset` in `file`; an offset past the
/// end or inside a character counts from the last character boundary before it.
pub fn line_col(file: &SourceFile, offset: usize) -> (usize, usize) {
    let text: &str = &file.text;
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let line = file.line_of(at);
    let line_start = file.line_starts().get(line - file.first_line - 1).copied().unwrap_or(0);
    let column = text.get(line_start..at).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::line_col;
    use crate::source::SourceFile;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let file = SourceFile::new("t", "ab\ncé d\r\nx\ry");
        assert_eq!(line_col(&file, 0), (1, 1));
        assert_eq!(line_col(&file, 3), (2, 1));
        assert_eq!(line_col(&file, 6), (2, 3));
        assert_eq!(line_col(&file, 5), (2, 2));
        assert_eq!(line_col(&file, 10), (3, 1));
        assert_eq!(line_col(&file, 12), (4, 1));
        assert_eq!(line_col(&file, 999), (4, 2));
    }
}
