//! What every paginated walk must keep on every target, whatever the scenario says.

use serde_json::{Value, json};

use crate::targets::Target;

use super::context::Context;
use super::fixtures::call;
use crate::transcript::Exchange;

/// Filters of ListCompilationJobs; a walk with none of them must equal the sorted list.
const FILTERS: [&str; 6] = [
    "CreationTimeAfter",
    "CreationTimeBefore",
    "LastModifiedTimeAfter",
    "LastModifiedTimeBefore",
    "NameContains",
    "StatusEquals",
];

/// Checks a successful walk; returns the broken invariants as sentences.
pub(crate) async fn check_walk(
    pages: &[&Exchange],
    target: &dyn Target,
    context: &Context,
) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(first) = pages.first() else {
        return problems;
    };
    let request = first.request.json().cloned().unwrap_or(json!({}));
    let max = request
        .get("MaxResults")
        .and_then(Value::as_u64)
        .unwrap_or(100) as usize;
    let mut seen: Vec<String> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let body = page.response.json();
        let names = raw_names(body);
        if names.len() > max {
            problems.push(format!(
                "page {} holds {} jobs, more than MaxResults {max}",
                i + 1,
                names.len()
            ));
        }
        for name in names {
            if seen.contains(&name) {
                problems.push(format!("job {} is listed twice", context.alias_of(&name)));
            }
            seen.push(name);
        }
        let sent = page
            .request
            .json()
            .and_then(|r| r.get("NextToken"))
            .cloned();
        let got = body.and_then(crate::exchange::next_token);
        if got.is_some() && got == sent.as_ref().and_then(Value::as_str) {
            problems.push(format!(
                "page {} answered with the token it was sent",
                i + 1
            ));
        }
        if i + 1 == pages.len() && got.is_some() {
            problems.push("the last page carries a NextToken".to_owned());
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    // The pages against the unfiltered list, in the same order and page size.
    let mut plain = json!({});
    for key in ["SortBy", "SortOrder", "MaxResults"] {
        if let Some(v) = request.get(key) {
            plain[key] = v.clone();
        }
    }
    let windows = match walk(target, plain).await {
        Ok(windows) => windows,
        Err(problem) => return vec![format!("the unfiltered walk failed: {problem}")],
    };
    let pages_names: Vec<Vec<String>> =
        pages.iter().map(|p| raw_names(p.response.json())).collect();
    let filtered = FILTERS.iter().any(|f| request.get(*f).is_some());
    if !filtered {
        if pages_names.concat() != windows.concat() {
            problems.push("the walk does not return the sorted list it should cover".to_owned());
        }
        return problems;
    }
    let window_like = pages_names.len() == windows.len()
        && pages_names.iter().zip(&windows).all(|(page, window)| {
            page.iter().all(|n| window.contains(n)) && is_subsequence(page, window)
        });
    let all = windows.concat();
    let filtered_like = is_subsequence(&pages_names.concat(), &all);
    if !window_like && !filtered_like {
        problems.push(
            "the pages are neither filtered windows of the sorted list nor a subsequence of it"
                .to_owned(),
        );
    }
    problems
}

fn raw_names(body: Option<&Value>) -> Vec<String> {
    body.and_then(|b| b.get("CompilationJobSummaries"))
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .map(|j| j["CompilationJobName"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut rest = big.iter();
    small.iter().all(|item| rest.any(|b| b == item))
}

async fn walk(target: &dyn Target, mut request: Value) -> Result<Vec<Vec<String>>, String> {
    let mut windows = Vec::new();
    for _ in 0..10_000 {
        let (status, body) = call(target, "ListCompilationJobs", &request).await?;
        if status != 200 {
            return Err(format!("answered {status}: {body}"));
        }
        windows.push(raw_names(Some(&body)));
        match crate::exchange::next_token(&body) {
            Some(token) => request["NextToken"] = json!(token),
            None => return Ok(windows),
        }
    }
    Err("no end of pages".to_owned())
}
