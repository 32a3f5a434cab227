//! When each recorded exchange happened, so the emulator's clock can be where the
//! recorded target's was and a job goes through the statuses it went through then.
//!
//! The evidence, best first: for a Create, the job's `CreationTime` in any recorded
//! answer (to the millisecond); for a Stop, the `LastModifiedTime` of the first later
//! answer that shows the job STOPPING; then the time the recorder sent the request
//! (`sent_at`, to the millisecond but on the recorder's clock, so kept within the second
//! the answer's `Date` header names); then the `Date` header; then the latest time in the
//! answer itself. Times AWS gives to the whole second (and `Date`) say the moment lay
//! within that second, so they count as its last millisecond: a job that went INPROGRESS
//! at 12.250 shows `LastModifiedTime` 12 and must be INPROGRESS at "12".

use serde_json::Value;

use crate::recording::RecordedExchange;

use crate::compare::is_time_key;

/// A point on the recorded target's clock, in milliseconds since the epoch.
pub(super) type Instant = i64;

/// For each exchange, the time the clock moves to before it is sent (none: stays).
pub(super) fn plan(exchanges: &[RecordedExchange]) -> Vec<Option<Instant>> {
    (0..exchanges.len())
        .map(|i| time_of(exchanges, i))
        .collect()
}

fn time_of(exchanges: &[RecordedExchange], i: usize) -> Option<Instant> {
    let exchange = &exchanges[i];
    let name = job_name(exchange);
    let effect = match (exchange.operation.as_str(), name) {
        ("CreateCompilationJob", Some(name)) => exchanges
            .iter()
            .find_map(|e| job_member(e, name, "CreationTime"))
            .map(|seconds| at(seconds, false)),
        ("StopCompilationJob", Some(name)) => exchanges[i + 1..]
            .iter()
            .find_map(|e| {
                let job = job_in(e, name)?;
                (job.get("CompilationJobStatus")? == "STOPPING")
                    .then(|| job.get("LastModifiedTime")?.as_f64())?
            })
            .map(|seconds| at(seconds, true)),
        _ => None,
    };
    effect
        .or_else(|| sent_within_date(exchange))
        .or_else(|| date_of(exchange).map(|second| second + 999))
        .or_else(|| latest_in(exchange))
}

/// The recorder's `sent_at`, moved into the second of the answer's `Date` where the two
/// clocks disagree (the server's second is the authority, the recorder's milliseconds
/// the best guess within it).
fn sent_within_date(exchange: &RecordedExchange) -> Option<Instant> {
    let sent = exchange.sent_at?.millis();
    Some(match date_of(exchange) {
        Some(second) => sent.clamp(second, second + 999),
        None => sent,
    })
}

/// A time in seconds as an instant; with `whole_is_late`, a whole second counts as its
/// last millisecond.
fn at(seconds: f64, whole_is_late: bool) -> Instant {
    let millis = (seconds * 1000.0).round() as i64;
    if whole_is_late && millis % 1000 == 0 {
        millis + 999
    } else {
        millis
    }
}

/// The first millisecond of the second the answer's `Date` header names.
fn date_of(exchange: &RecordedExchange) -> Option<Instant> {
    let date = exchange.response.headers.get("date")?;
    let when = httpdate::parse_http_date(date).ok()?;
    let seconds = when.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(seconds).ok().map(|s| s * 1000)
}

fn latest_in(exchange: &RecordedExchange) -> Option<Instant> {
    let mut latest = None;
    if let Some(body) = exchange.response.body.json() {
        times(body, None, &mut |seconds| {
            let instant = at(seconds, true);
            latest = Some(latest.map_or(instant, |l: Instant| l.max(instant)));
        });
    }
    latest
}

fn times(value: &Value, key: Option<&str>, found: &mut dyn FnMut(f64)) {
    match value {
        Value::Object(members) => {
            for (member, inner) in members {
                times(inner, Some(member), found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| times(item, key, found)),
        Value::Number(n) if key.is_some_and(is_time_key) => {
            if let Some(seconds) = n.as_f64() {
                found(seconds);
            }
        }
        _ => {}
    }
}

/// The job an exchange's request names.
pub(super) fn job_name(exchange: &RecordedExchange) -> Option<&str> {
    exchange
        .request
        .body
        .json()?
        .get("CompilationJobName")?
        .as_str()
}

/// The job `name` as an answer shows it: a Describe's body or a List's summary.
pub(super) fn job_in<'a>(exchange: &'a RecordedExchange, name: &str) -> Option<&'a Value> {
    let body = exchange.response.body.json()?;
    if body.get("CompilationJobName").and_then(Value::as_str) == Some(name) {
        return Some(body);
    }
    body.get("CompilationJobSummaries")?
        .as_array()?
        .iter()
        .find(|s| s.get("CompilationJobName").and_then(Value::as_str) == Some(name))
}

fn job_member(exchange: &RecordedExchange, name: &str, member: &str) -> Option<f64> {
    job_in(exchange, name)?.get(member)?.as_f64()
}

/// Where the clock starts: the earliest planned time, if any.
pub(super) fn start(plan: &[Option<Instant>]) -> Option<Instant> {
    plan.iter().flatten().min().copied()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::plan;
    use crate::exchange::{Body, Headers, Request, Response};
    use crate::recording::{RecordedExchange, SentAt};

    /// A Describe answered with `Date: Thu, 03 Dec 2026 07:48:09 GMT` (second
    /// 1796284089), sent at `sent` milliseconds if given.
    fn describe(sent: Option<i64>) -> RecordedExchange {
        let mut headers = Headers::new();
        headers.insert("date", "Thu, 03 Dec 2026 07:48:09 GMT");
        RecordedExchange {
            operation: "DescribeCompilationJob".to_owned(),
            request: Request::aws_json(
                Some("SageMaker.DescribeCompilationJob"),
                Body::Json(json!({"CompilationJobName": "alpha"})),
            ),
            response: Response {
                status: 200,
                headers,
                body: Body::Json(json!({"CompilationJobName": "alpha"})),
            },
            reconstructed: false,
            sent_at: sent.map(SentAt::from_millis),
        }
    }

    #[test]
    fn the_recorders_milliseconds_place_an_exchange_within_its_date_second() {
        assert_eq!(
            plan(&[describe(Some(1_796_284_089_412))]),
            [Some(1_796_284_089_412)]
        );
    }

    #[test]
    fn a_recorder_clock_outside_the_date_second_is_held_to_that_second() {
        let early = describe(Some(1_796_284_087_000));
        let late = describe(Some(1_796_284_091_500));
        assert_eq!(
            plan(&[early, late]),
            [Some(1_796_284_089_000), Some(1_796_284_089_999)]
        );
    }

    #[test]
    fn without_a_sent_time_the_date_counts_as_its_last_millisecond() {
        assert_eq!(plan(&[describe(None)]), [Some(1_796_284_089_999)]);
    }
}
