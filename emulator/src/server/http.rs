//! HTTP around the service: the AWS endpoint at `POST /`, control endpoints under
//! `/_cjh/`, and AWS-shaped answers for everything else, including bodies over the limit.
//! With `auth = sigv4`, every request outside the control paths is verified before it is
//! routed; each is journaled with its answer, whatever the answer.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Body;

use crate::api::{ApiError, ErrorCode};
use crate::service::{AuthMode, CallContext, RecordedRequest, Service, Settings};
use crate::wire::{self, RequestHeaders, WireResponse};

use super::caller::{claimed, operation_named};
use super::control::ControlAccess;
use super::linger::{Reading, Unread};
use super::{auth, control};

/// Answers one HTTP request. Never fails: every problem becomes an AWS-shaped answer.
/// Generic over the body so that [`crate::Emulator::handle`] runs the same path without
/// a socket. Every request outside the control paths is journaled with its answer.
pub(crate) async fn handle<B>(
    service: Arc<Service>,
    access: Arc<ControlAccess>,
    request: Request<B>,
) -> Result<Response<Full<Bytes>>, Infallible>
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (parts, body) = request.into_parts();
    // Who sent it, read before the head moves into the router.
    let sender = (service.journal().is_on() && !control::is_control(parts.uri.path()))
        .then(|| Sender::of(service.settings(), &parts.headers));
    let (request_body, mut answer) = answer(Arc::clone(&service), access, parts, body).await;
    let response_body = Bytes::from(std::mem::take(&mut answer.body));
    if let Some(sender) = sender {
        service.journal().record(RecordedRequest::new(
            service.clock().now(),
            sender.account,
            sender.region,
            sender.operation,
            request_body,
            answer.status,
            answer.error_type,
            response_body.clone(),
        ));
    }
    Ok(with_body(&answer, response_body))
}

/// Who a request says it is and what it asks for, as the journal keeps them.
struct Sender {
    account: String,
    region: String,
    operation: Option<String>,
}

impl Sender {
    fn of(settings: &Settings, headers: &HeaderMap) -> Sender {
        let (account, region) = claimed(settings, headers);
        let operation = joined_header(headers, "x-amz-target")
            .map(|target| operation_named(&target).to_owned());
        Sender {
            account: account.to_owned(),
            region,
            operation,
        }
    }
}

/// The request's body as read (empty when it was refused before its body was read) and
/// the answer.
async fn answer<B>(
    service: Arc<Service>,
    access: Arc<ControlAccess>,
    parts: Parts,
    body: B,
) -> (Bytes, WireResponse)
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let refused = |error: &ApiError| (Bytes::new(), WireResponse::error(error));
    let limit = service.settings().max_body_bytes;
    let timeout = Duration::from_secs_f64(service.settings().read_timeout_secs);
    let mut reading = Reading::new(body);
    // A Content-Length over the limit is refused before any of the body is read; what
    // the client sends anyway is read and thrown away after the answer (`linger`).
    if reading.announces_more_than(limit) {
        reading.discard_rest(timeout);
        return refused(&too_large(limit));
    }
    // A body that stalls or trickles would hold the connection and its task forever.
    let bytes = match tokio::time::timeout(timeout, reading.read(limit)).await {
        Err(_) => {
            return refused(&ApiError::new(
                ErrorCode::RequestTimeoutException,
                format!(
                    "Request body did not arrive within the read timeout of {}s.",
                    timeout.as_secs_f64()
                ),
            ));
        }
        Ok(Ok(bytes)) => bytes,
        Ok(Err(Unread::TooLarge)) => {
            reading.discard_rest(timeout);
            return refused(&too_large(limit));
        }
        Ok(Err(Unread::Broken(error))) => {
            return refused(&ApiError::serialization(format!(
                "Request body could not be read: {error}."
            )));
        }
    };
    // Head limits, then the rate limit and fault injection for the API (`admission`).
    if let Some(refusal) = super::admission::admit(&service, &parts).await {
        return (bytes, refusal);
    }
    let durable = service.is_durable();
    let kept = bytes.clone();
    let route = move || {
        let path = parts.uri.path();
        if control::is_control(path) {
            return match access.admit(path, &parts.headers) {
                Ok(()) => control::handle(&service, &parts.method, path, parts.uri.query(), &bytes),
                Err(refusal) => WireResponse::error(&refusal),
            };
        }
        match service.settings().auth {
            AuthMode::None => aws_endpoint(&service, &parts, &bytes, None),
            // The wall clock, not the service's: clients sign with real time.
            AuthMode::Sigv4 => {
                match auth::verify(service.settings(), &parts, &bytes, SystemTime::now()) {
                    Ok(caller) => aws_endpoint(&service, &parts, &bytes, Some(&caller)),
                    Err(error) => WireResponse::error(&error.into()),
                }
            }
        }
    };
    // With a state directory an answer waits for its fsync: off the async workers, so
    // the requests in flight share one fsync instead of queueing for a worker.
    let answer = if durable {
        tokio::task::spawn_blocking(route)
            .await
            .unwrap_or_else(|_| {
                WireResponse::error(&ApiError::new(
                    ErrorCode::InternalFailure,
                    "The request handler stopped unexpectedly.",
                ))
            })
    } else {
        route()
    };
    (kept, answer)
}

