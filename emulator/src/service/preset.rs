//! Lifecycle presets (fidelity row F11): the three durations chosen together for the
//! three ways an emulator is used, so a user names the use instead of three numbers.
//!
//! - `fast`, the default: a job finishes in seconds, long enough that a client's poll
//!   loop sees every status, short enough for a test suite.
//! - `instant`: a job is finished by the next request, as moto's are; for code that
//!   creates a job and reads its result at once.
//! - `realistic`: the durations the real service shows, for timeouts and poll intervals
//!   written against it. STARTING lasted 101.8 s, 113.5 s and 140.2 s in the three real
//!   jobs in `recordings/real-aws/` (creation to CompilationStartTime); compiling and stopping
//!   are not observed to the end in any real recording, so those two are estimates.
//!
//! A preset only fills in `starting_secs`, `compiling_secs` and `stopping_secs`: each of
//! them named on its own still wins, wherever it is named.

use serde::{Deserialize, Serialize};

use super::choice::Choice;

/// A named set of lifecycle durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LifecyclePreset {
    /// STARTING 1 s, compiling 3 s, STOPPING 1 s.
    Fast,
    /// Every step due at once: the next request sees the job finished.
    Instant,
    /// STARTING 120 s, compiling 180 s, STOPPING 30 s.
    Realistic,
}

/// The durations of one preset, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LifecycleDurations {
    /// Seconds a job stays STARTING.
    pub starting_secs: f64,
    /// Seconds a job compiles (INPROGRESS) before its outcome.
    pub compiling_secs: f64,
    /// Seconds a job stays STOPPING.
    pub stopping_secs: f64,
}

impl LifecyclePreset {
    /// The durations this preset stands for.
    pub fn durations(self) -> LifecycleDurations {
        let (starting_secs, compiling_secs, stopping_secs) = match self {
            LifecyclePreset::Fast => (1.0, 3.0, 1.0),
            LifecyclePreset::Instant => (0.0, 0.0, 0.0),
            // The middle of the three real STARTING spells (101.8 to 140.2 s). Compiling
            // is longer than the 85 s a real job took to fail on an unreadable archive;
            // stopping was still under way 6 s after a real Stop.
            LifecyclePreset::Realistic => (120.0, 180.0, 30.0),
        };
        LifecycleDurations {
            starting_secs,
            compiling_secs,
            stopping_secs,
        }
    }
}

impl Choice for LifecyclePreset {
    const ALL: &'static [Self] = &[
        LifecyclePreset::Fast,
        LifecyclePreset::Instant,
        LifecyclePreset::Realistic,
    ];

    fn name(self) -> &'static str {
        match self {
            LifecyclePreset::Fast => "fast",
            LifecyclePreset::Instant => "instant",
            LifecyclePreset::Realistic => "realistic",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::settings::Settings;
    use super::*;

    #[test]
    fn the_default_settings_are_the_fast_preset() {
        let mut fast = Settings::default();
        fast.apply_lifecycle(LifecyclePreset::Fast);
        assert_eq!(fast, Settings::default());
    }

    #[test]
    fn the_realistic_starting_spell_lies_within_what_real_jobs_showed() {
        let starting = LifecyclePreset::Realistic.durations().starting_secs;
        assert!((101.8..=140.2).contains(&starting), "{starting}");
    }

    #[test]
    fn applying_a_preset_sets_all_three_durations() {
        let mut settings = Settings::default();
        settings.apply_lifecycle(LifecyclePreset::Instant);
        assert_eq!(
            (
                settings.starting_secs,
                settings.compiling_secs,
                settings.stopping_secs
            ),
            (0.0, 0.0, 0.0)
        );
    }
}
