//! Fault injection, for testing a client's retry logic: a chosen fraction of API requests
//! answered with `ThrottlingException` (400) or `InternalFailure` (500), and a fraction
//! answered late.
//!
//! Every API request that reaches fault injection gets the next number, 1, 2, 3, ...;
//! whether request `n` is faulted depends only on the seed and `n` (the `n`-th output of
//! splitmix64 seeded with the seed), never on timing or on other requests. So a client that
//! sends its requests one at a time meets the same faults on every run with the same seed,
//! and a failing test can be replayed exactly. The decision is made before the request
//! reaches the service, so a faulted request has changed nothing.
//!
//! The state here has no I/O: the server asks for a [`FaultDecision`] and acts on it
//! (waits, or answers the error).

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::settings_error::SettingsError;

/// The longest injected delay: ten minutes, well past any client timeout.
pub const MAX_FAULT_LATENCY_MS: u64 = 600_000;

/// The default injected delay, so that setting only `fault_latency` has a visible effect.
pub const DEFAULT_FAULT_LATENCY_MS: u64 = 1_000;

/// The message of an injected `ThrottlingException`: AWS's own for a throttled request.
pub const THROTTLING_MESSAGE: &str = "Rate exceeded";

/// The message of an injected `InternalFailure`, in AWS's common-error wording.
pub const INTERNAL_FAILURE_MESSAGE: &str =
    "The request processing has failed because of an unknown error, exception or failure.";

/// The fault settings, with the same names as the settings-file keys (so the control
/// endpoint `POST /_cjh/faults` takes the same JSON keys). Keys left out are off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSettings {
    /// Fraction of API requests answered with 400 `ThrottlingException`.
    pub fault_throttling: f64,
    /// Fraction of API requests answered with 500 `InternalFailure`.
    pub fault_internal_failure: f64,
    /// Fraction of API requests delayed by `fault_latency_ms` before they are handled.
    pub fault_latency: f64,
    /// The injected delay, in milliseconds.
    pub fault_latency_ms: u64,
    /// The seed of the decisions.
    pub fault_seed: u64,
}

impl Default for FaultSettings {
    fn default() -> Self {
        FaultSettings {
            fault_throttling: 0.0,
            fault_internal_failure: 0.0,
            fault_latency: 0.0,
            fault_latency_ms: DEFAULT_FAULT_LATENCY_MS,
            fault_seed: 0,
        }
    }
}

impl FaultSettings {
    /// Checks the fractions and the delay.
    pub fn check(&self) -> Result<(), SettingsError> {
        let invalid = |name, problem: &str| {
            Err(SettingsError::Invalid {
                name,
                problem: problem.to_owned(),
            })
        };
        for (name, fraction) in [
            ("fault_throttling", self.fault_throttling),
            ("fault_internal_failure", self.fault_internal_failure),
            ("fault_latency", self.fault_latency),
        ] {
            if !fraction.is_finite() || !(0.0..=1.0).contains(&fraction) {
                return invalid(name, "must be a fraction from 0 to 1");
            }
        }
        if self.fault_throttling + self.fault_internal_failure > 1.0 {
            return invalid(
                "fault_internal_failure",
                "fault_throttling plus fault_internal_failure must be at most 1",
            );
        }
        if self.fault_latency_ms > MAX_FAULT_LATENCY_MS {
            return invalid("fault_latency_ms", "must be at most 600000 (ten minutes)");
        }
        Ok(())
    }

    /// Whether any fault can happen.
    pub fn is_on(&self) -> bool {
        self.fault_throttling > 0.0
            || self.fault_internal_failure > 0.0
            || (self.fault_latency > 0.0 && self.fault_latency_ms > 0)
    }

    /// What happens to request `number` (from 1): a pure function of the seed and the
    /// number. One draw picks the error (throttling below `fault_throttling`, an internal
    /// failure in the next `fault_internal_failure`), a second draw the delay.
    pub fn decide(&self, number: u64) -> (Option<InjectedFault>, Option<Duration>) {
        let first = splitmix64(
            self.fault_seed
                .wrapping_add(number.wrapping_mul(SPLITMIX_GAMMA)),
        );
        let error_draw = unit(first);
        let fault = if error_draw < self.fault_throttling {
            Some(InjectedFault::Throttling)
        } else if error_draw < self.fault_throttling + self.fault_internal_failure {
            Some(InjectedFault::InternalFailure)
        } else {
            None
        };
        let delay = (unit(splitmix64(first)) < self.fault_latency && self.fault_latency_ms > 0)
            .then(|| Duration::from_millis(self.fault_latency_ms));
        (fault, delay)
    }
}

/// An error answer chosen by fault injection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectedFault {
    /// 400 `ThrottlingException`, "Rate exceeded".
    Throttling,
    /// 500 `InternalFailure`.
    InternalFailure,
}

/// What fault injection decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultDecision {
    /// The request's number, from 1 since the server started or the faults were last set.
    pub number: u64,
    /// The error to answer instead of handling the request, if any.
    pub fault: Option<InjectedFault>,
    /// How long to wait before answering, if at all.
    pub delay: Option<Duration>,
}

/// How many requests fault injection has seen and what it did to them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FaultStats {
    /// API requests numbered so far.
    pub requests: u64,
    /// Answered with `ThrottlingException`.
    pub throttled: u64,
    /// Answered with `InternalFailure`.
    pub internal_failures: u64,
    /// Delayed.
    pub delayed: u64,
}

