//! The request journal: the last API requests the emulator answered, kept so that a test
//! can ask what its code sent and what it got back (list, filter, count, clear), as a
//! test double such as WireMock lets it.
//!
//! Bounded twice, in entries (`journal_size`) and in body bytes (`journal_bytes`): the
//! oldest entries go first. Control requests are never journaled.

mod entry;
mod filter;
mod ring;

pub use entry::RecordedRequest;
pub use filter::RequestFilter;
pub use ring::Journal;
