//! Fuzzes the whole request path short of the socket: method, path, headers and body go
//! through `cjh_emulator::Emulator::handle`, the code the server runs for every request (body
//! limit, head limits, content type, target routing, JSON parsing, validation, the
//! service). Every answer must be a 2xx, 3xx or 4xx, never a 5xx; every answer that is
//! not a 200 must be a JSON error with `__type`; and nothing may panic.
//!
//! Input: a line `METHOD PATH`, then header lines `Name: value`, a blank line, then the
//! body (lines end in `\n`; the hostile corpus writes its cases in this form as seeds).
//! A method, path or header that `http` cannot represent is replaced or left out, as
//! the HTTP layer would refuse it before the handler.

#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use cjh_emulator::{ClockMode, Emulator};
use http::{HeaderName, HeaderValue, Method, Request, Response, Uri};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a Tokio runtime")
    })
}

fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    // A manual clock: the state changes only through requests, so a crash reproduces.
    EMULATOR.get_or_init(|| Emulator::builder().clock(ClockMode::Manual).build())
}

/// The request an input describes.
fn request(data: &[u8]) -> Request<Bytes> {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(end) => (&data[..end], &data[end + 2..]),
        None => (data, &[][..]),
    };
    let mut lines = head.split(|&b| b == b'\n');
    let first = lines.next().unwrap_or_default();
    let (method, path) = match first.iter().position(|&b| b == b' ') {
        Some(space) => (&first[..space], &first[space + 1..]),
        None => (first, &b"/"[..]),
    };
    let mut request = Request::new(Bytes::copy_from_slice(body));
    *request.method_mut() = Method::from_bytes(method).unwrap_or(Method::POST);
    *request.uri_mut() = Uri::try_from(path).unwrap_or_else(|_| Uri::from_static("/"));
    for line in lines {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = HeaderName::from_bytes(line[..colon].trim_ascii());
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            request.headers_mut().append(name, value);
        }
    }
    request
}

/// The properties every answer keeps.
fn check(response: &Response<Bytes>) {
    let status = response.status().as_u16();
    let body = response.body();
    assert!(
        status < 500,
        "a server error {status}: {}",
        String::from_utf8_lossy(body)
    );
    if status == 200 {
        if !body.is_empty() {
            let parsed = serde_json::from_slice::<Value>(body);
            assert!(parsed.is_ok(), "a 200 whose body is not JSON: {body:?}");
        }
        return;
    }
    let error: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("a {status} whose body is not JSON ({e}): {body:?}"));
    assert!(
        error.get("__type").and_then(Value::as_str).is_some(),
        "a {status} without __type: {error}"
    );
}

fuzz_target!(|data: &[u8]| {
    let request = request(data);
    let response = runtime().block_on(emulator().handle(request));
    check(&response);
});