/// The faults in force and the request counter, changeable while the server runs.
#[derive(Debug)]
pub struct Faults {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    settings: FaultSettings,
    stats: FaultStats,
}

impl Faults {
    /// Fault injection as the settings say, numbering from 1.
    pub fn new(settings: FaultSettings) -> Faults {
        Faults {
            state: Mutex::new(State {
                settings,
                stats: FaultStats::default(),
            }),
        }
    }

    /// Numbers the next API request and decides its fate.
    pub fn next(&self) -> FaultDecision {
        let mut state = self.lock();
        state.stats.requests += 1;
        let number = state.stats.requests;
        let (fault, delay) = state.settings.decide(number);
        match fault {
            Some(InjectedFault::Throttling) => state.stats.throttled += 1,
            Some(InjectedFault::InternalFailure) => state.stats.internal_failures += 1,
            None => {}
        }
        if delay.is_some() {
            state.stats.delayed += 1;
        }
        FaultDecision {
            number,
            fault,
            delay,
        }
    }

    /// Replaces the faults in force and numbers requests from 1 again, so a sequence can
    /// be replayed on a running server.
    pub fn set(&self, settings: FaultSettings) -> Result<(), SettingsError> {
        settings.check()?;
        let mut state = self.lock();
        state.settings = settings;
        state.stats = FaultStats::default();
        Ok(())
    }

    /// The faults in force.
    pub fn settings(&self) -> FaultSettings {
        self.lock().settings
    }

    /// The counts so far.
    pub fn stats(&self) -> FaultStats {
        self.lock().stats
    }

    /// The settings and counts as JSON, for `GET /_cjh/faults`.
    pub fn to_json(&self) -> Value {
        let state = self.lock();
        json!({ "faults": state.settings, "stats": state.stats })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is two plain values, complete after every change.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The increment of splitmix64's state.
const SPLITMIX_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The splitmix64 output function: a bijective mix of a 64-bit state.
fn splitmix64(state: u64) -> u64 {
    let mut z = state.wrapping_add(SPLITMIX_GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform draw in [0, 1) from the top 53 bits.
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttling(fraction: f64, seed: u64) -> FaultSettings {
        FaultSettings {
            fault_throttling: fraction,
            fault_seed: seed,
            ..FaultSettings::default()
        }
    }

    fn faulted(settings: FaultSettings, count: u64) -> Vec<u64> {
        (1..=count)
            .filter(|n| settings.decide(*n).0.is_some())
            .collect()
    }

    #[test]
    fn the_same_seed_faults_the_same_request_numbers() {
        let first = faulted(throttling(0.3, 42), 500);
        assert_eq!(first, faulted(throttling(0.3, 42), 500));
        assert_ne!(first, faulted(throttling(0.3, 43), 500));
    }

    #[test]
    fn the_observed_fraction_is_near_the_setting() {
        for fraction in [0.05, 0.3, 0.5, 0.9] {
            let count = faulted(throttling(fraction, 7), 10_000).len();
            let observed = count as f64 / 10_000.0;
            assert!((observed - fraction).abs() < 0.02, "{fraction}: {observed}");
        }
    }

    #[test]
    fn off_by_default_and_all_at_one() {
        assert!(faulted(FaultSettings::default(), 1000).is_empty());
        assert!(!FaultSettings::default().is_on());
        assert_eq!(faulted(throttling(1.0, 3), 1000).len(), 1000);
    }

    #[test]
    fn throttling_and_internal_failures_split_one_draw() {
        let settings = FaultSettings {
            fault_throttling: 0.2,
            fault_internal_failure: 0.3,
            fault_latency: 0.5,
            fault_latency_ms: 5,
            fault_seed: 9,
        };
        let decisions: Vec<_> = (1..=10_000).map(|n| settings.decide(n)).collect();
        let share = |wanted: Option<InjectedFault>| {
            decisions.iter().filter(|(f, _)| *f == wanted).count() as f64 / 10_000.0
        };
        assert!((share(Some(InjectedFault::Throttling)) - 0.2).abs() < 0.02);
        assert!((share(Some(InjectedFault::InternalFailure)) - 0.3).abs() < 0.02);
        let delayed = decisions.iter().filter(|(_, d)| d.is_some()).count() as f64 / 10_000.0;
        assert!((delayed - 0.5).abs() < 0.02, "{delayed}");
    }

    #[test]
    fn setting_faults_checks_them_and_restarts_the_numbering() {
        let faults = Faults::new(throttling(0.5, 1));
        let before: Vec<_> = (0..20).map(|_| faults.next().fault).collect();
        assert_eq!(faults.stats().requests, 20);
        assert!(faults.set(throttling(1.5, 1)).is_err());
        assert!(
            faults
                .set(FaultSettings {
                    fault_throttling: 0.6,
                    fault_internal_failure: 0.6,
                    ..FaultSettings::default()
                })
                .is_err()
        );
        assert!(faults.set(throttling(0.5, 1)).is_ok());
        assert_eq!(faults.stats(), FaultStats::default());
        let after: Vec<_> = (0..20).map(|_| faults.next().fault).collect();
        assert_eq!(before, after);
    }
}
