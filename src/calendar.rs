//! Calendar arithmetic. Month and year addition clamp to the month's end and are
//! always computed from the anchor date, never by chaining (month addition is not
//! associative: 01-31 +1m +1m is 03-29, but 01-31 +2m is 03-31).

use crate::number::Number;
use chrono::{Datelike, Days, Months, NaiveDate};

/// Dates outside these years are refused: they are typos, and the limits keep every
/// chrono operation far from its range end.
pub const MIN_YEAR: i32 = 1;
pub const MAX_YEAR: i32 = 9999;

/// How fractional months become days: the pack's `calendar` parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conventions {
    pub days_per_month: i64,
    pub fraction: FractionRounding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FractionRounding {
    Floor,
    Ceil,
    HalfEven,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions { days_per_month: 30, fraction: FractionRounding::Floor }
    }
}

/// The days a rule or a parameter's value is in force: both ends included, an end
/// not given open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Period {
    /// Every day.
    pub const ALWAYS: Period = Period { from: None, until: None };

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day <= u)
    }

    /// Whether no day is in the period (it ends before it begins).
    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if u < f)
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(f), Some(u)) => f <= u,
            _ => true,
        };
        let other_starts_before_this_ends = match (other.from, self.until) {
            (Some(f), Some(u)) => f <= u,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_this_ends
    }

    /// The order of periods that do not overlap: by their first day, an open start first.
    pub fn start_key(&self) -> NaiveDate {
        self.from.unwrap_or(NaiveDate::MIN)
    }

    /// The days between this period and a later one `next` that are in neither
    /// (`None` when `next` begins the day after this one ends, or earlier).
    pub fn gap_before(&self, next: &Period) -> Option<Period> {
        let (Some(end), Some(start)) = (self.until, next.from) else { return None };
        let first = end.succ_opt()?;
        let last = start.pred_opt()?;
        (first <= last).then_some(Period { from: Some(first), until: Some(last) })
    }
}

/// `from 2021-01-28`, `until 2021-01-27`, `2021-01-01 to 2021-07-30`, `on
/// 2021-01-27` (one day), `always`.
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.from, self.until) {
            (Some(a), Some(b)) if a == b => write!(f, "on {a}"),
            (Some(a), Some(b)) => write!(f, "{a} to {b}"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (None, None) => f.write_str("always"),
        }
    }
}

fn in_range(d: NaiveDate) -> Option<NaiveDate> {
    (MIN_YEAR..=MAX_YEAR).contains(&d.year()).then_some(d)
}

pub fn add_days(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    let r = if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }?;
    in_range(r)
}

pub fn add_whole_months(d: NaiveDate, months: i64) -> Option<NaiveDate> {
    let m = u32::try_from(months.unsigned_abs()).ok()?;
    let r = if months >= 0 { d.checked_add_months(Months::new(m)) } else { d.checked_sub_months(Months::new(m)) }?;
    in_range(r)
}

/// `d + months`, where `months` may be fractional: the whole months first (clamped),
/// then the fraction as days under the pack's conventions (as dateutil's
/// `relativedelta(months=.., days=..)` does).
pub fn add_months(d: NaiveDate, months: Number, conv: Conventions) -> Option<NaiveDate> {
    let whole = months.floor();
    let frac = months.checked_sub(whole).ok()?;
    let frac_days = frac.checked_mul(Number::from_int(conv.days_per_month)).ok()?;
    let days = match conv.fraction {
        FractionRounding::Floor => frac_days.floor(),
        FractionRounding::Ceil => frac_days.ceil().ok()?,
        FractionRounding::HalfEven => frac_days.round_half_even(0).ok()?,
    };
    let moved = add_whole_months(d, whole.to_i64()?)?;
    add_days(moved, days.to_i64()?)
}

/// The `k`-th anniversary of `anchor` (Feb 29 falls on Feb 28 in common years).
pub fn anniversary(anchor: NaiveDate, k: i64) -> Option<NaiveDate> {
    add_whole_months(anchor, k.checked_mul(12)?)
}

/// The anniversary of `anchor` in `year` (Feb 29 falls on Feb 28 in a common year);
/// a year before the anchor's gives the date that many years earlier.
pub fn anniversary_in(anchor: NaiveDate, year: i64) -> Option<NaiveDate> {
    anniversary(anchor, year.checked_sub(i64::from(anchor.year()))?)
}

/// The first anniversary (k >= 1) of `anchor` that falls on or after `from`.
pub fn anniversary_on_or_after(anchor: NaiveDate, from: NaiveDate) -> Option<NaiveDate> {
    let mut k = i64::from(from.year() - anchor.year()).max(1);
    // The estimate is at most one year off in either direction.
    if k > 1 && anniversary(anchor, k - 1)? >= from {
        k -= 1;
    }
    loop {
        let a = anniversary(anchor, k)?;
        if a >= from {
            return Some(a);
        }
        k += 1;
    }
}

