//! What is in force when, as an inline SVG picture: one bar per rule version and per
//! dated parameter value, on an axis of years; an open end runs to the edge.

use crate::calendar::Period;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

const WIDTH: i64 = 960;
const LABEL: i64 = 300;
const ROW: i64 = 26;
const TOP: i64 = 30;
const MARGIN_DAYS: i64 = 120;

/// The picture, or `None` when nothing has days of its own.
pub fn svg(items: &[(String, Period)]) -> Option<String> {
    let days: Vec<NaiveDate> = items.iter().flat_map(|(_, p)| [p.from, p.until]).flatten().collect();
    let (first, last) = (*days.iter().min()?, *days.iter().max()?);
    let lo = first - chrono::Duration::days(MARGIN_DAYS.max(if first == last { 365 } else { 0 }));
    let hi = last + chrono::Duration::days(MARGIN_DAYS.max(if first == last { 365 } else { 0 }));
    let span = (hi - lo).num_days().max(1);
    let x = |d: NaiveDate| LABEL + ((d - lo).num_days().clamp(0, span) * (WIDTH - LABEL - 10)) / span;
    let height = TOP + ROW * i64::try_from(items.len()).unwrap_or(0) + 10;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"timeline-title\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\">\
         <title id=\"timeline-title\">What is in force when</title>"
    );
    // A line and a label at each new year on the axis, and at each quarter when
    // the axis spans a few years only.
    let quarters = hi.year() - lo.year() <= 4;
    for year in lo.year()..=hi.year() {
        for (month, label) in [(1, year.to_string()), (4, "Apr".into()), (7, "Jul".into()), (10, "Oct".into())] {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else { continue };
            if first <= lo || first >= hi || (month != 1 && !quarters) {
                continue;
            }
            let at = x(first);
            let class = if month == 1 { "year" } else { "year quarter" };
            let _ = write!(
                out,
                "<line x1=\"{at}\" y1=\"{}\" x2=\"{at}\" y2=\"{height}\" class=\"tick\"/><text x=\"{at}\" y=\"{}\" class=\"{class}\">{label}</text>",
                TOP - 12,
                TOP - 16
            );
        }
    }
    for (row, (name, period)) in items.iter().enumerate() {
        let y = TOP + ROW * i64::try_from(row).unwrap_or(0);
        let start = period.from.map_or(LABEL, x);
        let end = period.until.map_or(WIDTH - 10, |u| x(u + chrono::Duration::days(1)));
        let open = match (period.from, period.until) {
            (None, None) => " open-start open-end",
            (None, Some(_)) => " open-start",
            (Some(_), None) => " open-end",
            _ => "",
        };
        let _ = write!(
            out,
            "<g class=\"row\"><text x=\"{}\" y=\"{}\" class=\"name\">{}</text>\
             <rect x=\"{start}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" class=\"bar{open}\"><title>{} in force {period}</title></rect>\
             <text x=\"{}\" y=\"{}\" class=\"days\">{period}</text></g>",
            LABEL - 8,
            y + 17,
            super::html::escape(name),
            y + 4,
            (end - start).max(2),
            ROW - 8,
            super::html::escape(name),
            start + 6,
            y + 17,
        );
    }
    out.push_str("</svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_start_and_end_on_their_days() {
        let day = |t: &str| crate::calendar::parse_date(t).ok();
        let items = vec![
            ("A".to_string(), Period { from: day("2021-01-28"), until: None }),
            ("B".to_string(), Period { from: day("2021-01-01"), until: day("2021-07-30") }),
        ];
        let picture = svg(&items).unwrap_or_default();
        assert!(picture.contains(">2021<") && picture.contains(">Jul<"), "{picture}");
        assert!(picture.contains("class=\"bar open-end\""), "{picture}");
        assert!(picture.contains("B in force 2021-01-01 to 2021-07-30"), "{picture}");
        assert!(svg(&[]).is_none());
    }
}
