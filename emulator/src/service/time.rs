//! Timestamps as whole milliseconds since the epoch, and their wire form.
//!
//! Real SageMaker reports CreationTime to the millisecond and the other times in whole
//! seconds (fidelity row F13); the wire form is epoch seconds as a JSON number.

use serde_json::{Number, Value};

/// Milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(pub i64);

impl Millis {
    /// This time truncated to the whole second.
    pub fn whole_second(self) -> Millis {
        Millis(self.0.div_euclid(1000) * 1000)
    }

    /// This time plus a number of seconds (fractional allowed, rounded to the millisecond).
    pub fn plus_secs(self, secs: f64) -> Millis {
        Millis(self.0.saturating_add((secs * 1000.0).round() as i64))
    }

    /// Epoch seconds as sent on the wire: an integer when whole, else a decimal.
    pub fn to_json(self) -> Value {
        if self.0 % 1000 == 0 {
            Value::Number(Number::from(self.0 / 1000))
        } else {
            Number::from_f64(self.0 as f64 / 1000.0).map_or(Value::Null, Value::Number)
        }
    }

    /// Reads epoch seconds from a request, to the millisecond (fidelity row F4).
    pub fn from_epoch_secs(secs: f64) -> Millis {
        Millis((secs * 1000.0).round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_travel_as_integers_and_others_as_decimals() {
        assert_eq!(
            Millis(1_713_274_189_000).to_json().to_string(),
            "1713274189"
        );
        assert_eq!(
            Millis(1_713_274_189_170).to_json().to_string(),
            "1713274189.17"
        );
    }

    #[test]
    fn truncation_to_the_second_drops_the_milliseconds() {
        assert_eq!(Millis(1_999).whole_second(), Millis(1_000));
    }

    #[test]
    fn request_times_are_read_to_the_millisecond() {
        assert_eq!(
            Millis::from_epoch_secs(1_700_000_000.123),
            Millis(1_700_000_000_123)
        );
    }
}
