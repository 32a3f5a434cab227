//! A raw HTTP/1.1 client: sends a case's bytes exactly as written (framing lies, bad
//! chunks, bytes that are not UTF-8), the way the case says, and reads whatever comes
//! back, within a deadline so that a hang is a failure rather than a stuck test.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::case::Case;
use super::corpus::Send;

/// How long any one exchange may take before it counts as a hang.
pub(crate) const DEADLINE: Duration = Duration::from_secs(10);

/// What came back.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// An answer (possibly followed by the server closing).
    Answer(Answer),
    /// The server closed the connection (or reset it) without a complete answer.
    Closed {
        /// Bytes received before the close, if any.
        partial: Vec<u8>,
    },
}

/// A parsed answer.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The status code.
    pub(crate) status: u16,
    /// Header names lower-cased, with their values.
    pub(crate) headers: Vec<(String, String)>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The first value of a header.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `case` to `addr`; `Err` when nothing ended the exchange within [`DEADLINE`].
pub(crate) async fn exchange(addr: &str, case: &Case) -> Result<Outcome, String> {
    tokio::time::timeout(DEADLINE, run(addr, case))
        .await
        .map_err(|_| format!("no answer and no close within {DEADLINE:?} (a hang)"))
}

async fn run(addr: &str, case: &Case) -> Outcome {
    let stream = TcpStream::connect(addr).await.expect("connect to loopback");
    let (mut reader, mut writer) = stream.into_split();
    let (head, body) = (case.head.clone(), case.body.clone());
    let send = case.send;
    let pause = Duration::from_millis(case.trickle_ms);
    // The writer runs beside the reader: a server may answer (or close) before the whole
    // request is in, and a write error then is expected, not a failure.
    let writing = tokio::spawn(async move {
        let (at_once, trickled) = match send {
            Send::Nothing => (Vec::new(), Vec::new()),
            Send::Trickle => (Vec::new(), [head, body].concat()),
            Send::TrickleBody => (head, body),
            Send::All | Send::HalfClose | Send::Stall => ([head, body].concat(), Vec::new()),
        };
        if writer.write_all(&at_once).await.is_err() {
            return;
        }
        for byte in trickled {
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(pause).await;
        }
        if send == Send::HalfClose {
            let _ = writer.shutdown().await;
        } else {
            // Hold the writing half open until the reader is done.
            std::future::pending::<()>().await;
        }
    });
    let mut raw = Vec::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    let outcome = loop {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break finish(raw, case.is_head()),
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
        }
        if let Some(answer) = complete(&raw, case.is_head()) {
            break Outcome::Answer(answer);
        }
    };
    writing.abort();
    outcome
}

/// The answer once `raw` holds all of it, by its `Content-Length`.
fn complete(raw: &[u8], head_only: bool) -> Option<Answer> {
    let raw = final_response(raw);
    let (answer, length) = parse(raw)?;
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let wanted = if head_only { 0 } else { length? };
    (raw.len() >= end + wanted).then(|| Answer {
        body: raw[end..end + wanted].to_vec(),
        ..answer
    })
}

/// What the bytes amount to once the server has closed.
fn finish(raw: Vec<u8>, head_only: bool) -> Outcome {
    if let Some(answer) = complete(&raw, head_only) {
        return Outcome::Answer(answer);
    }
    // An answer without a length runs to the close.
    match parse(final_response(&raw)) {
        Some((answer, None)) => Outcome::Answer(answer),
        _ => Outcome::Closed { partial: raw },
    }
}

/// The bytes after any interim (1xx) responses, such as `100 Continue`.
fn final_response(mut raw: &[u8]) -> &[u8] {
    while raw.starts_with(b"HTTP/1.1 1") {
        match raw.windows(4).position(|w| w == b"\r\n\r\n") {
            Some(end) => raw = &raw[end + 4..],
            None => break,
        }
    }
    raw
}

/// The status, headers and body so far, and the `Content-Length`, once the head is in.
fn parse(raw: &[u8]) -> Option<(Answer, Option<usize>)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok());
    let answer = Answer {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    };
    Some((answer, length))
}
