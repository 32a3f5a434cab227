//! cjh: the contract-test harness for the Amazon SageMaker compilation-job API, and the
//! `cjh` binary. The emulator itself is the `cjh-emulator` crate.
//!
//! Layers, lowest first, each using only those below it:
//!
//! 1. [`exchange`] (one HTTP request and answer, the shape everything above shares);
//! 2. [`scenario`] (the file format, parsed once) and [`transcript`] (what a run saw);
//! 3. [`recording`] (the recording format, scrubbing, the secret scan), [`compare`]
//!    (normalization and the snapshot diff) and [`report`] (JUnit, Markdown, HTML);
//! 4. [`mock`] (recordings as wiremock mock servers);
//! 5. [`targets`] (what answers requests: the emulator, a URL, a replayed recording);
//! 6. [`runner`] (fixtures, steps, invariants, the verdict);
//! 7. [`record`] (the flow behind `cargo xtask record`), [`proxy`] (`cjh proxy`, the
//!    re-signing recorder), [`verify`] (a recording's requests sent again and the answers
//!    compared), [`export`] and [`baseline`];
//! 8. [`import`] (other tools' recordings as cjh recordings; it reads dvr through
//!    [`export`]'s types);
//! 9. [`cli`].
//!
//! `tests/module_layers.rs` holds the code to this order.

pub mod baseline;
pub mod cli;
pub mod compare;
pub mod exchange;
pub mod export;
pub mod import;
pub mod mock;
pub mod proxy;
pub mod record;
pub mod recording;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod targets;
pub mod transcript;
pub mod verify;
