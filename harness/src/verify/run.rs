//! Sending a recording's requests again and comparing the answers.

use std::time::Duration;

use cjh_emulator::{Millis, Settings};
use serde_json::Value;

use crate::compare::{pretty, unified_under};
use crate::exchange::{Body, Request};
use crate::mock::MatchRules;
use crate::recording::{RecordedExchange, Recording};
use crate::runner::remove_all;
use crate::targets::{EmulatorTarget, Target, TargetError, UrlTarget};

use super::seeds::{self, Unseeded};
use super::timeline;
use super::view::{Viewer, differences};

/// How long removing the jobs a run made on a URL target may take.
const CLEAN_UP_TIMEOUT: Duration = Duration::from_secs(900);

/// Where to verify.
#[derive(Debug)]
pub enum VerifyTarget {
    /// A fresh in-process emulator per recording, with these settings (its clock is
    /// made manual, to follow the recording).
    Emulator(Box<Settings>),
    /// An endpoint; job names get `prefix`, and the jobs made are removed afterwards.
    Url {
        /// The target.
        target: Box<UrlTarget>,
        /// The run prefix (`cjh-verify-1a2b3c-`).
        prefix: String,
        /// The recording's matching rules: the members they correlate get the prefix
        /// too, as `CompilationJobName` always does, so names the application generated
        /// stay apart from other runs' on a shared endpoint.
        rules: MatchRules,
    },
}

/// What one exchange came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The answers agree.
    Agreed,
    /// They differ: at these JSON pointers, shown as a unified diff.
    Diverged {
        /// Where.
        at: Vec<String>,
        /// The recorded and the new view, as a diff.
        diff: String,
    },
    /// Not sent: another service's call (the emulator answers SageMaker only).
    Skipped(String),
    /// The target could not be reached.
    Unanswered(String),
}

/// One exchange's result.
#[derive(Debug, Clone)]
pub struct Checked {
    /// 1-based, as the recording's line of exchanges.
    pub step: usize,
    /// The operation.
    pub operation: String,
    /// Whether a seed's inputs came from this exchange's answer.
    pub seed_source: bool,
    /// What it came to.
    pub outcome: Outcome,
}

/// Everything one recording came to.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The recording's scenario.
    pub scenario: String,
    /// Per exchange, in order.
    pub checked: Vec<Checked>,
    /// Jobs it reads that could not be seeded.
    pub unseeded: Vec<Unseeded>,
    /// Jobs a URL target kept.
    pub left_behind: Vec<String>,
}

impl Verdict {
    /// Whether everything agreed (skipped calls aside) and nothing was left behind.
    pub fn passed(&self) -> bool {
        self.unseeded.is_empty()
            && self.left_behind.is_empty()
            && self
                .checked
                .iter()
                .all(|c| matches!(c.outcome, Outcome::Agreed | Outcome::Skipped(_)))
    }

    /// Exchanges compared and agreeing, `(agreed, compared)`, seed sources counted apart:
    /// `(checks, seeds)`.
    pub fn tally(&self) -> ((usize, usize), (usize, usize)) {
        let count = |seed: bool| {
            let compared: Vec<&Checked> = self
                .checked
                .iter()
                .filter(|c| c.seed_source == seed && !matches!(c.outcome, Outcome::Skipped(_)))
                .collect();
            let agreed = compared
                .iter()
                .filter(|c| c.outcome == Outcome::Agreed)
                .count();
            (agreed, compared.len())
        };
        (count(false), count(true))
    }
}

/// Verifies one recording against the target.
pub async fn verify(recording: &Recording, target: &VerifyTarget) -> Verdict {
    let exchanges = &recording.exchanges;
    let (planned, mut unseeded) = seeds::plan(exchanges);
    match target {
        VerifyTarget::Emulator(settings) => {
            let plan = timeline::plan(exchanges);
            let start = timeline::start(&plan)
                .into_iter()
                .chain(planned.iter().map(|p| p.seed.creation_time.0))
                .min();
            let emulator = EmulatorTarget::following((**settings).clone(), start.map(Millis));
            let mut sources = vec![false; exchanges.len()];
            for seed in planned {
                sources[seed.source] = true;
                if let Err(error) = emulator.seed(seed.seed) {
                    unseeded.push(Unseeded {
                        name: seed.name,
                        why: format!("the emulator refused its seed: {error}"),
                    });
                }
            }
            let rules = MatchRules::default();
            let sent = Sent {
                target: &emulator,
                clock: Some((&emulator, &plan)),
                prefix: "",
                rules: &rules,
                sources: &sources,
            };
            finish(recording, sent, unseeded).await
        }
        VerifyTarget::Url {
            target,
            prefix,
            rules,
        } => {
            // A shared endpoint cannot be given jobs in a status; what the recording
            // reads without creating is named instead.
            unseeded.extend(planned.into_iter().map(|p| Unseeded {
                name: p.name,
                why: "the recording never creates it and a URL target cannot be seeded".to_owned(),
            }));
            let sent = Sent {
                target: &**target,
                clock: None,
                prefix,
                rules,
                sources: &[],
            };
            finish(recording, sent, unseeded).await
        }
    }
}

