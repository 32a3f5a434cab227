//! The server each family runs against: the real HTTP server on loopback, with a manual
//! clock (so the state changes only when a request changes it), a short read timeout (so
//! stalled requests are cut off quickly), and a few jobs seeded first, whose digest every
//! case must leave unchanged.

use std::time::Duration;

use cjh_emulator::{ClockMode, Emulator};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The server's read timeout in these tests.
pub(crate) const READ_TIMEOUT_SECS: f64 = 2.0;

/// The seeded job a Create case may name to be refused as in use.
pub(crate) const SEEDED: &str = "hostile-seed-1";

/// A running server and its state before any case.
#[derive(Debug)]
pub(crate) struct Server {
    /// The emulator (stops on drop).
    pub(crate) emulator: Emulator,
    /// `host:port`.
    pub(crate) addr: String,
    /// The digest of the seeded state.
    pub(crate) digest: String,
}

impl Server {
    /// Starts a server and seeds three jobs, one of them stopped.
    pub(crate) async fn start() -> Server {
        let emulator = Emulator::builder()
            .clock(ClockMode::Manual)
            .read_timeout_secs(READ_TIMEOUT_SECS)
            .build();
        let url = emulator.start().await.expect("the server starts");
        let addr = url.strip_prefix("http://").expect("an http URL").to_owned();
        for name in [SEEDED, "hostile-seed-2", "hostile-seed-3"] {
            let reply = emulator.call("CreateCompilationJob", &create_body(name));
            assert_eq!(reply.status, 200, "seeding {name}: {}", reply.body);
        }
        let stop = emulator.call(
            "StopCompilationJob",
            &json!({"CompilationJobName": "hostile-seed-3"}),
        );
        assert_eq!(stop.status, 200, "{}", stop.body);
        let digest = digest(&emulator);
        Server {
            emulator,
            addr,
            digest,
        }
    }

    /// Checks the server still answers and its jobs are as seeded.
    pub(crate) async fn check_unharmed(&self, after: &str) -> Result<(), String> {
        health(&self.addr)
            .await
            .map_err(|e| format!("health check after {after}: {e}"))?;
        let now = digest(&self.emulator);
        if now != self.digest {
            return Err(format!(
                "the state changed after {after}:\nbefore {}\nafter  {now}",
                self.digest
            ));
        }
        Ok(())
    }
}

/// A valid Create body: an XGBOOST model on a cloud device.
pub(crate) use crate::common::minimal_create_body as create_body;

/// Every job of the default region: a full List walk, then a Describe of each job.
pub(crate) fn digest(emulator: &Emulator) -> String {
    let mut summaries = Vec::new();
    let mut token: Option<Value> = None;
    loop {
        let mut body = json!({"MaxResults": 100});
        if let Some(token) = token.take() {
            body["NextToken"] = token;
        }
        let page = emulator.call("ListCompilationJobs", &body);
        assert_eq!(page.status, 200, "digest walk: {}", page.body);
        summaries.extend(
            page.body["CompilationJobSummaries"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
        match page.body.get("NextToken") {
            Some(next) => token = Some(next.clone()),
            None => break,
        }
    }
    let described: Vec<Value> = summaries
        .iter()
        .map(|summary| {
            let name = &summary["CompilationJobName"];
            let reply = emulator.call(
                "DescribeCompilationJob",
                &json!({"CompilationJobName": name}),
            );
            assert_eq!(reply.status, 200, "digest describe: {}", reply.body);
            reply.body
        })
        .collect();
    json!({"summaries": summaries, "jobs": described}).to_string()
}

/// `GET /_cjh/health` over a fresh connection must answer `{"status":"ok"}`.
async fn health(addr: &str) -> Result<(), String> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let request = "GET /_cjh/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| format!("write: {e}"))?;
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .await
            .map_err(|e| format!("read: {e}"))?;
        Ok::<_, String>(raw)
    };
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .map_err(|_| "no answer within 10 s".to_owned())??;
    let text = String::from_utf8_lossy(&raw);
    if text.starts_with("HTTP/1.1 200") && text.ends_with(r#"{"status":"ok"}"#) {
        Ok(())
    } else {
        Err(format!("unexpected answer {text:?}"))
    }
}
