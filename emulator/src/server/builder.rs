//! Building an [`Emulator`]: every setting of `cjh serve` as a method, then `build`,
//! `open` (with the restore's notices) or `try_build`.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use crate::service::{
    ArnCase, AuthMode, Clock, ClockMode, Credential, DefaultSortOrder, LifecyclePreset, Millis,
    NameMatch, NotFound, Paging, Service, Settings, StateError, TimeBounds,
};

use super::emulator::{Emulator, OwnToken};

/// Builds an [`Emulator`]; every fidelity setting of `cjh serve` has a method here.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    settings: Settings,
    host: IpAddr,
    port: u16,
    clock: Option<Clock>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            settings: Settings::default(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            clock: None,
        }
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty) -> Self {
                self.settings.$name = value.into();
                self
            }
        )*
    };
}

impl EmulatorBuilder {
    /// Replaces all settings at once (for example, read from a settings file).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The address to listen on (loopback by default).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port to listen on (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// A manual clock starting at this exact time, for fully reproducible timestamps.
    pub fn manual_clock_at(mut self, start: Millis) -> Self {
        self.settings.clock = ClockMode::Manual;
        self.clock = Some(Clock::manual_at(start));
        self
    }

    /// The three lifecycle durations of a preset; a duration set after this wins.
    pub fn lifecycle(mut self, preset: LifecyclePreset) -> Self {
        self.settings.apply_lifecycle(preset);
        self
    }

    setters! {
        /// System or manual clock.
        clock: ClockMode,
        /// Default region for unsigned requests (and the pinned region with
        /// `pin_region`).
        region: String,
        /// Account id in ARNs.
        account_id: String,
        /// F1: page size when MaxResults is omitted.
        default_max_results: u32,
        /// F2: paging mode.
        paging: Paging,
        /// F3: NameContains matching.
        name_contains: NameMatch,
        /// F4: time filter bounds.
        time_bounds: TimeBounds,
        /// F7: the order of a List that names no SortOrder.
        default_sort_order: DefaultSortOrder,
        /// F8: the error for an unknown job.
        not_found: NotFound,
        /// F10: case of the name in the ARN.
        arn_case: ArnCase,
        /// F11: seconds in STARTING.
        starting_secs: f64,
        /// F11: seconds compiling.
        compiling_secs: f64,
        /// F11: seconds in STOPPING.
        stopping_secs: f64,
        /// F14: fail inputs that are not `.tar.gz`.
        fail_unless_tar_gz: bool,
        /// F14: fail jobs that outlast MaxRuntimeInSeconds.
        enforce_max_runtime: bool,
        /// F17: page-token key.
        token_key: Option<String>,
        /// Limit on jobs running at once.
        max_concurrent_jobs: Option<u32>,
        /// Largest request body, in bytes.
        max_body_bytes: usize,
        /// Seconds allowed to send a request's headers, and then its body.
        read_timeout_secs: f64,
        /// F21: SigV4 checking of HTTP requests (not of [`Emulator::call`]).
        auth: AuthMode,
        /// F21, F22: the accepted access keys, replacing any given before.
        credentials: Vec<Credential>,
        /// F22: with SigV4 checking, refuse scopes for regions other than `region`.
        pin_region: bool,
        /// Directory keeping every change across restarts, page-token key included;
        /// memory only when `None`. [`EmulatorBuilder::try_build`] reports a directory
        /// that cannot be opened.
        state_dir: Option<PathBuf>,
        /// Connections served at once over HTTP.
        max_connections: usize,
        /// Largest request line plus headers, in bytes.
        max_header_bytes: usize,
        /// Most header fields in a request.
        max_headers: usize,
        /// Requests per second per account and region over HTTP; `None` is unlimited.
        request_rate: Option<f64>,
        /// The rate limit's bucket size; `None` is the rate rounded up.
        request_burst: Option<u32>,
        /// Fault injection: fraction of HTTP API requests answered ThrottlingException.
        fault_throttling: f64,
        /// Fault injection: fraction of HTTP API requests answered InternalFailure.
        fault_internal_failure: f64,
        /// Fault injection: fraction of HTTP API requests delayed.
        fault_latency: f64,
        /// Fault injection: the delay, in milliseconds.
        fault_latency_ms: u64,
        /// Fault injection: the seed of the decisions.
        fault_seed: u64,
        /// Requests the journal keeps, the most recent; 0 keeps none.
        journal_size: usize,
        /// Bytes of request and response bodies the journal keeps, at least 1024.
        journal_bytes: usize,
        /// The bearer token guarded control endpoints require (see [`ControlAccess`](super::ControlAccess)).
        control_token: Option<String>,
        /// Leaves the control endpoints open off loopback without a token.
        open_control_endpoints: bool,
    }

    /// F21, F22: accepts one more access key, with its secret and the account whose
    /// jobs it sees.
    pub fn credential(mut self, credential: Credential) -> Self {
        self.settings.credentials.push(credential);
        self
    }

    /// The emulator. Settings are checked when it starts. With a `state_dir` that cannot
    /// be opened, the problem is in [`Emulator::notices`], `start` fails with it and every
    /// call answers InternalFailure naming it; [`EmulatorBuilder::try_build`] returns it
    /// instead.
    pub fn build(self) -> Emulator {
        let clock = self
            .clock
            .unwrap_or_else(|| Clock::new(self.settings.clock));
        Emulator::assemble(
            Service::open_or_unavailable(self.settings, clock),
            self.host,
            self.port,
            Some(OwnToken::generate()),
        )
    }

    /// The emulator, with its `state_dir` opened and restored, and the notices about the
    /// restore (such as a torn last record dropped) for the caller to show; an error if
    /// the directory cannot be opened, is damaged, or was written with other lifecycle
    /// settings. Its guarded control endpoints need the `control_token` setting, as a
    /// standalone server's do: it generates none of its own.
    pub fn open(self) -> Result<(Emulator, Vec<String>), StateError> {
        let clock = self
            .clock
            .unwrap_or_else(|| Clock::new(self.settings.clock));
        let (service, notices) = Service::open(self.settings, clock)?;
        let emulator = Emulator::assemble((service, Vec::new()), self.host, self.port, None);
        Ok((emulator, notices))
    }

    /// As [`EmulatorBuilder::open`], with the notices kept in [`Emulator::notices`] and,
    /// as [`EmulatorBuilder::build`], a control token of its own
    /// ([`Emulator::control_token`]).
    pub fn try_build(self) -> Result<Emulator, StateError> {
        let clock = self
            .clock
            .unwrap_or_else(|| Clock::new(self.settings.clock));
        let opened = Service::open(self.settings, clock)?;
        Ok(Emulator::assemble(
            opened,
            self.host,
            self.port,
            Some(OwnToken::generate()),
        ))
    }
}
