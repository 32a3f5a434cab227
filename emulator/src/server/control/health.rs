//! `GET /_localstack/health` in LocalStack's shape, for the health checks written for
//! LocalStack (a compose file's, a CI step's) that wait on it before a suite starts.

use serde_json::{Value, json};

/// LocalStack's health answer: a `services` map of service name to state, where
/// `running` is a service that has started and answers, and the edition and version.
/// cjh serves one service, always started once it answers at all. The edition is
/// LocalStack's free one, so that a tool that checks it expects no paid features.
pub(super) fn localstack() -> Value {
    json!({
        "services": { "sagemaker": "running" },
        "edition": "community",
        "version": concat!("cjh-", env!("CARGO_PKG_VERSION")),
    })
}
