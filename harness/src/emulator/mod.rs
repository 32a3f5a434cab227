//! The stateful service, with no I/O: the job store, the lifecycle on a clock, listing
//! with page tokens, and the fidelity settings. The one exception is `durable`, which
//! keeps the state in a directory when `state_dir` is set.

mod clock;
mod credential;
mod durable;
mod faults;
mod index;
mod job;
mod lifecycle;
mod list;
mod rate;
mod seed;
mod service;
mod settings;
mod spec;
mod store;
mod time;
mod token;

pub use clock::{Clock, NotManual};
pub use credential::{Credential, read_credentials};
pub use durable::StateError;
pub use faults::{
    DEFAULT_FAULT_LATENCY_MS, FaultDecision, FaultSettings, FaultStats, Faults,
    INTERNAL_FAILURE_MESSAGE, InjectedFault, MAX_FAULT_LATENCY_MS, THROTTLING_MESSAGE,
};
pub use lifecycle::{DEFAULT_MAX_RUNTIME_SECS, UNTAR_FAILURE};
pub use list::INVALID_TOKEN;
pub use rate::RateLimit;
pub use seed::Seed;
pub use service::{CallContext, Service};
pub use settings::{
    ArnCase, AuthMode, ClockMode, DEFAULT_MAX_BODY_BYTES, NameMatch, NotFound, Paging, Settings,
    SettingsError, TimeBounds,
};
pub use settings::{DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADERS};
pub use time::Millis;
