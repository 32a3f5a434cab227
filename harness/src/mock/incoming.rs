//! Incoming requests scrubbed as the recording was, before they are matched: a recording
//! made through `cjh proxy` holds `000000000000`, `cjh-role-1` and `cjh-bucket-1` where
//! the application sent its own account, role and bucket, so the same application run
//! against `cjh mock` would otherwise match nothing.
//!
//! The rules are the recording's ([`crate::recording::scrub::RULES`], with the default
//! profile): credentials and account ids become their fixed placeholders, other buckets
//! and principals are numbered in the order the mock first sees them. That is the order
//! the recording numbered them in when the client sends the same requests in the same
//! order, which is what a replay is. Each distinct body is scrubbed once per server, so
//! the many matchers that look at one request all see the same result.

use std::collections::HashMap;
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
    /// Bodies already scrubbed, so placeholders are handed out once per body.
    done: HashMap<Vec<u8>, Vec<u8>>,
}

impl IncomingScrub {
    pub(crate) fn new() -> IncomingScrub {
        IncomingScrub(Arc::new(Mutex::new(State {
            scrubber: Scrubber::new(&Profile::default()),
            done: HashMap::new(),
        })))
    }

    /// The body as the recording's scrubbing would have written it.
    pub(crate) fn body(&self, bytes: &[u8]) -> Vec<u8> {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = state.done.get(bytes) {
            return done.clone();
        }
        let mut body = Body::from_bytes(bytes);
        state.scrubber.request_body(&mut body);
        let scrubbed = match body {
            // Unchanged bodies keep their bytes, so text and binary match as before.
            Body::Json(_) | Body::Text(_) => body.to_bytes(),
            Body::Empty | Body::Base64(_) => bytes.to_vec(),
        };
        state.done.insert(bytes.to_vec(), scrubbed.clone());
        scrubbed
    }
}

impl PartialEq for IncomingScrub {
    /// The same state, not equal contents: two servers' matchers are never the same.
    fn eq(&self, other: &IncomingScrub) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
