//! Exports of recordings into formats other tools read, so what a scenario run saw can
//! answer a team's own tests without cjh in the loop.
//!
//! - [`wiremock`]: WireMock stub mappings (`cjh export wiremock`), one stub per exchange,
//!   repeated identical requests answered in recorded order through WireMock scenarios.
//! - [`dvr`]: the `NetworkTraffic` JSON of smithy-rs's `dvr` replayer
//!   (`aws_smithy_http_client::test_util::dvr::ReplayingClient`, `cjh export dvr`), one
//!   connection per exchange, for the Rust SDK.
//! - [`ExportError`]: what can go wrong while exporting.

pub mod dvr;
mod error;
#[cfg(test)]
mod sample;
pub mod wiremock;

pub use error::ExportError;
