//! Mock servers from recordings: every recorded exchange becomes a wiremock-rs mock that
//! answers the recorded request with the recorded answer, so a test (or any client, with
//! `cjh mock`) runs against what a target once said: offline, instantly, and the same
//! every time.
//!
//! - `matcher`: a request is the recorded one when it is `POST /` with the same
//!   `X-Amz-Target` (none when none was recorded) and the same body (equal JSON, the same
//!   text or bytes, or empty); every other header, signatures and dates included, is ignored.
//! - `incoming`: incoming bodies scrubbed as the recording was (account ids, buckets,
//!   roles, credentials), so an application replayed against its own recording matches.
//! - `script`: identical requests are answered in recorded order, and once their
//!   recorded answers are used up the last one repeats.
//! - `answer`: the recorded status, headers and body bytes (under correlation, with the
//!   application's names in place of the recorded ones).
//! - [`MatchRules`] (`rules`): members matched by correlation, ignored or by a pattern,
//!   from a file beside the recording; `correlate` keeps the bindings.
//! - `unmatched`: a request nothing matches gets a 404 `UnrecordedRequestException`
//!   in AWS JSON 1.1 form, naming the closest recorded requests and how each differs.
//! - `diff`: the JSON paths where two bodies differ.
//!
//! ```no_run
//! # async fn demo(recording: cjh::recording::Recording) {
//! let server = cjh::mock::start(&[recording]).await;
//! let endpoint = server.uri(); // point the SDK here; stopped on drop
//! # }
//! ```

mod answer;
mod correlate;
mod diff;
mod incoming;
mod matcher;
mod rules;
mod script;
mod unmatched;

pub use rules::{MatchRules, OperationRules, RulesError};
pub use script::{RECORDED_PRIORITY, UNMATCHED_PRIORITY, mocks, mocks_with};
pub use unmatched::{UNRECORDED_ERROR, UNRECORDED_STATUS};
pub use wiremock::{Mock, MockServer};

use crate::recording::Recording;

/// A mock server on 127.0.0.1 and a free port, answering from `recordings`. It is the
/// test's own (not one of wiremock-rs's pooled servers), keeps the requests it receives
/// (`received_requests`), and stops when dropped.
pub async fn start(recordings: &[Recording]) -> MockServer {
    let server = MockServer::builder().start().await;
    mount(&server, recordings).await;
    server
}

/// The same on a listener already bound, for a fixed address.
pub async fn start_on(recordings: &[Recording], listener: std::net::TcpListener) -> MockServer {
    let server = MockServer::builder().listener(listener).start().await;
    mount(&server, recordings).await;
    server
}

/// Registers the recordings' mocks (see [`mocks`]) on a server the caller built, for
/// other builder options or to add mocks of one's own: those take precedence at
/// wiremock-rs's default priority, since recorded answers have [`RECORDED_PRIORITY`].
pub async fn mount(server: &MockServer, recordings: &[Recording]) {
    mount_with(server, recordings, &MatchRules::default()).await;
}

/// The same under a rules file's matching.
pub async fn mount_with(server: &MockServer, recordings: &[Recording], rules: &MatchRules) {
    for mock in mocks_with(recordings, rules) {
        server.register(mock).await;
    }
}
