//! A verdict as text: one line per recording, then each divergence with its step.

use std::fmt::Write;

use super::run::{Outcome, Verdict};

impl Verdict {
    /// The summary line: `scenario: A/N exchanges agree`, with seed sources, skipped
    /// calls, unseeded jobs and jobs left behind named when there are any.
    pub fn summary(&self) -> String {
        let ((agreed, compared), (seed_agreed, seeds)) = self.tally();
        let mut line = format!("{}: {agreed}/{compared} exchanges agree", self.scenario);
        if seeds > 0 {
            let _ = write!(line, "; seed sources {seed_agreed}/{seeds}");
        }
        let skipped = self
            .checked
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Skipped(_)))
            .count();
        if skipped > 0 {
            let _ = write!(line, "; {skipped} not SageMaker, not sent");
        }
        for job in &self.unseeded {
            let _ = write!(line, "; job {} not seeded: {}", job.name, job.why);
        }
        if !self.left_behind.is_empty() {
            let _ = write!(line, "; left behind: {}", self.left_behind.join(", "));
        }
        line
    }

    /// The summary, then every divergence and unanswered call, labelled by step.
    pub fn render(&self) -> String {
        let mut text = self.summary();
        text.push('\n');
        for checked in &self.checked {
            let seed = if checked.seed_source {
                " (a seed's source)"
            } else {
                ""
            };
            match &checked.outcome {
                Outcome::Diverged { at, diff } => {
                    let _ = writeln!(
                        text,
                        "  step {} {}{seed} diverges at {}:",
                        checked.step,
                        checked.operation,
                        at.join(", ")
                    );
                    for line in diff.lines() {
                        let _ = writeln!(text, "    {line}");
                    }
                }
                Outcome::Unanswered(problem) => {
                    let _ = writeln!(
                        text,
                        "  step {} {}: no answer: {problem}",
                        checked.step, checked.operation
                    );
                }
                Outcome::Agreed | Outcome::Skipped(_) => {}
            }
        }
        text
    }
}
