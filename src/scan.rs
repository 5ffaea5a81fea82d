//! Finding bytes eight at a time. The JSON reader and writer look for the bytes a
//! string must escape, and JSON Lines and YAML pieces for line ends, over every byte
//! of their input: a word at a time, that is a few instructions per eight bytes
//! instead of a comparison per byte.
//!
//! The masks below flag a matching byte with its high bit. A flag can also appear
//! above a true match (a borrow runs upward) but never below one, so the lowest flag
//! of a word is always the first match in it (words are read little-endian).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Flags the bytes of `x` that are zero.
#[inline(always)]
fn zeros(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Flags the bytes of `x` below `n` (`n` at most 128).
#[inline(always)]
fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS
}

/// The first place in `bytes` where `found` flags a byte of a word, or where `one`
/// holds for a byte of the tail.
#[inline(always)]
fn first(bytes: &[u8], found: impl Fn(u64) -> u64, one: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        let flags = found(u64::from_le_bytes(word));
        if flags != 0 {
            return Some(at + (flags.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|b| one(*b)).map(|i| at + i)
}

/// How many times `byte` occurs in `bytes`.
pub fn count(bytes: &[u8], byte: u8) -> usize {
    const LOWS: u64 = !HIGHS;
    let pattern = ONES * u64::from(byte);
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        let x = u64::from_le_bytes(word) ^ pattern;
        // Exactly the zero bytes (no borrow runs between bytes): the high bit of a
        // byte is clear after the sum only when all its bits were.
        let zero = !(((x & LOWS).wrapping_add(LOWS)) | x | LOWS);
        n += zero.count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|b| **b == byte).count()
}

/// The first `byte` in `bytes`.
pub fn find(bytes: &[u8], byte: u8) -> Option<usize> {
    let pattern = ONES * u64::from(byte);
    first(bytes, |w| zeros(w ^ pattern), |b| b == byte)
}

/// The first byte a JSON string cannot hold as it is: a quote, a backslash or a
/// control character.
pub fn json_special(bytes: &[u8]) -> Option<usize> {
    let (quotes, backslashes) = (ONES * u64::from(b'"'), ONES * u64::from(b'\\'));
    first(
        bytes,
        |w| zeros(w ^ quotes) | zeros(w ^ backslashes) | below(w, 0x20),
        |b| b == b'"' || b == b'\\' || b < 0x20,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value, at every place of texts longer and shorter than a word,
    /// among neighbours that are and are not themselves matches.
    #[test]
    fn words_find_what_bytes_find() {
        let special = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 31] {
            for at in 0..len {
                for value in 0..=255u8 {
                    for filler in [b'a', 0xff, 0x80, b'!', b']', b' '] {
                        let mut text = vec![filler; len];
                        text[at] = value;
                        if at + 1 < len {
                            text[at + 1] = b'"';
                        }
                        assert_eq!(json_special(&text), text.iter().position(|b| special(*b)), "{text:?}");
                        assert_eq!(find(&text, b'\n'), text.iter().position(|b| *b == b'\n'), "{text:?}");
                        assert_eq!(find(&text, value), text.iter().position(|b| *b == value), "{text:?}");
                        assert_eq!(count(&text, value), text.iter().filter(|b| **b == value).count(), "{text:?}");
                        assert_eq!(count(&text, filler), text.iter().filter(|b| **b == filler).count(), "{text:?}");
                    }
                }
            }
        }
    }
}
