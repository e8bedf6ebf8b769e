//! Calendar dates: the [`Date`] type every stage passes around, and the
//! calendar facts it needs. Recognizing dates in text is
//! [`crate::recognize`]'s work.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// A calendar date (proleptic Gregorian), always valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// 1 for January.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

/// `YYYY-MM-DD` between ASCII word boundaries.
pub(crate) static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)").unwrap());

impl Date {
    /// The date, if `month` and `day` exist in `year`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in(month, Some(year)))
            .then_some(Date { year, month, day })
    }

    /// The first valid `YYYY-MM-DD` between word boundaries in `s` (`on
    /// 2024-02-20.`; not inside `2024-02-20T10:00Z`, whose first ten bytes the
    /// caller cuts).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let c = ISO_DATE.captures(s)?;
        Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    }
}

/// `YYYY-MM-DD`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days in `month` of `year`; February has 29 when the year is unknown.
pub fn days_in(month: u32, year: Option<i32>) -> u32 {
    match month {
        2 => match year {
            Some(y) if !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_valid_and_print_as_iso() {
        assert_eq!(
            Date::new(2024, 2, 29).map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
        assert_eq!(Date::new(2023, 2, 29), None);
        assert_eq!(Date::new(2023, 13, 1), None);
        assert_eq!(
            Date::parse_iso("on 2024-02-20."),
            Some(Date {
                year: 2024,
                month: 2,
                day: 20
            })
        );
        assert_eq!(Date::parse_iso("2024-02-30"), None);
        assert_eq!(days_in(2, None), 29);
    }
}