/// How the exchanges are sent.
struct Sent<'a> {
    target: &'a dyn Target,
    /// The emulator whose clock follows the recording, and the times it moves to.
    clock: Option<(&'a EmulatorTarget, &'a [Option<timeline::Instant>])>,
    prefix: &'a str,
    /// Whose correlated members get the prefix besides `CompilationJobName`.
    rules: &'a MatchRules,
    sources: &'a [bool],
}

async fn finish(recording: &Recording, sent: Sent<'_>, unseeded: Vec<Unseeded>) -> Verdict {
    let mut recorded_side = Viewer::new("");
    let mut actual_side = Viewer::new(sent.prefix);
    let mut checked = Vec::new();
    let mut created = Vec::new();
    for (i, exchange) in recording.exchanges.iter().enumerate() {
        let step = i + 1;
        let outcome = if !exchange
            .request
            .target()
            .is_some_and(|t| t.starts_with("SageMaker."))
        {
            recorded_side.view(&exchange.response);
            Outcome::Skipped(format!(
                "{} is not a SageMaker call",
                exchange.request.target().unwrap_or("(no X-Amz-Target)")
            ))
        } else {
            if let Some((emulator, plan)) = sent.clock
                && let Some(Some(at)) = plan.get(i)
            {
                emulator.move_to(Millis(*at));
            }
            let request = outgoing(exchange, &sent, &recorded_side, &actual_side);
            let expected = recorded_side.view(&exchange.response);
            match sent.target.send(request).await {
                Ok(answer) => {
                    if exchange.operation == "CreateCompilationJob"
                        && answer.response.status == 200
                        && let Some(name) = timeline::job_name(exchange)
                    {
                        created.push(format!("{}{name}", sent.prefix));
                    }
                    compare(&expected, &actual_side.view(&answer.response), sent.target)
                }
                Err(TargetError { problem, .. }) => Outcome::Unanswered(problem),
            }
        };
        checked.push(Checked {
            step,
            operation: exchange.operation.clone(),
            seed_source: sent.sources.get(i).copied().unwrap_or(false),
            outcome,
        });
    }
    let left_behind = if sent.prefix.is_empty() {
        Vec::new()
    } else {
        remove_all(sent.target, &created, CLEAN_UP_TIMEOUT).await
    };
    Verdict {
        scenario: recording.scenario.clone(),
        checked,
        unseeded,
        left_behind,
    }
}

/// The recorded request, with the run prefix on job names (and on the members the rules
/// correlate for its operation) and each issued page token replaced by the one the target
/// issued in its place (a literal one stays).
fn outgoing(
    exchange: &RecordedExchange,
    sent: &Sent<'_>,
    recorded: &Viewer,
    actual: &Viewer,
) -> Request {
    let mut request = exchange.request.clone();
    if let Body::Json(Value::Object(members)) = &mut request.body {
        if !sent.prefix.is_empty() {
            let correlated = sent.rules.correlated(Some(exchange.operation.as_str()));
            let renamed = std::iter::once("CompilationJobName").chain(
                correlated
                    .into_iter()
                    .filter(|m| *m != "CompilationJobName"),
            );
            for member in renamed {
                if let Some(Value::String(name)) = members.get_mut(member) {
                    *name = format!("{}{name}", sent.prefix);
                }
            }
        }
        if let Some(Value::String(token)) = members.get_mut("NextToken")
            && let Some(n) = recorded.tokens().iter().position(|t| t == token)
            && let Some(theirs) = actual.tokens().get(n)
        {
            token.clone_from(theirs);
        }
    }
    request
}

fn compare(expected: &Value, actual: &Value, target: &dyn Target) -> Outcome {
    let at = differences(expected, actual);
    if at.is_empty() {
        return Outcome::Agreed;
    }
    let diff = unified_under(
        &pretty(expected),
        &pretty(actual),
        ("recorded", &target.label()),
    );
    Outcome::Diverged { at, diff }
}
