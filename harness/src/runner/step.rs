//! Running one step of a checked scenario: a call, a paginated walk or a wait, then its
//! facts and, for a walk, the invariants every walk keeps.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::exchange::{self, Request};
use crate::scenario::{Body, Send, Step};
use crate::targets::Target;
use crate::transcript::{Exchange, Transcript};

use super::context::Context;
use super::{expect, fixtures, invariants};

/// Pages a walk may take before it is called endless.
const MAX_PAGES: usize = 1000;

/// Runs `step` (numbered `number`, 1-based), adding its exchanges to `transcript`;
/// returns what broke.
pub(super) async fn run(
    step: &Step,
    number: usize,
    target: &dyn Target,
    context: &mut Context,
    transcript: &mut Transcript,
) -> Vec<String> {
    let (send, expect, paginated) = match step {
        Step::Wait(wait) => {
            return match fixtures::wait_for(target, context, &wait.fixture, wait.status).await {
                Ok(()) => Vec::new(),
                Err(problem) => vec![problem],
            };
        }
        Step::Call(call) => (&call.send, &call.expect, false),
        Step::Paginate(paginate) => (&paginate.send, &paginate.expect, true),
    };
    let operation = step.operation().map(|op| op.name()).unwrap_or_default();
    let mut request = match &send.body {
        Body::Raw(raw) => {
            exchange::Body::Text(context.resolve(raw).as_str().unwrap_or("").to_owned())
        }
        Body::Json(json) => exchange::Body::Json(context.resolve_json(json)),
    };
    let request_references = lone_references(send);
    let first = transcript.exchanges.len();
    for page in 1..=MAX_PAGES {
        let response = match target
            .send(Request::aws_json(send.header.as_deref(), request.clone()))
            .await
        {
            Ok(exchange) => exchange.response,
            Err(error) => return vec![error.to_string()],
        };
        let exchange = Exchange {
            step: number,
            page: paginated.then_some(page),
            operation: operation.to_owned(),
            target_header: send.header.clone(),
            request: request.clone(),
            request_references: request_references.clone(),
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            response: response.body,
        };
        let token = exchange
            .response
            .json()
            .and_then(exchange::next_token)
            .map(|token| json!(token));
        let ok = exchange.status == 200;
        transcript.exchanges.push(exchange);
        match (paginated && ok, token, &mut request) {
            (true, Some(token), exchange::Body::Json(body)) => body["NextToken"] = token,
            _ => break,
        }
    }
    let exchanges: Vec<&Exchange> = transcript.exchanges[first..].iter().collect();
    if let (Some(id), Some(last)) = (step.id(), exchanges.last()) {
        let answer = last.response.json().cloned().unwrap_or(Value::Null);
        context.step_answers.insert(id.to_owned(), answer);
    }
    let mut problems = expect::check(expect, &exchanges, context, paginated);
    let all_ok = exchanges.iter().all(|e| e.status == 200);
    if paginated && all_ok {
        problems.extend(invariants::check_walk(&exchanges, target, context).await);
    }
    problems
}

/// The top-level request members written as exactly one reference, with its text, so
/// the snapshot names them by reference rather than by this run's value.
fn lone_references(send: &Send) -> BTreeMap<String, String> {
    let Body::Json(json) = &send.body else {
        return BTreeMap::new();
    };
    json.members()
        .iter()
        .filter_map(|(member, value)| match value {
            crate::scenario::JsonTemplate::Text(template) => template
                .lone_reference()
                .map(|(_, text)| (member.clone(), text.to_owned())),
            _ => None,
        })
        .collect()
}
