//! The stateful service, with no I/O: the job store, the lifecycle on a clock, listing
//! with page tokens, and the fidelity settings.

mod clock;
mod credential;
mod index;
mod job;
mod lifecycle;
mod list;
mod seed;
mod service;
mod settings;
mod spec;
mod store;
mod time;
mod token;

pub use clock::{Clock, NotManual};
pub use credential::{Credential, read_credentials};
pub use lifecycle::{DEFAULT_MAX_RUNTIME_SECS, UNTAR_FAILURE};
pub use list::INVALID_TOKEN;
pub use seed::Seed;
pub use service::{CallContext, Service};
pub use settings::{
    ArnCase, AuthMode, ClockMode, DEFAULT_MAX_BODY_BYTES, NameMatch, NotFound, Paging, Settings,
    SettingsError, TimeBounds,
};
pub use time::Millis;
