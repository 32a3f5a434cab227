//! The in-process emulator as a target: no network, a virtual clock, a fresh store for
//! every scenario.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use cjh_emulator::Emulator;
use cjh_emulator::api::ApiError;
use cjh_emulator::{ClockMode, Millis, Seed, Settings};

use crate::exchange::{Body, Exchange, Headers, Request, Response};

use super::{BoxFuture, Target, TargetError, VirtualClock};

/// A fresh emulator with a manual clock.
#[derive(Debug)]
pub struct EmulatorTarget {
    emulator: Emulator,
    answered: AtomicU64,
}

impl EmulatorTarget {
    /// Settings for scenario runs: a manual clock and lifecycle durations close to real
    /// jobs' (about a minute to start, two to compile), so fixture statuses stay put
    /// while later fixtures are created one virtual second apart.
    pub fn scenario_settings() -> Settings {
        Settings {
            clock: ClockMode::Manual,
            starting_secs: 60.0,
            compiling_secs: 120.0,
            stopping_secs: 30.0,
            // A fixed key makes page tokens the same in every run (their nonces are
            // derived, see the token module), so re-recording a scenario changes nothing.
            token_key: Some("cjh scenario runs".to_owned()),
            ..Settings::default()
        }
    }

    /// A target over a new emulator with these settings and a manual clock that starts
    /// at the same instant every run (2026-01-01T00:00:00.250Z: a sub-second part, as
    /// real CreationTimes have), so equal and ordered times are the same in every run.
    pub fn new(settings: Settings) -> EmulatorTarget {
        EmulatorTarget::following(settings, None)
    }

    /// A target whose manual clock starts at `start` (else as [`EmulatorTarget::new`]),
    /// for `cjh verify`, which moves it along a recording's times.
    pub fn following(settings: Settings, start: Option<Millis>) -> EmulatorTarget {
        EmulatorTarget {
            emulator: Emulator::builder()
                .settings(Settings {
                    clock: ClockMode::Manual,
                    ..settings
                })
                .manual_clock_at(start.unwrap_or(Millis(1_767_225_600_250)))
                .build(),
            answered: AtomicU64::new(0),
        }
    }

    /// Places a job in a status at given times (see [`Seed`]).
    pub fn seed(&self, seed: Seed) -> Result<(), ApiError> {
        self.emulator.seed(seed)
    }

    /// Moves the clock to `at`, if that is later than now; it never goes back.
    pub fn move_to(&self, at: Millis) {
        let now = self.emulator.now();
        if let Ok(ahead) = u64::try_from(at.0 - now.0)
            && ahead > 0
        {
            let _ = self.emulator.advance_clock(Duration::from_millis(ahead));
        }
    }
}

impl Target for EmulatorTarget {
    fn label(&self) -> String {
        "emulator".to_owned()
    }

    /// The request is passed in as it is (no HTTP in between adds anything), so it is
    /// also what was sent. The answer carries the content type and a request id, but no
    /// `Date`: there is no HTTP server to stamp one, and a wall-clock date would make
    /// every re-recording differ.
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Exchange, TargetError>> {
        let answer = self
            .emulator
            .call_bytes(request.target(), &request.body.to_bytes());
        // Request ids are numbered per run (in UUID form), so a run's transcript and
        // its recording are the same every time.
        let number = self.answered.fetch_add(1, Ordering::Relaxed) + 1;
        let request_id = format!("00000000-0000-4000-8000-{number:012x}");
        let response = Response {
            status: answer.status,
            headers: Headers::new()
                .with("content-type", cjh_emulator::CONTENT_TYPE)
                .with("x-amzn-requestid", request_id),
            body: Body::from_bytes(&answer.body),
        };
        Box::pin(async move { Ok(Exchange { request, response }) })
    }

    fn clock(&self) -> Option<&dyn VirtualClock> {
        Some(self)
    }
}

impl VirtualClock for EmulatorTarget {
    fn advance(&self, secs: f64) {
        // The clock is manual by construction, so this cannot be refused.
        let _ = self
            .emulator
            .advance_clock(Duration::from_secs_f64(secs.max(0.0)));
    }
}
