//! Runs a family of cases against a fresh server: each case, then a health check and the
//! state digest; every failure is collected so one run reports them all.

use std::sync::Arc;

use super::case::{Case, Expect, MessageRule};
use super::client;
use super::corpus;
use super::corpus::ExpectKind;
use super::seeds;
use super::server::Server;
use super::verdict;

/// Runs the corpus file `stem` and fails with every broken case.
pub(crate) async fn family(stem: &str) {
    let file = corpus::load(stem);
    let cases: Vec<Case> = file
        .cases
        .iter()
        .map(|spec| Case::from_spec(stem, spec))
        .collect();
    cases_against_a_fresh_server(stem, cases, file.parallel).await;
}

/// Runs `cases` (one by one, or all at once when `parallel`) and fails with every
/// broken case.
pub(crate) async fn cases_against_a_fresh_server(family: &str, cases: Vec<Case>, parallel: bool) {
    seeds::write_if_asked(family, &cases);
    let server = Arc::new(Server::start().await);
    let count = cases.len();
    let mut failures = Vec::new();
    if parallel {
        let mut tasks = tokio::task::JoinSet::new();
        for case in cases {
            let server = Arc::clone(&server);
            tasks.spawn(async move { one(&server, &case).await });
        }
        while let Some(result) = tasks.join_next().await {
            if let Err(failure) = result.expect("a case task") {
                failures.push(failure);
            }
        }
        if let Err(e) = server.check_unharmed("the whole family").await {
            failures.push(e);
        }
    } else {
        for case in &cases {
            if let Err(failure) = one(&server, case).await {
                failures.push(failure);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} {family} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// An expectation stated as "like this other request" becomes that request's answer.
fn resolve(server: &Server, expect: &Expect) -> Result<Expect, String> {
    let Some((target, body)) = &expect.like else {
        return Ok(expect.clone());
    };
    let reply = server.emulator.call_raw(Some(target), body);
    let (Some(code), Some(message)) = (reply.error_code(), reply.message()) else {
        return Err(format!(
            "the request it must answer like was served: {}",
            reply.body
        ));
    };
    Ok(Expect {
        kind: ExpectKind::AwsError,
        status: Some(reply.status),
        code: Some(code.to_owned()),
        message: MessageRule::Exactly(message.to_owned()),
        like: None,
    })
}

async fn one(server: &Server, case: &Case) -> Result<(), String> {
    let expect = resolve(server, &case.expect).map_err(|e| format!("- {}: {e}", case.label))?;
    let outcome = client::exchange(&server.addr, case)
        .await
        .map_err(|e| format!("- {}: {e}", case.label))?;
    verdict::judge(&expect, &outcome, case.is_head())
        .map_err(|e| format!("- {}: {e}", case.label))?;
    server
        .check_unharmed(&case.label)
        .await
        .map_err(|e| format!("- {e}"))
}
