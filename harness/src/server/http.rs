//! HTTP around the service: the AWS endpoint at `POST /`, control endpoints under
//! `/_cjh/`, and AWS-shaped answers for everything else, including bodies over the limit.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;

use crate::api::{ApiError, ErrorCode};
use crate::emulator::Service;
use crate::wire::{self, CONTENT_TYPE, RequestHeaders, WireResponse};

use super::control;

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
    let path = parts.uri.path();
    let answer = if path == "/" {
        if parts.method == Method::POST {
            let headers = RequestHeaders {
                target: header(&parts.headers, "x-amz-target"),
                authorization: header(&parts.headers, "authorization"),
            };
            wire::dispatch(&service, headers, &bytes)
        } else {
            WireResponse::error(&ApiError::new(
                ErrorCode::UnknownOperationException,
                format!(
                    "{} / is not an operation; AWS JSON 1.1 requests are POST /.",
                    parts.method
                ),
            ))
        }
    } else if let Some(action) = path.strip_prefix(control::PREFIX) {
        control::handle(&service, &parts.method, action, &bytes)
    } else {
        WireResponse::error(&ApiError::new(
            ErrorCode::UnknownOperationException,
            format!("No operation at path '{path}'; AWS JSON 1.1 requests are POST /."),
        ))
    };
    Ok(into_http(answer))
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
