//! Exact numbers: a reduced fraction of two `i128`s. Every operation is checked, so
//! an overflow or a zero divisor is a value the caller turns into a diagnostic.

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    num: i128,
    den: i128,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    Overflow,
    DivisionByZero,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.checked_abs().unwrap_or(i128::MAX);
    b = b.checked_abs().unwrap_or(i128::MAX);
    // Most numbers are small: 64-bit division is many times faster than 128-bit.
    if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
        return i128::from(gcd_u64(x, y));
    }
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Number {
    pub const ZERO: Number = Number { num: 0, den: 1 };
    pub const ONE: Number = Number { num: 1, den: 1 };

    /// The numerator when it fits in 64 bits.
    #[inline(always)]
    fn small(self) -> Option<i64> {
        i64::try_from(self.num).ok()
    }

    #[inline(always)]
    fn small_den(self) -> Option<i64> {
        i64::try_from(self.den).ok()
    }

    pub fn from_int(n: i64) -> Number {
        Number { num: i128::from(n), den: 1 }
    }

    pub fn ratio(num: i128, den: i128) -> Result<Number, ArithError> {
        if den == 1 {
            return Ok(Number { num, den });
        }
        if den == 0 {
            return Err(ArithError::DivisionByZero);
        }
        // Most numbers are small: 64-bit division is many times faster than 128-bit.
        if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den)) {
            if n != i64::MIN && d != i64::MIN {
                let g = gcd_u64(n.unsigned_abs(), d.unsigned_abs()).max(1) as i64;
                let (n, d) = (n / g, d / g);
                let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
                return Ok(Number { num: i128::from(n), den: i128::from(d) });
            }
        }
        let g = gcd(num, den);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg().ok_or(ArithError::Overflow)?;
            den = den.checked_neg().ok_or(ArithError::Overflow)?;
        }
        Ok(Number { num, den })
    }

    /// Parses a plain decimal (`12`, `-0.5`, `3.25`). No exponent, no sign `+`,
    /// no leading zeros, at most 30 digits.
    pub fn parse_decimal(text: &str) -> Option<Number> {
        let (neg, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok(int_part) || (int_part.len() > 1 && int_part.starts_with('0')) {
            return None;
        }
        if let Some(f) = frac_part {
            if !digits_ok(f) {
                return None;
            }
        }
        let frac = frac_part.unwrap_or("");
        if int_part.len() + frac.len() > 30 {
            return None;
        }
        let mut num: i128 = 0;
        for b in int_part.bytes().chain(frac.bytes()) {
            num = num.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        let den = 10i128.checked_pow(u32::try_from(frac.len()).ok()?)?;
        if neg {
            num = -num;
        }
        Number::ratio(num, den).ok()
    }

    /// The numerator of the reduced fraction; its sign is the number's.
    pub fn numerator(&self) -> i128 {
        self.num
    }

    /// The denominator of the reduced fraction, always positive.
    pub fn denominator(&self) -> i128 {
        self.den
    }

    /// The nearest `f64`: lossy, for display or for a program that works in floats.
    #[allow(clippy::cast_precision_loss)]
    pub fn to_f64(&self) -> f64 {
        const EXACT: i128 = 1 << f64::MANTISSA_DIGITS;
        // Both held exactly: one division, correctly rounded.
        if self.num.abs() <= EXACT && self.den <= EXACT {
            return self.num as f64 / self.den as f64;
        }
        // Otherwise through the decimal text, not as the quotient of two rounded floats.
        self.to_decimal_string(20).parse().unwrap_or(self.num as f64 / self.den as f64)
    }

    pub fn is_integer(&self) -> bool {
        self.den == 1
    }

    pub fn to_i64(&self) -> Option<i64> {
        if self.den == 1 {
            i64::try_from(self.num).ok()
        } else {
            None
        }
    }

    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    pub fn is_negative(&self) -> bool {
        self.num < 0
    }

    pub fn checked_add(self, o: Number) -> Result<Number, ArithError> {
        if self.den == 1 && o.den == 1 {
            if let (Some(a), Some(b)) = (self.small(), o.small()) {
                // Two 64-bit integers: their sum fits in 128 bits.
                return Ok(Number { num: i128::from(a) + i128::from(b), den: 1 });
            }
            return Ok(Number { num: self.num.checked_add(o.num).ok_or(ArithError::Overflow)?, den: 1 });
        }
        let g = gcd(self.den, o.den);
        let l = (self.den / g).checked_mul(o.den).ok_or(ArithError::Overflow)?;
        let a = self.num.checked_mul(l / self.den).ok_or(ArithError::Overflow)?;
        let b = o.num.checked_mul(l / o.den).ok_or(ArithError::Overflow)?;
        Number::ratio(a.checked_add(b).ok_or(ArithError::Overflow)?, l)
    }

    pub fn checked_neg(self) -> Result<Number, ArithError> {
        Ok(Number { num: self.num.checked_neg().ok_or(ArithError::Overflow)?, den: self.den })
    }

    pub fn checked_sub(self, o: Number) -> Result<Number, ArithError> {
        self.checked_add(o.checked_neg()?)
    }

    pub fn checked_mul(self, o: Number) -> Result<Number, ArithError> {
        if self.den == 1 && o.den == 1 {
            if let (Some(a), Some(b)) = (self.small(), o.small()) {
                // Two 64-bit integers: their product fits in 128 bits.
                return Ok(Number { num: i128::from(a) * i128::from(b), den: 1 });
            }
            return Ok(Number { num: self.num.checked_mul(o.num).ok_or(ArithError::Overflow)?, den: 1 });
        }
        // Four 64-bit parts: their products fit in 128 bits, reduced once.
        if self.small().is_some() && self.small_den().is_some() && o.small().is_some() && o.small_den().is_some() {
            return Number::ratio(self.num * o.num, self.den * o.den);
        }
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        let num = (self.num / g1).checked_mul(o.num / g2).ok_or(ArithError::Overflow)?;
        let den = (self.den / g2).checked_mul(o.den / g1).ok_or(ArithError::Overflow)?;
        Number::ratio(num, den)
    }

    pub fn checked_div(self, o: Number) -> Result<Number, ArithError> {
        if o.num == 0 {
            return Err(ArithError::DivisionByZero);
        }
        // Four 64-bit parts: (a/b) / (c/d) = ad / bc, reduced once rather than the
        // divisor inverted and reduced first.
        if let (Some(a), Some(b), Some(c), Some(d)) = (self.small(), self.small_den(), o.small(), o.small_den()) {
            return Number::ratio(i128::from(a) * i128::from(d), i128::from(b) * i128::from(c));
        }
        self.checked_mul(Number::ratio(o.den, o.num)?)
    }

    /// The largest integer not above the number.
    pub fn floor(self) -> Number {
        let q = self.num.div_euclid(self.den);
        Number { num: q, den: 1 }
    }

    pub fn ceil(self) -> Result<Number, ArithError> {
        let f = self.floor();
        if f == self {
            Ok(f)
        } else {
            f.checked_add(Number::ONE)
        }
    }

    /// Rounds half to even at `places` decimal places.
    pub fn round_half_even(self, places: u32) -> Result<Number, ArithError> {
        let scale = 10i128.checked_pow(places).ok_or(ArithError::Overflow)?;
        let scaled = self.checked_mul(Number { num: scale, den: 1 })?;
        let floor = scaled.floor();
        let frac = scaled.checked_sub(floor)?;
        let half = Number { num: 1, den: 2 };
        let up = match frac.cmp(&half) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => floor.num % 2 != 0,
        };
        let rounded = if up { floor.checked_add(Number::ONE)? } else { floor };
        Number::ratio(rounded.num, scale)
    }

    /// Whether the decimal expansion terminates (the denominator has only 2s and 5s).
    pub fn terminates(&self) -> bool {
        let mut d = self.den;
        while d % 2 == 0 {
            d /= 2;
        }
        while d % 5 == 0 {
            d /= 5;
        }
        d == 1
    }

    /// Decimal text: exact when the expansion terminates within `max_places`,
    /// otherwise rounded half to even to `max_places`.
    pub fn to_decimal_string(&self, max_places: u32) -> String {
        let value = if self.terminates() { *self } else { self.round_half_even(max_places).unwrap_or(*self) };
        value.exact_decimal_text().unwrap_or_else(|| format!("{}/{}", value.num, value.den))
    }

    fn exact_decimal_text(&self) -> Option<String> {
        if self.den == 1 {
            return Some(self.num.to_string());
        }
        // den = 2^a 5^b: the decimal has max(a, b) places, and num x 10^places / den
        // is its digits; one multiplication instead of one per place.
        let (mut d, mut twos, mut fives) = (self.den, 0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        let places = twos.max(fives);
        if d != 1 || places > 38 {
            return None;
        }
        let scaled = self.num.checked_mul(10i128.checked_pow(places)? / self.den)?;
        let digits = scaled.unsigned_abs().to_string();
        let p = places as usize;
        let mut text = String::with_capacity(digits.len() + p + 3);
        if scaled < 0 {
            text.push('-');
        }
        if digits.len() > p {
            text.push_str(&digits[..digits.len() - p]);
            text.push('.');
            text.push_str(&digits[digits.len() - p..]);
        } else {
            text.push_str("0.");
            text.extend(std::iter::repeat_n('0', p - digits.len()));
            text.push_str(&digits);
        }
        Some(text)
    }

    /// The number of decimal places of a terminating decimal (`2.50` has 1).
    pub fn decimal_places(&self) -> Option<u32> {
        if !self.terminates() {
            return None;
        }
        let mut places = 0u32;
        let mut scaled = *self;
        while !scaled.is_integer() {
            scaled = scaled.checked_mul(Number { num: 10, den: 1 }).ok()?;
            places += 1;
        }
        Some(places)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        if let (Some(a), Some(b), Some(c), Some(d)) = (self.small(), other.small_den(), other.small(), self.small_den())
        {
            // Cross products of 64-bit parts fit in 128 bits.
            return (i128::from(a) * i128::from(b)).cmp(&(i128::from(c) * i128::from(d)));
        }
        match (self.num.checked_mul(other.den), other.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => a.cmp(&b),
            // Near the ends of the range: compare exactly by continued fractions.
            _ => compare_fractions(self.num, self.den, other.num, other.den),
        }
    }
}

/// Compares a/b with c/d (b, d > 0) without overflow: integer parts first, then the
/// remainders, whose order is the reverse of their reciprocals' order.
fn compare_fractions(mut a: i128, mut b: i128, mut c: i128, mut d: i128) -> Ordering {
    let mut reversed = false;
    loop {
        let (qa, qc) = (a.div_euclid(b), c.div_euclid(d));
        let (ra, rc) = (a.rem_euclid(b), c.rem_euclid(d));
        let order = match qa.cmp(&qc) {
            Ordering::Equal => match (ra == 0, rc == 0) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => {
                    (a, b, c, d) = (b, ra, d, rc);
                    reversed = !reversed;
                    continue;
                }
            },
            unequal => unequal,
        };
        return if reversed { order.reverse() } else { order };
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string(9))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse_decimal(s).unwrap_or(Number::ZERO)
    }

    #[test]
    fn parses_plain_decimals_and_refuses_the_rest() {
        assert_eq!(n("2.50"), Number::ratio(5, 2).unwrap_or(Number::ZERO));
        assert_eq!(n("-3"), Number::from_int(-3));
        for bad in ["010", "1e3", "+1", "1.", ".5", "", "-", "1_000", "12345678901234567890123456789012"] {
            assert!(Number::parse_decimal(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_is_exact_and_checked() {
        assert_eq!(n("0.1").checked_add(n("0.2")), Ok(n("0.3")));
        assert_eq!(n("25").checked_mul(n("12")).and_then(|x| x.checked_div(n("100"))), Ok(n("3")));
        assert_eq!(n("1").checked_div(Number::ZERO), Err(ArithError::DivisionByZero));
        let big = Number::from_int(i64::MAX);
        assert_eq!(big.checked_mul(big).and_then(|x| x.checked_mul(big)), Err(ArithError::Overflow));
    }

    #[test]
    fn division_of_small_parts_equals_multiplying_by_the_inverse() {
        let parts = [-12, -7, -1, 1, 3, 4, 12, 1 << 40, i64::MAX, -i64::MAX];
        let pairs: Vec<(i64, i64)> = parts.iter().flat_map(|&a| parts.iter().map(move |&b| (a, b))).collect();
        for ((a, b), (c, d)) in pairs.iter().flat_map(|&x| pairs.iter().map(move |&y| (x, y))) {
            let (Ok(x), Ok(y)) = (Number::ratio(a.into(), b.into()), Number::ratio(c.into(), d.into())) else {
                continue;
            };
            let inverse = Number::ratio(y.den, y.num).and_then(|inv| x.checked_mul(inv));
            assert_eq!(x.checked_div(y), inverse, "{a}/{b} / {c}/{d}");
            assert!(x.checked_div(y).map_or(true, |q| q.den > 0), "{a}/{b} / {c}/{d}");
        }
    }

    #[test]
    fn renders_exact_or_rounded_to_nine_places() {
        assert_eq!(n("3.5").to_decimal_string(9), "3.5");
        let third = Number::ratio(10, 3).unwrap_or(Number::ZERO);
        assert!(!third.terminates());
        assert_eq!(third.to_decimal_string(9), "3.333333333");
        assert_eq!(n("-0.05").to_decimal_string(9), "-0.05");
    }

    #[test]
    fn compares_exactly_near_the_ends_of_the_range() {
        let big = i128::MAX / 3;
        let a = Number::ratio(big, big - 1).unwrap_or(Number::ZERO);
        let b = Number::ratio(big - 1, big - 2).unwrap_or(Number::ZERO);
        assert_eq!(a.cmp(&b), Ordering::Less);
        assert_eq!(b.cmp(&a), Ordering::Greater);
        assert_eq!(a.cmp(&a), Ordering::Equal);
        assert_eq!(compare_fractions(7, 3, 9, 4), Ordering::Greater);
        assert_eq!(compare_fractions(-7, 3, -9, 4), Ordering::Less);
    }

    #[test]
    fn rounds_half_to_even() {
        assert_eq!(n("2.5").round_half_even(0), Ok(n("2")));
        assert_eq!(n("3.5").round_half_even(0), Ok(n("4")));
        assert_eq!(n("1.005").round_half_even(2), Ok(n("1")));
        assert_eq!(n("-2.5").round_half_even(0), Ok(n("-2")));
        assert_eq!(n("-7.25").floor(), n("-8"));
    }
}
