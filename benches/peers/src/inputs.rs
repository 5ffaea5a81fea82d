//! The generated inputs: deterministic, the same for every engine.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Extension,
    Renewal,
    Bulk,
}

impl Rule {
    pub const ALL: [Rule; 3] = [Rule::Extension, Rule::Renewal, Rule::Bulk];

    pub fn name(self) -> &'static str {
        match self {
            Rule::Extension => "extension",
            Rule::Renewal => "renewal window",
            Rule::Bulk => "bulk non-combinable",
        }
    }
}

/// A date as year, month, day.
pub type Ymd = (i32, u32, u32);

#[derive(Debug, Clone)]
pub enum Case {
    Extension { active_seats: i64, key_seats: i64 },
    Renewal { purchased_on: Ymd, as_of: Ymd },
    Bulk { kind: &'static str, others: Vec<&'static str> },
}

impl Case {
    pub fn rule(&self) -> Rule {
        match self {
            Case::Extension { .. } => Rule::Extension,
            Case::Renewal { .. } => Rule::Renewal,
            Case::Bulk { .. } => Rule::Bulk,
        }
    }

    /// The input as JSON, as an embedding program would receive it.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Case::Extension { active_seats, key_seats } => serde_json::json!({
                "subscription": {"active_seats": active_seats},
                "request": {"key_seats": key_seats},
            }),
            Case::Renewal { purchased_on, as_of } => serde_json::json!({
                "offer": {"purchased_on": ymd(*purchased_on)},
                "as_of": ymd(*as_of),
            }),
            Case::Bulk { kind, others } => serde_json::json!({"offer": {"kind": kind, "others": others}}),
        }
    }
}

pub fn ymd((y, m, d): Ymd) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

pub const KINDS: [&str; 9] = [
    "bulk_credit",
    "monthly_credit",
    "ea",
    "csp",
    "azure_in_open",
    "azure_pass",
    "action_pack",
    "learning_action_pack",
    "competency",
];

/// A small deterministic generator (SplitMix64), so that every run has the same inputs.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date in `years`. February 29 is left out: the engines read an anniversary of it
/// in a common year differently (Feb 28, or Mar 1), and the rule does not say.
fn date(r: &mut Random, years: std::ops::Range<i32>) -> Ymd {
    let y = years.start + r.below((years.end - years.start) as u64) as i32;
    let m = 1 + r.below(12) as u32;
    let d = 1 + r.below(u64::from(days_in_month(y, m).min(28))) as u32;
    (y, m, d)
}

/// `n` inputs for each rule.
pub fn generate(n: usize) -> Vec<Case> {
    let mut r = Random(2021);
    let mut out = Vec::with_capacity(3 * n);
    for _ in 0..n {
        let active_seats = 1 + r.below(500) as i64;
        let key_seats = 1 + r.below(2_000) as i64;
        out.push(Case::Extension { active_seats, key_seats });
    }
    for _ in 0..n {
        let purchased_on = date(&mut r, 2010..2021);
        // Half the days near the anniversary, so that both sides of the window occur.
        let as_of = if r.below(2) == 0 {
            let y = 2021 + r.below(2) as i32;
            let (_, m, d) = purchased_on;
            let shift = r.below(40) as i64 - 4;
            shift_days((y, m, d), shift)
        } else {
            date(&mut r, 2021..2023)
        };
        out.push(Case::Renewal { purchased_on, as_of });
    }
    for _ in 0..n {
        let kind = if r.below(2) == 0 { "bulk_credit" } else { KINDS[r.below(9) as usize] };
        let others = (0..r.below(4)).map(|_| KINDS[r.below(9) as usize]).collect();
        out.push(Case::Bulk { kind, others });
    }
    out
}

/// `date` moved by `days` (forward or back), by the calendar.
pub fn shift_days((mut y, mut m, mut d): Ymd, days: i64) -> Ymd {
    let mut left = days;
    while left > 0 {
        if d < days_in_month(y, m) {
            d += 1;
        } else {
            d = 1;
            if m == 12 {
                m = 1;
                y += 1;
            } else {
                m += 1;
            }
        }
        left -= 1;
    }
    while left < 0 {
        if d > 1 {
            d -= 1;
        } else {
            if m == 1 {
                m = 12;
                y -= 1;
            } else {
                m -= 1;
            }
            d = days_in_month(y, m);
        }
        left += 1;
    }
    (y, m, d)
}

/// Days from 0000-03-01, for comparing dates in the hand-written rules.
pub fn day_number((y, m, d): Ymd) -> i64 {
    let (y, m) = if m <= 2 { (i64::from(y) - 1, i64::from(m) + 9) } else { (i64::from(y), i64::from(m) - 3) };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + i64::from(d) - 1
}
