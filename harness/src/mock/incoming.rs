//! Incoming requests scrubbed as the recording was, before they are matched: a recording
//! made through `cjh proxy` holds `000000000000`, `cjh-role-1` and `cjh-bucket-1` where
//! the application sent its own account, role and bucket, so the same application run
//! against `cjh mock` would otherwise match nothing.
//!
//! The rules are the recording's ([`crate::recording::scrub::RULES`], with the default
//! profile): credentials and account ids become their fixed placeholders, other buckets
//! and principals are numbered in the order the mock first sees them. That is the order
//! the recording numbered them in when the client sends the same requests in the same
//! order, which is what a replay is. The scrubber keeps its placeholders, so the many
//! matchers that look at one request all see the same result; the last body is kept
//! scrubbed so they do not each scrub it again.

use std::sync::{Arc, Mutex, PoisonError};

use crate::exchange::Body;
use crate::recording::scrub::Scrubber;
use crate::scenario::Profile;

/// One mock server's scrubbing state, shared by all its matchers.
#[derive(Debug, Clone)]
pub(crate) struct IncomingScrub(Arc<Mutex<State>>);

#[derive(Debug)]
struct State {
    scrubber: Scrubber,
    /// The body last scrubbed and its result: requests are matched one at a time, each
    /// by many matchers in turn. One entry, so a long-lived server does not grow.
    last: Option<(Vec<u8>, Vec<u8>)>,
}

impl IncomingScrub {
    pub(crate) fn new() -> IncomingScrub {
        IncomingScrub(Arc::new(Mutex::new(State {
            scrubber: Scrubber::new(&Profile::default()),
            last: None,
        })))
    }

    /// The body as the recording's scrubbing would have written it.
    pub(crate) fn body(&self, bytes: &[u8]) -> Vec<u8> {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((seen, scrubbed)) = &state.last
            && seen == bytes
        {
            return scrubbed.clone();
        }
        let mut body = Body::from_bytes(bytes);
        state.scrubber.request_body(&mut body);
        let scrubbed = match body {
            // Unchanged bodies keep their bytes, so text and binary match as before.
            Body::Json(_) | Body::Text(_) => body.to_bytes(),
            Body::Empty | Body::Base64(_) => bytes.to_vec(),
        };
        state.last = Some((bytes.to_vec(), scrubbed.clone()));
        scrubbed
    }
}

impl PartialEq for IncomingScrub {
    /// The same state, not equal contents: two servers' matchers are never the same.
    fn eq(&self, other: &IncomingScrub) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
