//! The stateful service, with no I/O: the job store, the lifecycle on a clock, listing
//! with page tokens, and the fidelity settings. The one exception is `durable`, which
//! keeps the state in a directory when `state_dir` is set.

mod catalog;
mod choice;
mod clock;
mod credential;
mod declared;
mod durable;
mod failure;
mod faults;
mod handler;
mod index;
mod job;
mod journal;
mod lifecycle;
mod list;
mod preset;
mod rate;
mod seed;
mod settings;
mod settings_error;
mod spec;
mod store;
mod tags;
mod time;
mod token;

pub use catalog::{SettingGroup, SettingInfo, ValueKind, settings_catalog, settings_reference};
pub use choice::{
    ArnCase, AuthMode, Choice, ClockMode, DefaultSortOrder, NameMatch, NotFound, Paging, TimeBounds,
};
pub use clock::{Clock, NotManual};
pub use credential::{Credential, read_credentials};
pub(crate) use declared::for_each_setting;
pub use durable::StateError;
pub use failure::UNTAR_FAILURE;
pub(crate) use faults::InjectedFault;
pub use faults::{
    DEFAULT_FAULT_LATENCY_MS, FaultSettings, INTERNAL_FAILURE_MESSAGE, MAX_FAULT_LATENCY_MS,
    THROTTLING_MESSAGE,
};
pub use handler::{CallContext, JobOverview, PartitionOverview, Service};
pub use journal::{Journal, RecordedRequest, RequestFilter};
pub use lifecycle::DEFAULT_MAX_RUNTIME_SECS;
pub use list::INVALID_TOKEN;
pub use preset::{LifecycleDurations, LifecyclePreset};
pub use seed::Seed;
pub use settings::{
    DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_SIZE, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_MAX_HEADERS,
};
pub use settings::{DEFAULT_MAX_BODY_BYTES, Settings, SettingsError};
pub use time::Millis;
