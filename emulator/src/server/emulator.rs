//! The emulator inside a Rust program: build it with the same settings as `cjh serve`,
//! start it on a loopback port, drive its clock, or call it without any network at all.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tokio::sync::oneshot;

use crate::api::{ApiError, Operation};
use crate::service::StateError;
use crate::service::{
    ArnCase, AuthMode, CallContext, Clock, ClockMode, Credential, DefaultSortOrder,
    LifecyclePreset, Millis, NameMatch, NotFound, NotManual, Paging, RecordedRequest,
    RequestFilter, Seed, Service, Settings, SettingsError, TimeBounds,
};
use crate::wire::{RequestHeaders, TARGET_PREFIX, WireResponse};

use super::caller::operation_named;
use super::control::{ControlAccess, UnguardedControl};
use super::http::handle as handle_http;
use super::run::serve;

/// An emulator: a service, and once started, an HTTP server for it on loopback.
/// Dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    service: Arc<Service>,
    host: IpAddr,
    port: u16,
    running: Mutex<Option<Running>>,
    /// The control token of an emulator built for a test, where its settings name none:
    /// guarded control endpoints then need it rather than refusing everyone.
    own_token: Option<OwnToken>,
}

/// A generated control token, kept out of debug output.
struct OwnToken(String);

impl OwnToken {
    /// 122 random bits, as a v4 UUID carries: more than a guess can reach.
    fn generate() -> OwnToken {
        OwnToken(uuid::Uuid::new_v4().simple().to_string())
    }
}

impl std::fmt::Debug for OwnToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OwnToken(..)")
    }
}

#[derive(Debug)]
struct Running {
    url: String,
    stop: Option<oneshot::Sender<()>>,
}

/// An emulator bound to its address and not yet serving; see [`Emulator::bind`].
#[derive(Debug)]
pub struct Bound {
    url: String,
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    access: ControlAccess,
}

impl Bound {
    /// The URL clients reach it at, such as `http://127.0.0.1:4566`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until `shutdown` completes, then lets the requests in flight finish.
    pub async fn serve_until(self, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
        serve(self.listener, self.service, self.access, shutdown).await
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A setting is out of range.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The state directory (`state_dir`) could not be opened, or has failed.
    #[error("{0}")]
    State(String),
    /// The control endpoints would be open off loopback.
    #[error(transparent)]
    Control(#[from] UnguardedControl),
}

/// An answer from [`Emulator::call`]: status, request id and parsed body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The request id the answer carried.
    pub request_id: String,
    /// The body as JSON; `Value::Null` for an empty body.
    pub body: Value,
}

impl Reply {
    /// The error code (`__type`), for an error answer.
    pub fn error_code(&self) -> Option<&str> {
        self.body.get("__type").and_then(Value::as_str)
    }

    /// The error message, for an error answer.
    pub fn message(&self) -> Option<&str> {
        self.body.get("Message").and_then(Value::as_str)
    }
}

impl Emulator {
    /// A builder with every setting at its default.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Starts the HTTP server (once; later calls return the same URL) and returns its URL,
    /// such as `http://127.0.0.1:49152`. Must be called inside a Tokio runtime.
    pub async fn start(&self) -> Result<String, StartError> {
        if let Some(url) = self.url() {
            return Ok(url);
        }
        let bound = self.bind().await?;
        let url = bound.url.clone();
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(bound.serve_until(async {
            let _ = stopped.await;
        }));
        let mut running = self.lock();
        *running = Some(Running {
            url: url.clone(),
            stop: Some(stop),
        });
        Ok(url)
    }

