//! Dates as sources write them, made ISO 8601 where the form is only
//! digits: `26/06/2023` and `26.06.2023` (day first, as most of the world
//! writes it; month first when the first number cannot be a month, as in
//! `06/26/2023`), `20230626`, and Unix time in seconds (`1687737600`) or
//! milliseconds (`1687737600000`). Other forms are left as they are, for the
//! date reader of the later stages (`2024-02-20T10:00:00Z`,
//! `Tue, 20 Feb 2024 10:00:00 GMT`), which reports a date it cannot read.

/// `raw` in ISO 8601 when it is one of the digit forms above, else as it is.
pub fn normalize(raw: &str) -> String {
    let t = raw.trim();
    digits_only(t).unwrap_or_else(|| raw.to_string())
}

fn valid(y: i64, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1] && (1000..=9999).contains(&y)
}

fn digits_only(t: &str) -> Option<String> {
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return match t.len() {
            8 => {
                let (y, m, d) = (
                    t[..4].parse().ok()?,
                    t[4..6].parse().ok()?,
                    t[6..].parse().ok()?,
                );
                valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
            }
            9 | 10 => epoch(t.parse().ok()?),
            12 | 13 => epoch(t.parse::<i64>().ok()? / 1000),
            _ => None,
        };
    }
    let sep = if t.contains('/') { '/' } else { '.' };
    let parts: Vec<&str> = t.split(sep).collect();
    if parts.len() != 3
        || parts[2].len() != 4
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (a, b, y): (u32, u32, i64) = (
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    );
    let (d, m) = if a > 12 || sep == '.' {
        (a, b)
    } else if b > 12 {
        (b, a)
    } else {
        (a, b)
    };
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Seconds since 1970 as an ISO 8601 UTC time.
fn epoch(secs: i64) -> Option<String> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    valid(y, m, d).then(|| {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        )
    })
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn digit_forms() {
        for (raw, want) in [
            ("26/06/2023", "2023-06-26"),
            ("06/26/2023", "2023-06-26"),
            ("05/06/2023", "2023-06-05"),
            ("26.06.2023", "2023-06-26"),
            ("20230626", "2023-06-26"),
            ("1687737600", "2023-06-26T00:00:00Z"),
            ("1687737600123", "2023-06-26T00:00:00Z"),
            ("2024-02-20T10:00:00Z", "2024-02-20T10:00:00Z"),
            ("Tue, 20 Feb 2024", "Tue, 20 Feb 2024"),
            ("20231340", "20231340"),
            ("31/02/2023", "31/02/2023"),
        ] {
            assert_eq!(normalize(raw), want, "{raw}");
        }
    }
}
