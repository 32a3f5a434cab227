//! The control endpoints of `cjh serve --auth sigv4` on loopback: closed without
//! `--control-token` (health open), and with one, open to its bearer only; and a server
//! off loopback without a token refuses to start (it never binds, so the test listens
//! on no other address).

use std::io::{Read, Write};
use std::net::TcpStream;

use super::binary::{credentials_file, spawn};
use super::*;

/// One HTTP/1.1 request with an optional bearer token; returns (status, body).
fn call(addr: &str, method: &str, path: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let authorization = bearer
        .map(|token| format!("Authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    let body = if method == "POST" { "{}" } else { "" };
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{authorization}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Every guarded endpoint, with its method.
const GUARDED: [(&str, &str); 7] = [
    ("GET", "/_cjh/"),
    ("POST", "/_cjh/reset"),
    ("POST", "/moto-api/reset"),
    ("POST", "/_localstack/state/reset"),
    ("GET", "/_cjh/requests"),
    ("DELETE", "/_cjh/requests"),
    ("GET", "/_cjh/faults"),
];

#[test]
fn with_sigv4_and_no_control_token_the_control_endpoints_answer_403_naming_the_flag() {
    let file = credentials_file();
    let file = file.to_str().unwrap();
    let server = spawn(&["--port", "0", "--auth", "sigv4", "--credentials", file]);
    for (method, path) in GUARDED {
        let (status, body) = call(server.addr(), method, path, Some("guess"));
        assert_eq!(status, 403, "{method} {path}: {body}");
        assert_eq!(body["__type"], "AccessDeniedException", "{method} {path}");
        let message = body["Message"].as_str().unwrap();
        assert!(message.contains("--control-token"), "{message}");
    }
    for path in ["/_cjh/health", "/_localstack/health"] {
        assert_eq!(call(server.addr(), "GET", path, None).0, 200, "{path}");
    }
}

#[test]
fn with_a_control_token_only_its_bearer_reaches_the_control_endpoints() {
    let file = credentials_file();
    let file = file.to_str().unwrap();
    let server = Running::start_with_env(
        &[
            "serve",
            "--port",
            "0",
            "--auth",
            "sigv4",
            "--credentials",
            file,
        ],
        &[("CJH_CONTROL_TOKEN", "tok-3f9a")],
    );
    for bearer in [None, Some("tok-3f9"), Some("tok-3f9ab")] {
        let (status, body) = call(server.addr(), "POST", "/_cjh/reset", bearer);
        assert_eq!(status, 403, "{bearer:?}: {body}");
    }
    let (status, body) = call(server.addr(), "POST", "/_cjh/reset", Some("tok-3f9a"));
    assert_eq!((status, &body), (200, &json!({ "reset": true })));
    let (status, _) = call(server.addr(), "GET", "/_cjh/requests", Some("tok-3f9a"));
    assert_eq!(status, 200);
    // The live view shows every job and request: the token's bearer only.
    assert_eq!(call(server.addr(), "GET", "/_cjh/", None).0, 403);
    assert_eq!(
        call(server.addr(), "GET", "/_cjh/", Some("tok-3f9a")).0,
        200
    );
}

#[test]
fn off_loopback_without_a_control_token_the_server_refuses_to_start() {
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["serve", "--host", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "it must not listen");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not loopback") && stderr.contains("--control-token"),
        "{stderr}"
    );
    assert!(stderr.contains("--open-control-endpoints"), "{stderr}");
}
