//! A minimal HTTP/1.1 client over a raw socket, for tests that must see exactly what the
//! server sends (status, headers, body, whether it closes), which a real client hides.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long any single read may take before the test fails instead of hanging.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// An answer as it arrived.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// Names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The `__type` of an error answer.
    pub fn error_code(&self) -> Option<String> {
        self.json()
            .get("__type")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// One keep-alive connection.
#[derive(Debug)]
pub struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    pub async fn open(addr: &str) -> Connection {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Connection {
            stream,
            buffer: Vec::new(),
        }
    }

    /// Sends a request; `extra` is more header lines, each ending in CRLF.
    pub async fn send(&mut self, path: &str, target: Option<&str>, extra: &str, body: &[u8]) {
        let target = target
            .map(|t| format!("X-Amz-Target: SageMaker.{t}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{target}Content-Type: application/x-amz-json-1.1\r\n{extra}Content-Length: {}\r\n\r\n",
            body.len()
        );
        // One write: a head and body sent apart meet Nagle and delayed ACKs (40 ms each).
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.stream.write_all(&request).await.unwrap();
    }

    /// Reads one answer (by its Content-Length); `None` when the server closed first.
    pub async fn answer(&mut self) -> Option<Answer> {
        let end = loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                break end;
            }
            if self.fill().await == 0 {
                return None;
            }
        };
        let head = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while self.buffer.len() < end + 4 + length {
            assert!(self.fill().await > 0, "connection closed inside a body");
        }
        let body = self.buffer[end + 4..end + 4 + length].to_vec();
        self.buffer.drain(..end + 4 + length);
        Some(Answer {
            status,
            headers,
            body,
        })
    }

    /// Whether the server has closed the connection (reads EOF or a reset).
    pub async fn is_closed(&mut self) -> bool {
        let mut chunk = [0u8; 1];
        matches!(
            tokio::time::timeout(READ_TIMEOUT, self.stream.read(&mut chunk)).await,
            Ok(Ok(0) | Err(_))
        )
    }

    /// A GET (for the control endpoints) on this connection.
    pub async fn get(&mut self, path: &str) -> Answer {
        let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        self.stream.write_all(head.as_bytes()).await.unwrap();
        self.answer().await.expect("an answer")
    }

    /// A DELETE (for the control endpoints) on this connection.
    pub async fn delete(&mut self, path: &str) -> Answer {
        let head = format!("DELETE {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        self.stream.write_all(head.as_bytes()).await.unwrap();
        self.answer().await.expect("an answer")
    }

    /// One API call on this connection.
    pub async fn call(&mut self, operation: &str, body: &str) -> Answer {
        self.send("/", Some(operation), "", body.as_bytes()).await;
        self.answer().await.expect("an answer")
    }

    async fn fill(&mut self) -> usize {
        let mut chunk = [0u8; 8192];
        let read = tokio::time::timeout(READ_TIMEOUT, self.stream.read(&mut chunk))
            .await
            .expect("the server answers in time");
        let read = read.unwrap_or(0);
        self.buffer.extend_from_slice(&chunk[..read]);
        read
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One API call on a fresh connection.
pub async fn call(addr: &str, operation: &str, body: &str) -> Answer {
    Connection::open(addr).await.call(operation, body).await
}

/// The `host:port` of an emulator URL.
pub fn addr_of(url: &str) -> String {
    url.strip_prefix("http://").unwrap().to_owned()
}
