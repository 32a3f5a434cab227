//! HTTP around the service: the AWS endpoint at `POST /`, control endpoints under
//! `/_cjh/`, and AWS-shaped answers for everything else, including bodies over the limit.
//! With `auth = sigv4`, every request outside `/_cjh/` is verified before it is routed.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;

use crate::api::{ApiError, ErrorCode};
use crate::emulator::{AuthMode, CallContext, Service};
use crate::wire::{self, CONTENT_TYPE, RequestHeaders, WireResponse};

use super::{auth, control};

/// Answers one HTTP request. Never fails: every problem becomes an AWS-shaped answer.
pub(crate) async fn handle(
    service: Arc<Service>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let limit = service.settings().max_body_bytes;
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            let api_error = if error.is::<http_body_util::LengthLimitError>() {
                ApiError::new(
                    ErrorCode::RequestEntityTooLarge,
                    format!("Request body exceeds the limit of {limit} bytes."),
                )
            } else {
                ApiError::serialization(format!("Request body could not be read: {error}."))
            };
            return Ok(into_http(WireResponse::error(&api_error)));
        }
    };
    let answer = match parts.uri.path().strip_prefix(control::PREFIX) {
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
    let target = header(&parts.headers, "x-amz-target");
    match caller {
        Some(caller) => wire::dispatch_as(service, caller, target, bytes),
        None => {
            let headers = RequestHeaders {
                target,
                authorization: header(&parts.headers, "authorization"),
            };
            wire::dispatch(service, headers, bytes)
        }
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
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
