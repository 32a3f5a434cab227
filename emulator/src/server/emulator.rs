//! The emulator inside a Rust program: build it with the same settings as `cjh serve`,
//! start it on a loopback port, drive its clock, or call it without any network at all.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::Value;
use tokio::sync::oneshot;

use crate::api::{ApiError, Operation};
use crate::service::{
    CallContext, Millis, NotManual, RecordedRequest, RequestFilter, Seed, Service, SettingsError,
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
    /// What opening its state directory had to say, for the program around it to show.
    notices: Vec<String>,
}

/// A generated control token, kept out of debug output.
pub(super) struct OwnToken(String);

impl OwnToken {
    /// 122 random bits, as a v4 UUID carries: more than a guess can reach.
    pub(super) fn generate() -> OwnToken {
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
    /// An emulator around a service, not yet started; `own_token` as the builder decides.
    pub(super) fn assemble(
        (service, notices): (Service, Vec<String>),
        host: IpAddr,
        port: u16,
        own_token: Option<OwnToken>,
    ) -> Emulator {
        Emulator {
            service: Arc::new(service),
            host,
            port,
            running: Mutex::new(None),
            own_token,
            notices,
        }
    }

    /// What opening its state directory had to say: how much was restored, a torn last
    /// record dropped, or, from [`EmulatorBuilder::build`](crate::EmulatorBuilder::build), why the directory could not
    /// be opened. The library prints nothing; a program shows these as it shows its own
    /// messages.
    pub fn notices(&self) -> &[String] {
        &self.notices
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
    /// emulator from [`EmulatorBuilder::build`](crate::EmulatorBuilder::build) or [`EmulatorBuilder::try_build`](crate::EmulatorBuilder::try_build), one it
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
