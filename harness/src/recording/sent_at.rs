//! When a recorder sent a request on, to the millisecond. A recording's `Date` headers
//! give only the second, and a job can change status within one, so `cjh proxy` stamps
//! each exchange with its own clock and `cjh verify` replays the clock from it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A wall-clock instant, written as RFC 3339 UTC with milliseconds
/// (`2026-12-03T07:48:09.123Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentAt(SystemTime);

impl SentAt {
    /// Now, to the millisecond (what is written is what is read back).
    pub fn now() -> SentAt {
        SentAt::from_millis(SentAt(SystemTime::now()).millis())
    }

    /// The instant `millis` milliseconds after the Unix epoch.
    pub fn from_millis(millis: i64) -> SentAt {
        let offset = Duration::from_millis(millis.unsigned_abs());
        SentAt(if millis >= 0 {
            UNIX_EPOCH + offset
        } else {
            UNIX_EPOCH - offset
        })
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        match self.0.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
        }
    }
}

impl Serialize for SentAt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&humantime::format_rfc3339_millis(self.0))
    }
}

impl<'de> Deserialize<'de> for SentAt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SentAt, D::Error> {
        let text = String::deserialize(deserializer)?;
        humantime::parse_rfc3339(&text)
            .map(SentAt)
            .map_err(|e| serde::de::Error::custom(format!("sent_at {text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::SentAt;

    #[test]
    fn an_instant_is_written_to_the_millisecond_and_read_back_equal() {
        let at = SentAt::from_millis(1_796_284_089_123);
        let text = serde_json::to_string(&at).unwrap();
        assert_eq!(text, "\"2026-12-03T07:48:09.123Z\"");
        assert_eq!(serde_json::from_str::<SentAt>(&text).unwrap(), at);
        assert_eq!(at.millis(), 1_796_284_089_123);
    }

    #[test]
    fn a_time_that_is_not_rfc_3339_is_refused_with_the_text() {
        let error = serde_json::from_str::<SentAt>("\"yesterday\"").unwrap_err();
        assert!(error.to_string().contains("\"yesterday\""), "{error}");
    }
}
