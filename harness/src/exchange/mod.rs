//! One HTTP exchange, in one shape everywhere: what targets send and answer, what
//! transcripts, recordings and mock servers hold, and what the exporters read. Having
//! one shape means a body or a header is never re-parsed, re-guessed or invented on
//! the way from the wire to a file and back.
//!
//! - `body`: [`Body`], the bytes classified once as empty, JSON, text or binary, with
//!   the canonical key that groups identical bodies.
//! - `headers`: [`Headers`], ordered by name, names in lower case.
//! - `message`: [`Request`], [`Response`] and [`Exchange`] (a request as sent and its
//!   answer as received).
//! - `paging`: [`next_token`], the one reading of "is there another page".
//!
//! This is the bottom layer of the harness: it knows nothing of scenarios, recordings or
//! targets. Its serde form is the one recording format version 2 writes.

mod body;
mod headers;
mod message;
mod paging;

pub use body::Body;
pub use headers::Headers;
pub use message::{Exchange, Request, Response, TARGET_HEADER};
pub use paging::next_token;
