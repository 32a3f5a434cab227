//! `X-Amz-Date` (`20150830T123600Z`, ISO 8601 basic format in UTC) and the window of
//! five minutes either side of the wall clock inside which AWS accepts a signature.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::error::AuthError;

/// How far a request's date may be from the server's wall clock, either way.
pub(super) const MAX_SKEW_SECS: i64 = 5 * 60;

/// A request time to the second, as SigV4 writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct AmzDate {
    /// Seconds since the Unix epoch.
    secs: i64,
}

/// `YYYYMMDDTHHMMSSZ`.
const FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// `YYYYMMDD`.
const DAY: &[BorrowedFormatItem<'static>] = format_description!("[year][month][day]");

impl AmzDate {
    /// Reads `YYYYMMDDTHHMMSSZ`; `None` for anything else, impossible dates included
    /// (the text must read back exactly as it was written).
    pub(super) fn parse(text: &str) -> Option<AmzDate> {
        let parsed = PrimitiveDateTime::parse(text, FORMAT).ok()?.assume_utc();
        let parsed = AmzDate {
            secs: parsed.unix_timestamp(),
        };
        // Only the basic format, digits and all: no sign, no extended years.
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
        self.written(DAY)
    }

    fn plus(self, secs: i64) -> AmzDate {
        AmzDate {
            secs: self.secs.saturating_add(secs),
        }
    }

    /// The instant in `format`; a time outside the years 1 to 9999 (which no clock or
    /// parsed date gives) is written as its nearest end.
    fn written(self, format: &[BorrowedFormatItem<'_>]) -> String {
        let at = OffsetDateTime::from_unix_timestamp(self.secs).unwrap_or(if self.secs < 0 {
            PrimitiveDateTime::MIN.assume_utc()
        } else {
            PrimitiveDateTime::MAX.assume_utc()
        });
        at.format(format).unwrap_or_default()
    }
}

impl fmt::Display for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written(FORMAT))
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
