//! HTTP around the service: the AWS endpoint at `POST /`, control endpoints under
//! `/_cjh/`, and AWS-shaped answers for everything else, including bodies over the limit.
//! With `auth = sigv4`, every request outside `/_cjh/` is verified before it is routed.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Body;

use crate::api::{ApiError, ErrorCode};
use crate::service::{AuthMode, CallContext, Service};
use crate::wire::{self, CONTENT_TYPE, RequestHeaders, WireResponse};

use super::{auth, control};

/// Answers one HTTP request. Never fails: every problem becomes an AWS-shaped answer.
/// Generic over the body so that [`crate::Emulator::handle`] runs the same path without
/// a socket.
pub(crate) async fn handle<B>(
    service: Arc<Service>,
    request: Request<B>,
) -> Result<Response<Full<Bytes>>, Infallible>
where
    B: Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (parts, body) = request.into_parts();
    let limit = service.settings().max_body_bytes;
    // A Content-Length over the limit is refused before any of the body is read.
    if body.size_hint().lower() > limit as u64 {
        return Ok(into_http(WireResponse::error(&too_large(limit))));
    }
    // A body that stalls or trickles would hold the connection and its task forever.
    let timeout = Duration::from_secs_f64(service.settings().read_timeout_secs);
    let bytes = match tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await {
        Err(_) => {
            let api_error = ApiError::new(
                ErrorCode::RequestTimeoutException,
                format!(
                    "Request body did not arrive within the read timeout of {}s.",
                    timeout.as_secs_f64()
                ),
            );
            return Ok(into_http(WireResponse::error(&api_error)));
        }
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) => {
            let api_error = if error.is::<http_body_util::LengthLimitError>() {
                too_large(limit)
            } else {
                ApiError::serialization(format!("Request body could not be read: {error}."))
            };
            return Ok(into_http(WireResponse::error(&api_error)));
        }
    };
    // Head limits, then the rate limit and fault injection for the API (`admission`).
    if let Some(refusal) = super::admission::admit(&service, &parts).await {
        return Ok(into_http(refusal));
    }
    let durable = service.is_durable();
    let route = move || match parts.uri.path().strip_prefix(control::PREFIX) {
        Some(action) => control::handle(&service, &parts.method, action, &bytes),
        None => match service.settings().auth {
            AuthMode::None => aws_endpoint(&service, &parts, &bytes, None),
            // The wall clock, not the service's: clients sign with real time.
            AuthMode::Sigv4 => {
                match auth::verify(service.settings(), &parts, &bytes, SystemTime::now()) {
                    Ok(caller) => aws_endpoint(&service, &parts, &bytes, Some(&caller)),
                    Err(error) => WireResponse::error(&error.into()),
                }
            }
        },
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
    Ok(into_http(answer))
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
pub(crate) fn into_http(answer: WireResponse) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(CONTENT_TYPE),
    );
    if let Ok(id) = http::HeaderValue::from_str(&answer.request_id) {
        headers.insert("x-amzn-RequestId", id);
    }
    if let Some(code) = answer.error_type {
        headers.insert("X-Amzn-Errortype", http::HeaderValue::from_static(code));
    }
    response
}
