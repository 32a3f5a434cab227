//! Running a scenario on a target: fixtures, steps with their references, the
//! hand-written facts, and the invariants every walk keeps. The result is a transcript
//! (for the snapshot) and a list of failures, each tied to its step.

mod clean_up;
mod context;
mod expect;
mod fixtures;
mod invariants;
mod schedule;
mod step;
mod verdict;

pub use clean_up::{Sweep, remove, remove_all, sweep};
pub use expect::ABSENT;
pub use schedule::{Parallel, judge_corpus, shares_region};
pub use verdict::{AnswerStats, Verdict, judge, judge_in, judge_on};

use serde_json::{Value, json};

use crate::scenario::{Profile, Scenario};
use crate::targets::Target;
use crate::transcript::Transcript;

use context::Context;
pub(crate) use fixtures::call;

/// A broken expectation or invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The step (1-based), or `None` for fixtures.
    pub step: Option<usize>,
    /// What broke.
    pub message: String,
}

/// How far a scenario got on a target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Reach {
    /// Its fixtures were made and its steps ran.
    #[default]
    Steps,
    /// It stopped before its steps: a fixture could not be made, or the account was not
    /// the scenario's own.
    Fixtures,
    /// It assumes what the target cannot give (a virtual clock), so it did not run.
    NotApplicable(String),
}

/// What one scenario did on one target.
#[derive(Debug, Clone, Default)]
pub struct RunOutcome {
    /// The transcript.
    pub transcript: Transcript,
    /// Everything that broke, in step order.
    pub failures: Vec<Failure>,
    /// How far it got.
    pub reach: Reach,
    /// Jobs of the run that clean-up could not remove from a shared target, with why.
    pub left_behind: Vec<String>,
}

/// A run prefix: short, lower case, unique enough to keep runs on one account apart.
pub fn new_prefix() -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("cjh{}", &id[..8])
}

/// Runs one scenario.
pub async fn run(
    scenario: &Scenario,
    target: &dyn Target,
    profile: &Profile,
    prefix: &str,
) -> RunOutcome {
    let mut context = Context {
        prefix: prefix.to_owned(),
        profile: profile.clone(),
        ..Context::default()
    };
    let mut transcript = Transcript {
        prefix: prefix.to_owned(),
        shows_status: scenario.file.shows_status(),
        ..Transcript::default()
    };
    let shared = target.clock().is_none();
    let assumes = &scenario.file.assumes;
    if let (true, Some(coincidence)) = (shared, &assumes.virtual_clock) {
        return RunOutcome {
            transcript,
            failures: Vec::new(),
            reach: Reach::NotApplicable(format!("assumes a virtual clock: {coincidence}")),
            left_behind: Vec::new(),
        };
    }
    let own_account = match (shared, &assumes.own_account) {
        (true, Some(why)) => account_is_empty(target)
            .await
            .map_err(|held| format!("assumes an account to itself ({why}), but {held}")),
        _ => Ok(()),
    };
    let realized = match own_account {
        Ok(()) => fixtures::realize(&scenario.file, target, &mut context).await,
        Err(message) => Err(message),
    };
    if let Err(message) = realized {
        transcript.fixtures = context.fixtures.clone();
        transcript.setup_answers = context.setup_answers.clone();
        let left_behind = clean_up(target, scenario, &context, &transcript).await;
        return RunOutcome {
            transcript,
            failures: vec![Failure {
                step: None,
                message,
            }],
            reach: Reach::Fixtures,
            left_behind,
        };
    }
    transcript.fixtures = context.fixtures.clone();
    transcript.setup_answers = context.setup_answers.clone();
    let mut failures = Vec::new();
    for (index, step) in scenario.file.steps.iter().enumerate() {
        let number = index + 1;
        let problems = step::run(step, number, target, &mut context, &mut transcript).await;
        failures.extend(problems.into_iter().map(|message| Failure {
            step: Some(number),
            message,
        }));
    }
    let left_behind = clean_up(target, scenario, &context, &transcript).await;
    RunOutcome {
        transcript,
        failures,
        reach: Reach::Steps,
        left_behind,
    }
}

/// `Ok` when the account and region hold no job at all, else what they hold.
async fn account_is_empty(target: &dyn Target) -> Result<(), String> {
    let (status, body) =
        fixtures::call(target, "ListCompilationJobs", &json!({ "MaxResults": 100 })).await?;
    if status != 200 {
        return Err(format!("ListCompilationJobs answered {status}: {body}"));
    }
    let names: Vec<&str> = body["CompilationJobSummaries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["CompilationJobName"].as_str())
        .collect();
    match names.as_slice() {
        [] => Ok(()),
        some => Err(format!(
            "it holds {}{} (first: {})",
            some.len(),
            if crate::exchange::next_token(&body).is_some() {
                " or more jobs"
            } else {
                " jobs"
            },
            some.iter().take(3).copied().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Removes the jobs a run made on a shared target (one without a virtual clock, which
/// is not fresh per scenario), so later scenarios see the account as clean as before;
/// returns the jobs it could not remove.
async fn clean_up(
    target: &dyn Target,
    scenario: &Scenario,
    context: &Context,
    transcript: &Transcript,
) -> Vec<String> {
    if target.clock().is_some() {
        return Vec::new();
    }
    let mut names: Vec<String> = scenario
        .file
        .fixtures
        .iter()
        .map(|f| context.real_name(&f.name))
        .collect();
    for exchange in &transcript.exchanges {
        let created = exchange
            .request
            .json()
            .and_then(|r| r.get("CompilationJobName"))
            .and_then(Value::as_str)
            .filter(|n| {
                exchange.operation == "CreateCompilationJob"
                    && exchange.status == 200
                    && n.to_lowercase().starts_with(&context.prefix)
            });
        if let Some(name) = created
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_owned());
        }
    }
    let timeout = std::time::Duration::from_secs(context.profile.wait_timeout_secs);
    clean_up::remove_all(target, &names, timeout).await
}
