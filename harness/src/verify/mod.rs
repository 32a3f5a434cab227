//! `cjh verify`: a recording's requests sent again, in order, to a target, and each
//! answer compared with the recorded one after [`view`]'s normalization.
//!
//! - [`view`]: what of an answer is compared, and where two answers differ.
//! - `timeline`: when each recorded exchange happened, for the emulator's clock.
//! - `seeds`: jobs the recording reads but never creates, seeded from their answers.
//! - `run`: sending and comparing; [`Verdict`] is what it found, `render` it as text.
//! - `report`: verdicts as the reports of `cjh run` render them, under a baseline.
//!
//! On the emulator target the virtual clock follows the recording, so a job passes
//! through the statuses it had when recorded. Against a URL target requests go back to
//! back, under a run prefix, and the jobs made are removed afterwards.

mod render;
mod report;
mod run;
mod seeds;
mod timeline;
pub mod view;

pub use report::{Verified, run_report};
pub use run::{Checked, Outcome, Verdict, VerifyTarget, verify};
pub use seeds::Unseeded;
