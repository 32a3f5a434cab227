//! The proxy's accept loop and its recorder.
//!
//! Each exchange the upstream answers is appended to the recording and flushed before
//! the client gets the answer, so a crash or `kill -9` loses at most the exchange in
//! flight. A stop (SIGINT, SIGTERM) closes the listener, lets requests in flight finish
//! and be recorded, and returns.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use aws_credential_types::provider::SharedCredentialsProvider;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::forward::{Forwarder, own_answer};
use super::{ProxyConfig, ProxyError};
use crate::recording::scrub::RULES;
use crate::recording::{
    Provenance, RecordedExchange, RecordingError, RecordingWriter, SentAt, timestamp,
};
use crate::scenario::Profile;

/// The largest request body the proxy takes: SageMaker's requests are small JSON
/// documents, and a bound keeps a runaway client from filling memory.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How long requests in flight may take to finish after a stop.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a client may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A bound proxy, ready to serve.
#[derive(Debug)]
pub struct Proxy {
    listener: TcpListener,
    url: String,
    state: Arc<State>,
}

/// What every connection shares.
#[derive(Debug)]
struct State {
    forwarder: Forwarder,
    recorder: Recorder,
}

/// The recording, one flushed line per exchange; the first write error stops writing,
/// so the file stays a prefix of what happened, and is reported at the end.
#[derive(Debug)]
struct Recorder {
    writer: Mutex<(RecordingWriter, Option<RecordingError>)>,
}

impl Recorder {
    fn append(&self, exchange: RecordedExchange) {
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let (writer, failed) = &mut *guard;
        if failed.is_none() {
            *failed = writer.append(&exchange).err();
        }
    }

    /// How many exchanges were written, or the error that stopped the writing.
    fn finish(&self) -> Result<usize, ProxyError> {
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let (writer, failed) = &mut *guard;
        match failed.take() {
            Some(error) => Err(ProxyError::Recording(error)),
            None => Ok(writer.written()),
        }
    }
}

impl Proxy {
    /// Binds the address, creates the recording (its header is on disk at once) and
    /// readies the upstream client. `credentials` gives the real credentials, asked
    /// per request (see [`crate::targets::credentials::provider`]).
    pub async fn bind(
        config: &ProxyConfig,
        credentials: SharedCredentialsProvider,
    ) -> Result<Proxy, ProxyError> {
        let forwarder = Forwarder::new(
            &config.upstream,
            &config.region,
            credentials,
            config.upstream_timeout,
        )?;
        let address = SocketAddr::new(config.host, config.port);
        let listener = TcpListener::bind(address)
            .await
            .map_err(|source| ProxyError::Bind {
                address: address.to_string(),
                source,
            })?;
        let bound = listener.local_addr().map_err(|source| ProxyError::Bind {
            address: address.to_string(),
            source,
        })?;
        let provenance = Provenance {
            source: config.upstream.source(),
            endpoint: forwarder.base_url().to_owned(),
            region: config.region.clone(),
            recorded_at: timestamp(SystemTime::now()),
            cjh_version: env!("CARGO_PKG_VERSION").to_owned(),
            model_version: cjh_emulator::api::model::version_label(),
            prefix: String::new(),
            scrubbing: RULES.iter().map(|r| (*r).to_owned()).collect(),
            imported_from: None,
        };
        let writer = RecordingWriter::create_scrubbed(
            &config.record,
            &config.name,
            &provenance,
            &Profile::default(),
        )?;
        Ok(Proxy {
            listener,
            url: format!("http://{bound}"),
            state: Arc::new(State {
                forwarder,
                recorder: Recorder {
                    writer: Mutex::new((writer, None)),
                },
            }),
        })
    }

    /// `http://host:port`, the port the one bound when 0 was asked for.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish; returns
    /// how many exchanges were recorded.
    pub async fn serve_until(
        self,
        shutdown: impl Future<Output = ()>,
    ) -> Result<usize, ProxyError> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut connections = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = self.listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    let state = Arc::clone(&self.state);
                    let mut stop = stop_rx.clone();
                    connections.spawn(async move {
                        let handler = service_fn(move |request| {
                            let state = Arc::clone(&state);
                            async move { Ok::<_, std::convert::Infallible>(handle(&state, request).await) }
                        });
                        let connection = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(HEADER_READ_TIMEOUT)
                            .keep_alive(true)
                            .serve_connection(TokioIo::new(stream), handler);
                        tokio::pin!(connection);
                        tokio::select! {
                            _ = connection.as_mut() => {}
                            _ = stop.changed() => {
                                connection.as_mut().graceful_shutdown();
                                let _ = connection.await;
                            }
                        }
                    });
                    while connections.try_join_next().is_some() {}
                }
            }
        }
        drop(self.listener);
        let _ = stop_tx.send(true);
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        self.state.recorder.finish()
    }
}

/// One client request: read whole (bounded), forwarded, recorded, answered.
async fn handle(state: &State, request: http::Request<Incoming>) -> http::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            let too_large = error
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            return if too_large {
                own_answer(
                    413,
                    "RequestEntityTooLarge",
                    &format!("the request body is over {MAX_BODY_BYTES} bytes"),
                )
                .answer
            } else {
                own_answer(
                    400,
                    "IncompleteBody",
                    &format!("cannot read the request: {error}"),
                )
                .answer
            };
        }
    };
    let sent_at = SentAt::now();
    let forwarded = state.forwarder.forward(parts, body).await;
    if let Some(exchange) = forwarded.exchange {
        state.recorder.append(RecordedExchange {
            sent_at: Some(sent_at),
            ..RecordedExchange::from(exchange)
        });
    }
    forwarded.answer
}
