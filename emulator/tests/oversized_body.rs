//! A body over the limit gets its AWS-shaped 413 even from a client that sends the whole
//! body before it reads anything, as Python's `http.client` (so urllib3 and botocore)
//! does: the server reads and throws away the rest of the body after answering, rather
//! than closing on it and resetting the connection (see `server/linger.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use cjh_emulator::Emulator;

/// 3 MB: three times the default body limit.
const BODY_BYTES: usize = 3_000_000;

/// Sends the head and the whole body, then reads the answer to the end.
fn send_everything_then_read(addr: &str, chunked: bool) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    let framing = match chunked {
        true => "Transfer-Encoding: chunked".to_owned(),
        false => format!("Content-Length: {BODY_BYTES}"),
    };
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nX-Amz-Target: SageMaker.ListCompilationJobs\r\nContent-Type: application/x-amz-json-1.1\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    let filler = vec![b' '; BODY_BYTES];
    match chunked {
        true => {
            for chunk in filler.chunks(64 * 1024) {
                stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
                stream.write_all(chunk)?;
                stream.write_all(b"\r\n")?;
            }
            stream.write_all(b"0\r\n\r\n")?;
        }
        false => stream.write_all(&filler)?,
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

fn thirty_sends_all_get_the_413(chunked: bool) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = Emulator::builder().build();
    let url = runtime.block_on(emulator.start()).unwrap();
    let addr = url.strip_prefix("http://").unwrap().to_owned();
    for attempt in 1..=30 {
        let answer = send_everything_then_read(&addr, chunked)
            .unwrap_or_else(|e| panic!("attempt {attempt}: {e}"));
        assert!(
            answer.starts_with("HTTP/1.1 413"),
            "attempt {attempt}: {answer}"
        );
        assert!(
            answer.contains(r#""__type":"RequestEntityTooLarge""#),
            "attempt {attempt}: {answer}"
        );
    }
}

#[test]
fn a_client_that_sends_a_3_mb_body_before_reading_gets_the_413_every_time() {
    thirty_sends_all_get_the_413(false);
}

#[test]
fn a_chunked_3_mb_body_sent_before_reading_gets_the_413_every_time() {
    thirty_sends_all_get_the_413(true);
}
