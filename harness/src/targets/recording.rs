//! A target wrapper that keeps every exchange, so a recording holds exactly what the
//! runner sent (fixtures, steps, walks, clean-up) and what came back, in order.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use cjh_emulator::CONTENT_TYPE;

use crate::recording::{RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse};

use super::{BoxFuture, RawRequest, RawResponse, Target, TargetError, VirtualClock};

/// Records what passes through to an inner target.
pub struct RecordingTarget {
    inner: Box<dyn Target>,
    exchanges: Mutex<Vec<RecordedExchange>>,
}

impl std::fmt::Debug for RecordingTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingTarget")
            .field("inner", &self.inner.label())
            .finish_non_exhaustive()
    }
}

impl RecordingTarget {
    /// Wraps `inner`.
    pub fn new(inner: Box<dyn Target>) -> RecordingTarget {
        RecordingTarget {
            inner,
            exchanges: Mutex::new(Vec::new()),
        }
    }

    /// The exchanges so far.
    pub fn exchanges(&self) -> Vec<RecordedExchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The names of the jobs this target was asked to create (whatever the answer), so
    /// an interrupted run can still clean up after itself.
    pub fn created_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for exchange in self.exchanges() {
            let name = exchange
                .request
                .body
                .body
                .as_ref()
                .and_then(|b| b.get("CompilationJobName"))
                .and_then(|n| n.as_str())
                .filter(|_| exchange.operation == "CreateCompilationJob");
            if let Some(name) = name
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_owned());
            }
        }
        names
    }
}

/// The exchange a request and its answer make.
pub(crate) fn exchange(request: &RawRequest, response: &RawResponse) -> RecordedExchange {
    let mut request_headers = BTreeMap::new();
    request_headers.insert("content-type".to_owned(), CONTENT_TYPE.to_owned());
    if let Some(target) = &request.target {
        request_headers.insert("x-amz-target".to_owned(), target.clone());
    }
    let mut response_headers = BTreeMap::new();
    if let Some(content_type) = &response.content_type {
        response_headers.insert("content-type".to_owned(), content_type.clone());
    }
    if let Some(id) = &response.request_id {
        response_headers.insert("x-amzn-requestid".to_owned(), id.clone());
    }
    let operation = request
        .target
        .as_deref()
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_owned())
        .unwrap_or_default();
    RecordedExchange {
        operation,
        request: RecordedRequest {
            headers: request_headers,
            body: RecordedBody::from_bytes(&request.body),
        },
        response: RecordedResponse {
            status: response.status,
            headers: response_headers,
            body: RecordedBody::from_bytes(&response.body),
        },
    }
}

impl Target for RecordingTarget {
    fn label(&self) -> String {
        self.inner.label()
    }

    fn send(&self, request: RawRequest) -> BoxFuture<'_, Result<RawResponse, TargetError>> {
        Box::pin(async move {
            let response = self.inner.send(request.clone()).await?;
            self.exchanges
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(exchange(&request, &response));
            Ok(response)
        })
    }

    fn clock(&self) -> Option<&dyn VirtualClock> {
        self.inner.clock()
    }
}
