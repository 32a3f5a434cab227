//! Running a scenario on a target: fixtures, steps with their references, the
//! hand-written facts, and the invariants every walk keeps. The result is a transcript
//! (for the snapshot) and a list of failures, each tied to its step.

mod context;
mod expect;
mod fixtures;
mod invariants;
mod verdict;

pub use expect::ABSENT;
pub use verdict::{AnswerStats, Verdict, judge, judge_on};

use serde_json::{Value, json};

use crate::exchange::{Body, Request};
use crate::scenario::{Profile, Scenario, Step};
use crate::targets::Target;
use crate::transcript::{Exchange, Transcript};

use context::Context;
pub(crate) use fixtures::call;

/// Pages a walk may take before it is called endless.
const MAX_PAGES: usize = 1000;

/// A broken expectation or invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The step (1-based), or `None` for fixtures.
    pub step: Option<usize>,
    /// What broke.
    pub message: String,
}

/// What one scenario did on one target.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// The transcript.
    pub transcript: Transcript,
    /// Everything that broke, in step order.
    pub failures: Vec<Failure>,
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
        ..Transcript::default()
    };
    if let Err(message) = fixtures::realize(&scenario.file.fixtures, target, &mut context).await {
        transcript.fixtures = context.fixtures.clone();
        transcript.setup_answers = context.setup_answers.clone();
        clean_up(target, scenario, &context, &transcript).await;
        return RunOutcome {
            transcript,
            failures: vec![Failure {
                step: None,
                message,
            }],
        };
    }
    transcript.fixtures = context.fixtures.clone();
    transcript.setup_answers = context.setup_answers.clone();
    let mut failures = Vec::new();
    for (index, step) in scenario.file.steps.iter().enumerate() {
        let number = index + 1;
        let problems = run_step(step, number, target, &mut context, &mut transcript).await;
        failures.extend(problems.into_iter().map(|message| Failure {
            step: Some(number),
            message,
        }));
    }
    clean_up(target, scenario, &context, &transcript).await;
    RunOutcome {
        transcript,
        failures,
    }
}

/// Stops and deletes the jobs a run made on a shared target (one without a virtual
/// clock, which is not fresh per scenario), so later scenarios see the account as clean
/// as before. Best effort: a job that is still stopping stays behind.
async fn clean_up(
    target: &dyn Target,
    scenario: &Scenario,
    context: &Context,
    transcript: &Transcript,
) {
    if target.clock().is_some() {
        return;
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
                exchange.operation == "CreateCompilationJob" && n.starts_with(&context.prefix)
            });
        if let Some(name) = created
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_owned());
        }
    }
    for name in names {
        let body = json!({ "CompilationJobName": name });
        let _ = fixtures::call(target, "StopCompilationJob", &body).await;
        let _ = fixtures::call(target, "DeleteCompilationJob", &body).await;
    }
}

async fn run_step(
    step: &Step,
    number: usize,
    target: &dyn Target,
    context: &mut Context,
    transcript: &mut Transcript,
) -> Vec<String> {
    if let Some(wait) = &step.wait {
        return match fixtures::wait_for(target, context, &wait.fixture, wait.status).await {
            Ok(()) => Vec::new(),
            Err(problem) => vec![problem],
        };
    }
    let paginated = step.paginate.is_some();
    let operation = step
        .call
        .clone()
        .or_else(|| step.paginate.clone())
        .unwrap_or_default();
    let header = match &step.target_header {
        Some(h) if h.is_empty() => None,
        Some(h) => Some(h.clone()),
        None => Some(format!("SageMaker.{operation}")),
    };
    let mut request = match (&step.request, &step.raw_body) {
        (_, Some(raw)) => Body::Text(context.resolve(raw).as_str().unwrap_or("").to_owned()),
        (Some(table), None) => {
            let json = serde_json::to_value(table).unwrap_or(json!({}));
            Body::Json(context.resolve_json(&json))
        }
        (None, None) => Body::Json(json!({})),
    };
    let first = transcript.exchanges.len();
    for page in 1..=MAX_PAGES {
        let response = match target
            .send(Request::aws_json(header.as_deref(), request.clone()))
            .await
        {
            Ok(exchange) => exchange.response,
            Err(error) => return vec![error.to_string()],
        };
        let exchange = Exchange {
            step: number,
            page: paginated.then_some(page),
            operation: operation.clone(),
            target_header: header.clone(),
            request: request.clone(),
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            response: response.body,
        };
        let token = exchange
            .response
            .json()
            .and_then(|b| b.get("NextToken"))
            .filter(|t| !t.is_null() && *t != "")
            .cloned();
        let ok = exchange.status == 200;
        transcript.exchanges.push(exchange);
        match (paginated && ok, token, &mut request) {
            (true, Some(token), Body::Json(body)) => body["NextToken"] = token,
            _ => break,
        }
    }
    let exchanges: Vec<&Exchange> = transcript.exchanges[first..].iter().collect();
    if let (Some(id), Some(last)) = (&step.id, exchanges.last()) {
        let answer = last.response.json().cloned().unwrap_or(Value::Null);
        context.step_answers.insert(id.clone(), answer);
    }
    let mut problems = expect::check(&step.expect, &exchanges, context, paginated);
    let all_ok = exchanges.iter().all(|e| e.status == 200);
    if paginated && all_ok {
        problems.extend(invariants::check_walk(&exchanges, target, context).await);
    }
    problems
}
