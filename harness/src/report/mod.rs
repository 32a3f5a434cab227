//! Reports of a run: JUnit XML for CI servers, Markdown for a pull-request comment, and
//! a self-contained HTML page with the full scenario × target matrix. All three render
//! the same [`RunReport`] and take their counts from one place, so they agree.

mod html;
mod junit;
mod markdown;
mod model;
mod printable;
mod summary;

pub use html::html;
pub use junit::junit;
pub use markdown::markdown;
pub use model::{Divergence, Outcome, RunReport, ScenarioResult, Stage, Vacuity};
pub use summary::stage_words;