/// Routes a request in the AWS namespace: `POST /` is the API, anything else an
/// unknown operation. `caller` is the verified caller with SigV4 checking on; without
/// it the region comes from the credential scope unchecked.
fn aws_endpoint(
    service: &Service,
    parts: &Parts,
    bytes: &[u8],
    caller: Option<&CallContext>,
) -> WireResponse {
    let path = parts.uri.path();
    if path != "/" {
        return WireResponse::error(&ApiError::new(
            ErrorCode::UnknownOperationException,
            format!("No operation at path '{path}'; AWS JSON 1.1 requests are POST /."),
        ));
    }
    if parts.method != Method::POST {
        return WireResponse::error(&ApiError::new(
            ErrorCode::UnknownOperationException,
            format!(
                "{} / is not an operation; AWS JSON 1.1 requests are POST /.",
                parts.method
            ),
        ));
    }
    let content_type = joined_header(&parts.headers, "content-type");
    if let Err(error) = wire::check_content_type(content_type.as_deref()) {
        return WireResponse::error(&error);
    }
    let target = joined_header(&parts.headers, "x-amz-target");
    let target = target.as_deref();
    match caller {
        Some(caller) => super::dispatch::dispatch_as(service, caller, target, bytes),
        None => {
            let headers = RequestHeaders {
                target,
                authorization: header(&parts.headers, "authorization"),
            };
            super::dispatch::dispatch(service, headers, bytes)
        }
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A header as the API reads it: every occurrence joined with `, ` (as HTTP defines a
/// repeated field), with bytes that are not UTF-8 shown as U+FFFD, so an odd value is
/// refused for what it is rather than taken for a missing header.
fn joined_header(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<_> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()))
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        ErrorCode::RequestEntityTooLarge,
        format!("Request body exceeds the limit of {limit} bytes."),
    )
}

/// Turns an answer into an HTTP response with the headers every answer carries.
pub(crate) fn into_http(mut answer: WireResponse) -> Response<Full<Bytes>> {
    let body = Bytes::from(std::mem::take(&mut answer.body));
    with_body(&answer, body)
}

/// An answer's status and headers, with its body already taken out as `body`.
fn with_body(answer: &WireResponse, body: Bytes) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(answer.content_type),
    );
    if let Ok(id) = http::HeaderValue::from_str(&answer.request_id) {
        headers.insert("x-amzn-RequestId", id);
    }
    if let Some(code) = answer.error_type {
        headers.insert("X-Amzn-Errortype", http::HeaderValue::from_static(code));
    }
    response
}
