//! The one clock every time-dependent decision reads.
//!
//! A manual clock starts at the wall-clock time (so timestamps look real) and then moves
//! only when advanced, which makes lifecycles instant and deterministic in tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::choice::ClockMode;
use super::time::Millis;

/// A source of the current time.
#[derive(Debug, Clone)]
pub struct Clock {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    System,
    Manual(Arc<AtomicI64>),
}

/// Advancing a clock that is not manual.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the clock is the system clock; only a manual clock can be advanced")]
pub struct NotManual;

impl Clock {
    /// A clock of the given mode.
    pub fn new(mode: ClockMode) -> Clock {
        match mode {
            ClockMode::System => Clock { kind: Kind::System },
            ClockMode::Manual => Clock::manual_at(wall_clock()),
        }
    }

    /// A manual clock that reads `start` until advanced.
    pub fn manual_at(start: Millis) -> Clock {
        Clock {
            kind: Kind::Manual(Arc::new(AtomicI64::new(start.0))),
        }
    }

    /// The current time.
    pub fn now(&self) -> Millis {
        match &self.kind {
            Kind::System => wall_clock(),
            Kind::Manual(at) => Millis(at.load(Ordering::SeqCst)),
        }
    }

    /// Whether the clock moves only when told.
    pub fn is_manual(&self) -> bool {
        matches!(self.kind, Kind::Manual(_))
    }

    /// Sets a manual clock to a time restored from a state directory; the system clock
    /// is left alone.
    #[cfg_attr(not(feature = "durable"), allow(dead_code))]
    pub(super) fn restore(&self, at: Millis) {
        if let Kind::Manual(now) = &self.kind {
            now.store(at.0, Ordering::SeqCst);
        }
    }

    /// Moves a manual clock forward (whole milliseconds; sub-millisecond parts are dropped).
    pub fn advance(&self, by: Duration) -> Result<Millis, NotManual> {
        match &self.kind {
            Kind::System => Err(NotManual),
            Kind::Manual(at) => {
                let step = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
                let before = at.fetch_add(step, Ordering::SeqCst);
                Ok(Millis(before.saturating_add(step)))
            }
        }
    }
}

fn wall_clock() -> Millis {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Millis(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let clock = Clock::manual_at(Millis(1_000));
        assert_eq!(clock.now(), Millis(1_000));
        assert_eq!(
            clock.advance(Duration::from_millis(2_500)),
            Ok(Millis(3_500))
        );
        assert_eq!(clock.now(), Millis(3_500));
    }

    #[test]
    fn the_system_clock_cannot_be_advanced() {
        assert_eq!(
            Clock::new(ClockMode::System).advance(Duration::from_secs(1)),
            Err(NotManual)
        );
    }
}