    /// Checks the settings and the state, then binds the address, without serving yet:
    /// a caller that must do something between the two (such as print a ready line once
    /// its signal handlers are in) serves with [`Bound::serve_until`].
    pub async fn bind(&self) -> Result<Bound, StartError> {
        self.service.settings().check()?;
        if let Some(error) = self.service.state_error() {
            return Err(StartError::State(error.message));
        }
        let access = self.control_access()?;
        let addr = SocketAddr::new(self.host, self.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let bound = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        Ok(Bound {
            url: format!("http://{bound}"),
            listener,
            service: Arc::clone(&self.service),
            access,
        })
    }

    /// How its control endpoints are guarded on its address with its settings (see
    /// [`ControlAccess`]); an error for one off loopback with neither a token nor the
    /// choice to leave them open.
    pub fn control_access(&self) -> Result<ControlAccess, UnguardedControl> {
        let access = ControlAccess::for_server(self.host, self.service.settings());
        match (access, &self.own_token) {
            (Ok(ControlAccess::Closed) | Err(_), Some(OwnToken(token))) => {
                Ok(ControlAccess::Token(token.clone()))
            }
            (access, _) => access,
        }
    }

    /// The bearer token its guarded control endpoints need over HTTP
    /// (`Authorization: Bearer TOKEN`): the `control_token` setting, else, for an
    /// emulator from [`EmulatorBuilder::build`] or [`EmulatorBuilder::try_build`], one it
    /// generated itself; `None` while they are open to anyone who reaches the port, or
    /// closed to all.
    pub fn control_token(&self) -> Option<String> {
        match self.control_access() {
            Ok(ControlAccess::Token(token)) => Some(token),
            _ => None,
        }
    }

    /// The URL, once started.
    pub fn url(&self) -> Option<String> {
        self.lock().as_ref().map(|r| r.url.clone())
    }

    /// Stops the HTTP server; the state stays and `start` may be called again.
    pub fn stop(&self) {
        if let Some(mut running) = self.lock().take()
            && let Some(stop) = running.stop.take()
        {
            let _ = stop.send(());
        }
    }

    /// Moves a manual clock forward; due lifecycle steps happen on the next request.
    pub fn advance_clock(&self, by: Duration) -> Result<Millis, NotManual> {
        self.service.advance_clock(by)
    }

    /// The current time of the emulator's clock.
    pub fn now(&self) -> Millis {
        self.service.clock().now()
    }

    /// Forgets every job.
    pub fn reset(&self) {
        self.service.reset();
    }

    /// Places a job directly in a status at given times (see [`Seed`]), in the default
    /// region, for tests and benchmarks that need many jobs or exact times.
    pub fn seed(&self, seed: Seed) -> Result<(), ApiError> {
        self.service.seed(&CallContext::default(), seed)
    }

    /// The service itself.
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Calls an operation (by name, such as `ListCompilationJobs` or the tagging API's
    /// `GetResources`, each sent with its own API's target prefix) with a JSON body,
    /// through the same path as HTTP requests but without a network.
    ///
    /// There are no headers to sign, so SigV4 checking (`auth = sigv4`) does not apply:
    /// the call is in the default region and account, as an unsigned request would be
    /// with `auth = none`.
    pub fn call(&self, operation: &str, body: &Value) -> Reply {
        let target = match operation.parse::<Operation>() {
            Ok(known) => known.target(),
            Err(_) => format!("{TARGET_PREFIX}.{operation}"),
        };
        self.call_raw(Some(&target), body.to_string().as_bytes())
    }

    /// Calls with a raw `X-Amz-Target` (or none) and raw body bytes; the answer as it
    /// would go on the wire. Like [`Emulator::call`], it skips SigV4 checking. Journaled
    /// as an HTTP request is, in the default account and region.
    pub fn call_bytes(&self, target: Option<&str>, body: &[u8]) -> WireResponse {
        let headers = RequestHeaders {
            target,
            authorization: None,
        };
        let answer = super::dispatch::dispatch(&self.service, headers, body);
        let journal = self.service.journal();
        if journal.is_on() {
            let settings = self.service.settings();
            journal.record(RecordedRequest::new(
                self.service.clock().now(),
                settings.account_id.clone(),
                settings.region.clone(),
                target.map(|target| operation_named(target).to_owned()),
                Bytes::copy_from_slice(body),
                answer.status,
                answer.error_type,
                Bytes::from(answer.body.clone()),
            ));
        }
        answer
    }

    /// Every journaled API request, oldest first: those over HTTP and the in-process
    /// calls, not control requests; at most `journal_size` of them, the most recent.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests_matching(&RequestFilter::default())
    }

    /// The journaled API requests `filter` selects, oldest first, as
    /// `GET /_cjh/requests` with the same filters answers them.
    pub fn requests_matching(&self, filter: &RequestFilter) -> Vec<RecordedRequest> {
        self.service.journal().select(filter)
    }

    /// Forgets every journaled request; sequence numbers go on from the last one given.
    pub fn clear_requests(&self) {
        self.service.journal().clear();
    }

    /// Answers one whole HTTP request exactly as the server does (method, path, every
    /// header, the body limit and read timeout, SigV4 checking when on), without a
    /// socket: for fuzzing and for tests of the full request path. Must be called inside
    /// a Tokio runtime with time enabled.
    pub async fn handle(&self, request: ::http::Request<Bytes>) -> ::http::Response<Bytes> {
        let request = request.map(Full::new);
        let access = Arc::new(self.control_access().unwrap_or(ControlAccess::Closed));
        let response = match handle_http(Arc::clone(&self.service), access, request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let (parts, body) = response.into_parts();
        let bytes = match body.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(never) => match never {},
        };
        ::http::Response::from_parts(parts, bytes)
    }

    /// Calls with a raw `X-Amz-Target` (or none) and raw body bytes.
    pub fn call_raw(&self, target: Option<&str>, body: &[u8]) -> Reply {
        let answer = self.call_bytes(target, body);
        let body = if answer.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&answer.body).unwrap_or(Value::Null)
        };
        Reply {
            status: answer.status,
            request_id: answer.request_id,
            body,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Running>> {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

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
        /// The bearer token guarded control endpoints require (see [`ControlAccess`]).
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
    /// be opened, the problem is printed on stderr, `start` fails with it and every call
    /// answers InternalFailure naming it; [`EmulatorBuilder::try_build`] returns it instead.
    pub fn build(self) -> Emulator {
        let clock = self
            .clock
            .unwrap_or_else(|| Clock::new(self.settings.clock));
        Emulator {
            service: Arc::new(Service::open_or_unavailable(self.settings, clock)),
            host: self.host,
            port: self.port,
            running: Mutex::new(None),
            own_token: Some(OwnToken::generate()),
        }
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
        let emulator = Emulator {
            service: Arc::new(service),
            host: self.host,
            port: self.port,
            running: Mutex::new(None),
            own_token: None,
        };
        Ok((emulator, notices))
    }

    /// As [`EmulatorBuilder::open`], with the notices printed on stderr and, as
    /// [`EmulatorBuilder::build`], a control token of its own ([`Emulator::control_token`]).
    pub fn try_build(self) -> Result<Emulator, StateError> {
        let (mut emulator, notices) = self.open()?;
        emulator.own_token = Some(OwnToken::generate());
        for notice in notices {
            eprintln!("cjh: {notice}");
        }
        Ok(emulator)
    }
}
