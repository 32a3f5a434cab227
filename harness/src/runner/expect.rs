//! Checking a step's hand-written facts against what came back.

use serde_json::Value;

use crate::scenario::{Expect, Relation, Side};

use super::context::Context;
use crate::transcript::Exchange;

/// The marker for a member that must be absent.
pub const ABSENT: &str = "<absent>";

/// Every way the answers of one step break its `expect`, as sentences.
pub(crate) fn check(
    expect: &Expect,
    exchanges: &[&Exchange],
    context: &Context,
    paginated: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(last) = exchanges.last() else {
        return vec!["no request was sent".to_owned()];
    };
    let wanted_status = expect
        .status
        .unwrap_or(if expect.error.is_some() { 400 } else { 200 });
    // A paginated error is the answer that ended the walk.
    let judged = if expect.error.is_some() || wanted_status != 200 {
        last
    } else {
        exchanges[0]
    };
    for exchange in exchanges {
        let is_judged = std::ptr::eq(*exchange, judged);
        if exchange.status != wanted_status && (is_judged || wanted_status == 200) {
            problems.push(format!(
                "status: expected {wanted_status}, got {}{}",
                exchange.status,
                describe_error(exchange)
            ));
            break;
        }
    }
    let body = judged.response.json().cloned().unwrap_or(Value::Null);
    if let Some(error) = &expect.error {
        let got = body
            .get("__type")
            .and_then(Value::as_str)
            .unwrap_or("<none>");
        if got != error {
            problems.push(format!("error: expected {error}, got {got}"));
        }
    }
    if let Some(message) = &expect.message {
        let wanted = context.resolve(message);
        let got = body
            .get("Message")
            .or_else(|| body.get("message"))
            .cloned()
            .unwrap_or(Value::Null);
        if got != wanted {
            problems.push(format!("message: expected {wanted}, got {got}"));
        }
    }
    let pages: Vec<Vec<String>> = exchanges
        .iter()
        .map(|e| names_in(e.response.json(), context))
        .collect();
    if let Some(names) = &expect.names {
        let got: Vec<String> = pages.concat();
        if &got != names {
            problems.push(format!("names: expected {names:?}, got {got:?}"));
        }
    }
    if let Some(wanted) = &expect.pages
        && &pages != wanted
    {
        problems.push(format!("pages: expected {wanted:?}, got {pages:?}"));
    }
    if let Some(token) = expect.token {
        let has = crate::exchange::next_token(&body).is_some();
        if has != token && !paginated {
            problems.push(format!(
                "token: expected {}, got {}",
                presence(token),
                presence(has)
            ));
        }
    }
    for (fact, relation) in &expect.times {
        problems.extend(check_time_fact(fact, relation, &body, context));
    }
    for (path, wanted) in &expect.fields {
        let wanted = context.resolve_json(wanted);
        let got = lookup(&body, path);
        let ok = match (&wanted, got) {
            (Value::String(s), None) => s == ABSENT,
            (Value::String(s), Some(_)) if s == ABSENT => false,
            (wanted, Some(got)) => numbers_equal(wanted, got) || wanted == got,
            (_, None) => false,
        };
        if !ok {
            let shown = got.map_or_else(|| "absent".to_owned(), Value::to_string);
            problems.push(format!("{path}: expected {wanted}, got {shown}"));
        }
    }
    problems
}

/// A broken time fact as a sentence, or `None` when it holds.
fn check_time_fact(
    fact: &str,
    relation: &Relation,
    body: &Value,
    context: &Context,
) -> Option<String> {
    let Relation { left, op, right } = relation;
    let value = |side: &Side| -> Option<f64> {
        match side {
            Side::Member(path) => lookup(body, path).and_then(Value::as_f64),
            Side::Reference(reference, _) => context.value_of(reference).as_f64(),
        }
    };
    match (value(left), value(right)) {
        (Some(l), Some(r)) if op.holds(l, r) => None,
        (Some(l), Some(r)) => Some(format!(
            "times: expected {left} {op} {right}, got {l} and {r}"
        )),
        (l, _) => {
            let missing = if l.is_none() { left } else { right };
            Some(format!(
                "times: {fact}: {missing} is not a time in the answer"
            ))
        }
    }
}

fn presence(has: bool) -> &'static str {
    if has { "a NextToken" } else { "no NextToken" }
}

fn describe_error(exchange: &Exchange) -> String {
    exchange
        .response
        .json()
        .and_then(|b| b.get("__type"))
        .map(|t| format!(" ({t})"))
        .unwrap_or_default()
}

/// The aliases of the jobs a List answer holds, in order.
pub(crate) fn names_in(body: Option<&Value>, context: &Context) -> Vec<String> {
    body.and_then(|b| b.get("CompilationJobSummaries"))
        .and_then(Value::as_array)
        .map(|summaries| {
            summaries
                .iter()
                .map(|s| context.alias_of(s["CompilationJobName"].as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default()
}

/// A member by dotted path; numeric segments index lists.
pub(crate) fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |current, segment| match current {
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            Value::Object(map) => map.get(segment),
            _ => None,
        })
}

fn numbers_equal(a: &Value, b: &Value) -> bool {
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}
