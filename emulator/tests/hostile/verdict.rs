//! Holds an outcome against what its case expects. Whatever the case, a 5xx is always
//! wrong, and so is a 2xx the case did not expect.

use serde_json::Value;

use super::case::{Expect, JSON_1_1};
use super::client::{Answer, Outcome};
use super::corpus::ExpectKind;

/// `Ok` when the outcome is what the case expects, else what was wrong.
pub(crate) fn judge(expect: &Expect, outcome: &Outcome, head_only: bool) -> Result<(), String> {
    let answer = match (expect.kind, outcome) {
        (ExpectKind::Close, Outcome::Closed { partial }) if partial.is_empty() => return Ok(()),
        (_, Outcome::Closed { partial }) => {
            let shown: String = String::from_utf8_lossy(partial).chars().take(200).collect();
            return Err(format!(
                "expected {:?}, but the connection closed after {} bytes {shown:?}",
                expect.kind,
                partial.len()
            ));
        }
        (_, Outcome::Answer(answer)) => answer,
    };
    if answer.status >= 500 {
        return Err(format!("a server error: {}", shown(answer)));
    }
    match expect.kind {
        ExpectKind::Close => Err(format!("expected a close, got {}", shown(answer))),
        ExpectKind::HttpError => {
            let status = expect.status.unwrap_or_default();
            if answer.status == status {
                Ok(())
            } else {
                Err(format!("expected HTTP {status}, got {}", shown(answer)))
            }
        }
        ExpectKind::Served => {
            if answer.status != 200 {
                return Err(format!("expected 200, got {}", shown(answer)));
            }
            aws_headers(answer)?;
            let body: Value = serde_json::from_slice(&answer.body)
                .map_err(|e| format!("a 200 whose body is not JSON ({e}): {}", shown(answer)))?;
            if body.is_object() {
                Ok(())
            } else {
                Err(format!("a 200 whose body is not an object: {body}"))
            }
        }
        ExpectKind::AwsError => aws_error(expect, answer, head_only),
    }
}

/// A well-formed AWS error: status, content type, request id, error type header, and a
/// body of exactly `__type` and `Message`.
fn aws_error(expect: &Expect, answer: &Answer, head_only: bool) -> Result<(), String> {
    let status = expect.status.unwrap_or(400);
    let code = expect.code.as_deref().unwrap_or_default();
    if answer.status != status {
        return Err(format!("expected {status} {code}, got {}", shown(answer)));
    }
    aws_headers(answer)?;
    if answer.header("x-amzn-errortype") != Some(code) {
        return Err(format!(
            "expected X-Amzn-Errortype {code}, got {}",
            shown(answer)
        ));
    }
    if head_only {
        return Ok(());
    }
    let body: Value = serde_json::from_slice(&answer.body)
        .map_err(|e| format!("an error body that is not JSON ({e}): {}", shown(answer)))?;
    let shaped = body.as_object().is_some_and(|o| o.len() == 2)
        && body["__type"] == code
        && body["Message"].is_string();
    if !shaped {
        return Err(format!("a malformed error body: {}", shown(answer)));
    }
    let message = body["Message"].as_str().unwrap_or_default();
    if expect.message.allows(message) {
        Ok(())
    } else {
        Err(format!(
            "message {:?} does not keep {:?}",
            cut(message),
            expect.message
        ))
    }
}

fn aws_headers(answer: &Answer) -> Result<(), String> {
    if answer.header("content-type") != Some(JSON_1_1) {
        return Err(format!("not {JSON_1_1}: {}", shown(answer)));
    }
    if answer.header("x-amzn-requestid").is_none_or(str::is_empty) {
        return Err(format!("no x-amzn-RequestId: {}", shown(answer)));
    }
    Ok(())
}

fn shown(answer: &Answer) -> String {
    format!(
        "{} {:?} {}",
        answer.status,
        answer.headers,
        cut(&String::from_utf8_lossy(&answer.body))
    )
}

fn cut(text: &str) -> String {
    let short: String = text.chars().take(300).collect();
    if short.len() < text.len() {
        format!("{short}... ({} bytes)", text.len())
    } else {
        short
    }
}
