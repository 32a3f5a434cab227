//! Reading a request body within the limit, and after a 413, reading on and throwing
//! away what the client still sends before the connection closes.
//!
//! A server that answers before reading the whole body and then closes at once closes
//! with the client's bytes unread, so the kernel resets the connection; a client that
//! sends its whole body before reading (Python's `http.client`, and so urllib3 and
//! botocore) then gets a broken pipe instead of the AWS-shaped 413. nginx's lingering
//! close is the answer this follows: the 413 goes out at once, and the rest of the body
//! is read and discarded in the background, bounded in bytes and in time, before the
//! connection is let go.

use std::pin::Pin;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::Body;

/// The most a client may still send after its 413 before the connection is closed
/// anyway.
const DRAIN_BYTES: u64 = 64 * 1024 * 1024;

/// Why a body was not read.
#[derive(Debug)]
pub(super) enum Unread {
    /// It is over the limit.
    TooLarge,
    /// Reading it failed (a malformed chunk, a connection closed early).
    Broken(String),
}

/// A request body being read.
pub(super) struct Reading<B> {
    body: Pin<Box<B>>,
}

impl<B> Reading<B>
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    pub(super) fn new(body: B) -> Reading<B> {
        Reading {
            body: Box::pin(body),
        }
    }

    /// Whether the body says, before any of it is read, that it is over `limit`.
    pub(super) fn announces_more_than(&self, limit: usize) -> bool {
        self.body.size_hint().lower() > limit as u64
    }

    /// The whole body, if it is at most `limit` bytes.
    pub(super) async fn read(&mut self, limit: usize) -> Result<Bytes, Unread> {
        let mut bytes = BytesMut::new();
        while let Some(frame) = self.body.frame().await {
            let frame = frame.map_err(|e| Unread::Broken(e.into().to_string()))?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > limit {
                    return Err(Unread::TooLarge);
                }
                bytes.extend_from_slice(&data);
            }
        }
        Ok(bytes.freeze())
    }

    /// Reads and discards the rest of the body in the background, for at most
    /// `timeout` and [`DRAIN_BYTES`], so the connection closes only once the client has
    /// stopped sending. Outside a Tokio runtime (no connection to keep) it just drops.
    pub(super) fn discard_rest(self, timeout: Duration) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let mut body = self.body;
        runtime.spawn(async move {
            let drain = async {
                let mut seen = 0u64;
                while let Some(Ok(frame)) = body.frame().await {
                    if let Ok(data) = frame.into_data() {
                        seen += data.len() as u64;
                        if seen > DRAIN_BYTES {
                            return;
                        }
                    }
                }
            };
            let _ = tokio::time::timeout(timeout, drain).await;
        });
    }
}
