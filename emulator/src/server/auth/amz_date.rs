//! `X-Amz-Date` (`20150830T123600Z`, ISO 8601 basic format in UTC) and the window of
//! five minutes either side of the wall clock inside which AWS accepts a signature.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::AuthError;

/// How far a request's date may be from the server's wall clock, either way.
pub(super) const MAX_SKEW_SECS: i64 = 5 * 60;

/// A request time to the second, as SigV4 writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct AmzDate {
    /// Seconds since the Unix epoch.
    secs: i64,
}

impl AmzDate {
    /// Reads `YYYYMMDDTHHMMSSZ`; `None` for anything else, impossible dates included
    /// (the text must read back exactly as it was written).
    pub(super) fn parse(text: &str) -> Option<AmzDate> {
        let bytes = text.as_bytes();
        if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
        let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let parsed = AmzDate {
            secs: days * 86_400 + hour * 3_600 + minute * 60 + second,
        };
        // Rejects the 31st of a short month and the 29th of February in common years.
        (parsed.to_string() == text).then_some(parsed)
    }

    /// The wall-clock time, truncated to the second.
    pub(super) fn from_system_time(time: SystemTime) -> AmzDate {
        let secs = match time.duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
        };
        AmzDate { secs }
    }

    /// The same instant as a `SystemTime`, for the signing key; `None` before 1970.
    pub(super) fn to_system_time(self) -> Option<SystemTime> {
        let secs = u64::try_from(self.secs).ok()?;
        UNIX_EPOCH.checked_add(Duration::from_secs(secs))
    }

    /// The day, `YYYYMMDD`, as the credential scope names it.
    pub(super) fn day(self) -> String {
        let (year, month, day) = civil_from_days(self.secs.div_euclid(86_400));
        format!("{year:04}{month:02}{day:02}")
    }

    fn plus(self, secs: i64) -> AmzDate {
        AmzDate {
            secs: self.secs.saturating_add(secs),
        }
    }
}

impl fmt::Display for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let of_day = self.secs.rem_euclid(86_400);
        let (hour, minute, second) = (of_day / 3_600, of_day % 3_600 / 60, of_day % 60);
        write!(f, "{}T{hour:02}{minute:02}{second:02}Z", self.day())
    }
}

/// Refuses a signature dated more than five minutes before or after `now`, with
/// AWS's messages; exactly five minutes is still accepted.
pub(super) fn check_freshness(signed: AmzDate, now: AmzDate) -> Result<(), AuthError> {
    let earliest = now.plus(-MAX_SKEW_SECS);
    let latest = now.plus(MAX_SKEW_SECS);
    if signed < earliest {
        return Err(AuthError::Expired {
            signed: signed.to_string(),
            limit: earliest.to_string(),
            now: now.to_string(),
        });
    }
    if signed > latest {
        return Err(AuthError::NotYetCurrent {
            signed: signed.to_string(),
            limit: latest.to_string(),
            now: now.to_string(),
        });
    }
    Ok(())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01; the inverse of `days_from_civil`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> AmzDate {
        AmzDate::parse(text).unwrap_or(AmzDate { secs: i64::MIN })
    }

    #[test]
    fn an_amz_date_reads_and_writes_the_same_instant() {
        let parsed = date("20150830T123600Z");
        assert_eq!(parsed.secs, 1_440_938_160);
        assert_eq!(parsed.to_string(), "20150830T123600Z");
        assert_eq!(parsed.day(), "20150830");
        assert_eq!(date("20240229T235959Z").to_string(), "20240229T235959Z");
    }

    #[test]
    fn impossible_or_extended_format_dates_are_not_amz_dates() {
        for text in [
            "20230229T000000Z",
            "20150431T000000Z",
            "20151330T000000Z",
            "20150830T246000Z",
            "2015-08-30T12:36:00Z",
            "20150830T123600",
            "+0150830T123600Z",
        ] {
            assert_eq!(AmzDate::parse(text), None, "{text}");
        }
    }

    #[test]
    fn a_signature_five_minutes_off_is_fresh_and_one_second_more_is_not() {
        let now = date("20240101T120000Z");
        assert!(check_freshness(date("20240101T115500Z"), now).is_ok());
        assert!(check_freshness(date("20240101T120500Z"), now).is_ok());
        let expired = check_freshness(date("20240101T115459Z"), now)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            expired.as_deref(),
            Some(
                "Signature expired: 20240101T115459Z is now earlier than 20240101T115500Z (20240101T120000Z - 5 min.)"
            )
        );
        let early = check_freshness(date("20240101T120501Z"), now)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            early.as_deref(),
            Some(
                "Signature not yet current: 20240101T120501Z is still later than 20240101T120500Z (20240101T120000Z + 5 min.)"
            )
        );
    }
}
