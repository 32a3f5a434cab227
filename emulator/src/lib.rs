//! cjh-emulator: a faithful emulator of the Amazon SageMaker compilation-job API
//! (CreateCompilationJob, DescribeCompilationJob, ListCompilationJobs, StopCompilationJob,
//! DeleteCompilationJob) over AWS JSON 1.1, for a test to start in-process or for
//! `cjh serve` to run standalone.
//!
//! Layers, lowest first, each using only those below it: [`api`] (the contract and its
//! validation) <- `wire` (AWS JSON 1.1 decode and encode) <- `service` (the stateful
//! service, no I/O but durable state) <- `server` (the request path, HTTP, SigV4, control
//! endpoints, the in-process [`Emulator`]). Only what a user calls is re-exported here.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = cjh_emulator::Emulator::builder()
//!     .clock(cjh_emulator::ClockMode::Manual)
//!     .build();
//! let url = emulator.start().await?; // point an AWS client's endpoint at `url`
//! emulator.advance_clock(std::time::Duration::from_secs(5))?;
//! # Ok(()) }
//! ```

pub mod api;
mod server;
mod service;
mod wire;

pub use server::{
    Bound, ControlAccess, Emulator, EmulatorBuilder, Reply, StartError, UnguardedControl, dispatch,
    dispatch_as, serve,
};
pub use service::{
    ArnCase, AuthMode, CallContext, Choice, Clock, ClockMode, Credential, DEFAULT_FAULT_LATENCY_MS,
    DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_SIZE, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_MAX_RUNTIME_SECS, DefaultSortOrder,
    FaultSettings, INTERNAL_FAILURE_MESSAGE, INVALID_TOKEN, JobOverview, Journal,
    LifecycleDurations, LifecyclePreset, MAX_FAULT_LATENCY_MS, Millis, NameMatch, NotFound,
    NotManual, Paging, PartitionOverview, RecordedRequest, RequestFilter, Seed, Service,
    SettingGroup, SettingInfo, Settings, SettingsError, StateError, THROTTLING_MESSAGE, TimeBounds,
    UNTAR_FAILURE, ValueKind, read_credentials, settings_catalog, settings_reference,
};
pub use wire::{CONTENT_TYPE, HTML_CONTENT_TYPE, RequestHeaders, TARGET_PREFIX, WireResponse};