/// Whole calendar months from `from` to `to` (the largest m with from + m months <= to),
/// plus the leftover days divided by the days-per-month convention. Negative when
/// `to` is before `from`.
pub fn months_between(from: NaiveDate, to: NaiveDate, conv: Conventions) -> Option<Number> {
    if to < from {
        return months_between(to, from, conv)?.checked_neg().ok();
    }
    let mut m = i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month());
    m = m.max(0);
    while m > 0 && add_whole_months(from, m)? > to {
        m -= 1;
    }
    while add_whole_months(from, m + 1)? <= to {
        m += 1;
    }
    let base = add_whole_months(from, m)?;
    let left = (to - base).num_days();
    let frac = Number::ratio(i128::from(left), i128::from(conv.days_per_month)).ok()?;
    Number::from_int(m).checked_add(frac).ok()
}

/// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(DateError::Shape);
    }
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    let (y, m, d) = (num(0..4) as i32, num(5..7), num(8..10));
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(DateError::Year);
    }
    if !(1..=12).contains(&m) {
        return Err(DateError::Month(m));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| DateError::Day {
        year: y,
        month: m,
        day: d,
        days_in_month: days_in_month(y, m),
    })
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some()).unwrap_or(28)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    Shape,
    Year,
    Month(u32),
    Day { year: i32, month: u32, day: u32, days_in_month: u32 },
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateError {
    /// A sentence a person can act on.
    pub fn explain(&self) -> String {
        match self {
            DateError::Shape => "write dates as YYYY-MM-DD, for example 2021-09-02".into(),
            DateError::Year => format!("years run from {MIN_YEAR} to {MAX_YEAR}"),
            DateError::Month(m) => format!("there is no month {m}; months run from 01 to 12"),
            DateError::Day { year, month, day, days_in_month } => {
                let name = MONTH_NAMES.get((*month as usize).saturating_sub(1)).copied().unwrap_or("that month");
                format!("{name} {year} has {days_in_month} days, so day {day} does not exist")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap_or_default()
    }

    #[test]
    fn months_clamp_from_the_anchor() {
        let c = Conventions::default();
        assert_eq!(add_whole_months(d("2021-01-31"), 1), Some(d("2021-02-28")));
        assert_eq!(add_whole_months(d("2024-01-31"), 2), Some(d("2024-03-31")));
        assert_eq!(add_months(d("2022-01-31"), Number::from_int(3), c), Some(d("2022-04-30")));
        let half = Number::ratio(3, 2).unwrap_or(Number::ZERO);
        assert_eq!(add_months(d("2021-01-31"), half, c), Some(d("2021-03-15")));
    }

    #[test]
    fn anniversaries_of_leap_days_fall_on_feb_28() {
        assert_eq!(anniversary(d("2020-02-29"), 1), Some(d("2021-02-28")));
        assert_eq!(anniversary(d("2020-02-29"), 4), Some(d("2024-02-29")));
        assert_eq!(anniversary_on_or_after(d("2020-09-01"), d("2020-01-01")), Some(d("2021-09-01")));
        assert_eq!(anniversary_on_or_after(d("2020-09-01"), d("2021-09-01")), Some(d("2021-09-01")));
        assert_eq!(anniversary_on_or_after(d("2020-09-01"), d("2021-09-02")), Some(d("2022-09-01")));
        assert_eq!(anniversary_on_or_after(d("2020-09-01"), d("2030-03-02")), Some(d("2030-09-01")));
    }

    #[test]
    fn months_between_counts_whole_months_then_days() {
        let c = Conventions::default();
        let m = months_between(d("2021-09-15"), d("2022-01-31"), c);
        // 4 whole months to 2022-01-15, then 16 days.
        assert_eq!(m, Number::from_int(4).checked_add(Number::ratio(16, 30).unwrap_or(Number::ZERO)).ok());
        assert_eq!(months_between(d("2021-01-31"), d("2021-02-28"), c), Some(Number::from_int(1)));
        assert_eq!(months_between(d("2021-03-01"), d("2021-02-01"), c), Some(Number::from_int(-1)));
    }

    #[test]
    fn strict_dates_explain_themselves() {
        assert_eq!(parse_date("2021-1-1"), Err(DateError::Shape));
        let e = parse_date("2021-02-30").err().map(|e| e.explain()).unwrap_or_default();
        assert_eq!(e, "February 2021 has 28 days, so day 30 does not exist");
        assert_eq!(parse_date("2021-13-01"), Err(DateError::Month(13)));
    }
}
