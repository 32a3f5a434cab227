//! Removing the jobs a run made on a shared target, to the end: stop what still runs,
//! wait until Delete accepts it, delete it and see that it is gone.
//!
//! AWS refuses Delete while a job is STARTING, INPROGRESS or STOPPING, so a Stop and a
//! Delete sent back to back leave the job behind, and later runs (and the account's
//! owner) see it. Every wait here is bounded; a job that does not go is named to the
//! caller, never dropped silently.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable};
use serde_json::{Value, json};

use crate::targets::Target;

use super::fixtures::call;

/// The first pause between two looks at a job; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(100);
const MAX_PAUSE: Duration = Duration::from_secs(10);

/// The statuses Delete accepts.
const SETTLED: [&str; 3] = ["COMPLETED", "FAILED", "STOPPED"];

/// Removes every named job, waiting at most `timeout` for all of them; returns the jobs
/// left behind, each with why.
pub async fn remove_all(target: &dyn Target, names: &[String], timeout: Duration) -> Vec<String> {
    // Stop every job first, so their stops run at once rather than one after another;
    // the answer does not matter here (a settled or unknown job refuses), the wait does.
    for name in names {
        let _ = call(
            target,
            "StopCompilationJob",
            &json!({ "CompilationJobName": name }),
        )
        .await;
    }
    // The jobs were stopped together, so they settle together: one deadline for all.
    let deadline = Instant::now() + timeout;
    let mut left = Vec::new();
    for name in names {
        if let Err(why) = remove_by(target, name, deadline, timeout).await {
            left.push(format!("{name} ({why})"));
        }
    }
    left
}

/// Stops the job if it runs, waits until it settles, deletes it and waits until a
/// Describe no longer finds it.
pub async fn remove(target: &dyn Target, name: &str, timeout: Duration) -> Result<(), String> {
    remove_by(target, name, Instant::now() + timeout, timeout).await
}

/// [`remove`] with a deadline shared with other removals; `timeout` is the whole wait,
/// for messages. Between looks it pauses from [`FIRST_PAUSE`], doubling up to
/// [`MAX_PAUSE`], never past the deadline; a look that deleted or stopped the job looks
/// again at once.
async fn remove_by(
    target: &dyn Target,
    name: &str,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), String> {
    let stop_sent = AtomicBool::new(false);
    let look = || step(target, name, &stop_sent);
    let pauses = ExponentialBuilder::new()
        .with_min_delay(FIRST_PAUSE)
        .with_max_delay(MAX_PAUSE)
        .with_factor(2.0)
        .without_max_times();
    look.retry(pauses)
        .sleep(tokio::time::sleep)
        .when(|left| matches!(left, Left::Waiting { .. }) && Instant::now() < deadline)
        .adjust(|_, pause| {
            pause.map(|pause| pause.min(deadline.saturating_duration_since(Instant::now())))
        })
        .await
        .map_err(|left| match left {
            Left::Waiting {
                refused: Some(refused),
                ..
            } => refused,
            Left::Waiting { status, .. } => {
                format!("still {status} after {} s", timeout.as_secs())
            }
            Left::Failed(why) => why,
        })
}

/// Why a job is still there after a look.
enum Left {
    /// It has not settled, or Delete refused it (`refused` says how): wait and look again.
    Waiting {
        status: String,
        refused: Option<String>,
    },
    /// It cannot be removed, or the target failed.
    Failed(String),
}

/// One look at the job: gone is done; settled, it is deleted and looked at again; still
/// running, it is stopped once (the stop sent before every removal may not have shown
/// yet; a second one refused while the job still runs means it cannot be stopped).
async fn step(target: &dyn Target, name: &str, stop_sent: &AtomicBool) -> Result<(), Left> {
    let body = json!({ "CompilationJobName": name });
    loop {
        let Some(status) = look(target, name).await.map_err(Left::Failed)? else {
            return Ok(());
        };
        if SETTLED.contains(&status.as_str()) {
            let (code, answer) = call(target, "DeleteCompilationJob", &body)
                .await
                .map_err(Left::Failed)?;
            if code == 200 {
                continue;
            }
            let refused = Some(format!("Delete answered {code}: {}", short(&answer)));
            return Err(Left::Waiting { status, refused });
        }
        if !stop_sent.load(Ordering::Relaxed) && status != "STOPPING" {
            let (code, answer) = call(target, "StopCompilationJob", &body)
                .await
                .map_err(Left::Failed)?;
            if code != 200 {
                return Err(Left::Failed(format!(
                    "{status}, and Stop answered {code}: {}",
                    short(&answer)
                )));
            }
            stop_sent.store(true, Ordering::Relaxed);
            continue;
        }
        return Err(Left::Waiting {
            status,
            refused: None,
        });
    }
}

/// The job's status, or `None` once Describe answers that it does not exist.
async fn look(target: &dyn Target, name: &str) -> Result<Option<String>, String> {
    let (code, answer) = call(
        target,
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": name }),
    )
    .await?;
    match code {
        200 => Ok(Some(
            answer["CompilationJobStatus"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
        )),
        400..=499 if is_not_found(&answer) => Ok(None),
        _ => Err(format!("Describe answered {code}: {}", short(&answer))),
    }
}

/// Whether an error answer says the job does not exist: SageMaker's ResourceNotFound,
/// or the ValidationException some implementations answer with "not found" or
/// "does not exist" in the message.
fn is_not_found(answer: &Value) -> bool {
    let kind = answer["__type"].as_str().unwrap_or("");
    let message = answer
        .get("Message")
        .or_else(|| answer.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    kind.ends_with("ResourceNotFound")
        || message.contains("not found")
        || message.contains("does not exist")
        || message.contains("could not find")
}

fn short(answer: &Value) -> String {
    let text = answer.to_string();
    text.chars().take(200).collect()
}

/// What a sweep did: the jobs removed and those left behind (with why).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Jobs removed.
    pub removed: Vec<String>,
    /// Jobs that could not be removed, each with why.
    pub left_behind: Vec<String>,
}

/// Removes every job whose name starts with `prefix` (what an interrupted run left).
pub async fn sweep(target: &dyn Target, prefix: &str, timeout: Duration) -> Result<Sweep, String> {
    let mut names = Vec::new();
    let mut request = json!({ "NameContains": prefix, "MaxResults": 100 });
    for _ in 0..10_000 {
        let (code, answer) = call(target, "ListCompilationJobs", &request).await?;
        if code != 200 {
            return Err(format!(
                "ListCompilationJobs answered {code}: {}",
                short(&answer)
            ));
        }
        for summary in answer["CompilationJobSummaries"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let Some(name) = summary["CompilationJobName"].as_str()
                && name.starts_with(prefix)
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_owned());
            }
        }
        match crate::exchange::next_token(&answer) {
            Some(token) => request["NextToken"] = json!(token),
            None => break,
        }
    }
    let left_behind = remove_all(target, &names, timeout).await;
    let removed = names
        .into_iter()
        .filter(|name| {
            !left_behind
                .iter()
                .any(|l| l.starts_with(&format!("{name} (")))
        })
        .collect();
    Ok(Sweep {
        removed,
        left_behind,
    })
}
