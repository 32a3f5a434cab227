//! A recording as a target: the runner's requests go over HTTP to a mock server built
//! from one recording (`crate::mock`), so a scenario can be run against what a target
//! once answered and its transcript held against the one the recording was made from.

use std::net::{Ipv4Addr, TcpListener};

use wiremock::MockServer;

use crate::recording::Recording;

use crate::exchange::{Exchange, Request};

use super::{BoxFuture, Target, TargetError, UrlTarget, VirtualClock};

/// A recording answering through a mock server on loopback.
///
/// It declares a virtual clock whose `advance` does nothing. The answers are scripted:
/// a wait's repeated DescribeCompilationJob polls get the recorded statuses in recorded
/// order whatever time it is, so there is nothing for time to move. Declaring a clock
/// still matters, because that is how the runner tells a fresh, private target from a
/// shared one: with a clock it polls without sleeping between looks (a wait replays in
/// microseconds, not in the minutes a real job took) and it does not clean up after the
/// scenario (there is nothing to clean, and clean-up requests are not part of what a
/// run on a fresh target records).
///
/// A recording made without `Date` headers (the in-process emulator's) is answered
/// without them too: the mock server's HTTP layer stamps every answer with the wall
/// clock, which is not something the recording said, so the replay drops it rather
/// than report a header that differs on every run.
#[derive(Debug)]
pub struct ReplayTarget {
    label: String,
    /// Whether any recorded answer had a `Date`; if none did, answers lose theirs.
    dated: bool,
    // Kept alive for the target's whole life: dropping it stops the server.
    server: MockServer,
    client: UrlTarget,
}

impl ReplayTarget {
    /// Starts a mock server on 127.0.0.1 and a free port, answering from `recording`.
    pub async fn start(recording: &Recording) -> Result<ReplayTarget, TargetError> {
        let label = format!("replay:{}", recording.scenario);
        let error = |problem: String| TargetError {
            target: label.clone(),
            problem,
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .map_err(|e| error(format!("cannot listen on 127.0.0.1: {e}")))?;
        let server = crate::mock::start_on(std::slice::from_ref(recording), listener).await;
        let client = UrlTarget::new(&server.uri(), None)?;
        let dated = recording
            .exchanges
            .iter()
            .any(|e| e.response.headers.get("date").is_some());
        Ok(ReplayTarget {
            label,
            dated,
            server,
            client,
        })
    }

    /// The mock server's address (`http://127.0.0.1:PORT`), for a client of one's own.
    pub fn uri(&self) -> String {
        self.server.uri()
    }
}

impl Target for ReplayTarget {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn send(&self, request: Request) -> BoxFuture<'_, Result<Exchange, TargetError>> {
        Box::pin(async move {
            let mut exchange = self.client.send(request).await.map_err(|e| TargetError {
                target: self.label.clone(),
                problem: e.problem,
            })?;
            if !self.dated {
                exchange.response.headers.remove("date");
            }
            Ok(exchange)
        })
    }

    fn clock(&self) -> Option<&dyn VirtualClock> {
        Some(self)
    }
}

impl VirtualClock for ReplayTarget {
    /// Nothing to move: the recording decides every answer.
    fn advance(&self, _secs: f64) {}
}
