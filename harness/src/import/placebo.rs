//! Cloud Custodian's placebo folders.
//!
//! Placebo (the recorder in Cloud Custodian's test suite) keeps one JSON file per
//! answer, named `<service>.<Operation>_<n>.json` (`api.sagemaker.StopCompilationJob_1`),
//! holding `{"status_code": ..., "data": ...}` where `data` is what boto3 parsed, not
//! what came over the wire. So this reader turns each answer back into its wire form:
//!
//! - datetimes (`{"__class__": "datetime", "year": ..., "microsecond": ...}`, UTC)
//!   become the epoch-second numbers AWS JSON 1.1 sends, fractions kept;
//! - `ResponseMetadata` is boto3's, not the body: it is dropped, and its `HTTPHeaders`
//!   (and `RequestId`) become the answer's headers;
//! - an error's `{"Error": {"Code", "Message"}}` becomes `{"__type", "Message"}`;
//! - an answer with nothing left (a Stop, a Delete) is an empty body, as SageMaker
//!   sends those (content-length 0 where placebo kept the headers).
//!
//! Requests are not kept at all; `rebuild` makes them, and every exchange is marked
//! `reconstructed`. Services without a known target prefix are skipped, with a note.
//!
//! **Order.** Placebo keeps the order of the calls of one operation (`_1`, `_2`, ...)
//! and nothing else: not which operation came first, and file times are checkout
//! times. A replay does not depend on it (a mock answers identical requests in recorded
//! order, and different ones independently), but the file should read as a plausible
//! session. The default order takes each `_n` as the n-th round of the test, as a
//! Custodian test is a run of a policy (list, describe, augment, act) repeated or
//! followed by checks; within a round: `List*` (but `ListTags`), then `Describe*` and
//! `Get*`, then every other operation (the actions), then `ListTags` (the test reading
//! the tags it changed); ties by file name. `--order` gives the true order when the
//! test's code shows it.

use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::ImportError;
use super::assemble::{Draft, shown_name};
use super::rebuild::{Seen, request, target_prefix};
use crate::exchange::{Body, Headers, Response};
use crate::recording::{RecordedExchange, Source, timestamp};

/// One answer file.
#[derive(Debug, Clone)]
struct Answer {
    /// The file name, `api.sagemaker.ListCompilationJobs_1.json`.
    file: String,
    service: String,
    operation: String,
    /// The `_n` of the file name: which call of the operation it answered.
    call: u32,
    status: u16,
    data: Map<String, Value>,
}

/// Reads a placebo folder; `order` lists its files in the order they were answered
/// (names with or without `.json`, with or without the service prefix when that is
/// unambiguous), and `region` is the one the command line gives, if any.
pub(crate) fn read(
    dir: &Path,
    order: Option<&[String]>,
    region: Option<&str>,
) -> Result<Draft, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::Malformed {
            path: dir.to_owned(),
            format: "placebo folder",
            problem: "it is not a folder (placebo keeps one file per answer in a folder)"
                .to_owned(),
        });
    }
    let mut names: Vec<String> = fs_err::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    let mut answers = Vec::new();
    let mut skipped = Vec::new();
    for name in names {
        let answer = load(dir, &name)?;
        if target_prefix(&answer.service).is_some() {
            answers.push(answer);
        } else {
            skipped.push(format!(
                "{name} (service {} has no known X-Amz-Target prefix)",
                answer.service
            ));
        }
    }
    let rule = match order {
        Some(order) => {
            answers = in_given_order(dir, answers, order)?;
            "as given by --order"
        }
        None => {
            answers.sort_by_key(|a| (a.call, phase(&a.operation), a.file.clone()));
            "the n-th call of each operation in round n; in a round List*, then Describe*/Get*, then actions, then ListTags"
        }
    };
    let mut seen = Seen::default();
    let mut exchanges = Vec::with_capacity(answers.len());
    let mut unknown = Vec::new();
    let mut recorded_at = None;
    for answer in &answers {
        let response = response(dir, answer)?;
        if recorded_at.is_none() {
            recorded_at = response
                .headers
                .get("date")
                .and_then(|date| httpdate::parse_http_date(date).ok())
                .map(timestamp);
        }
        let body = response.body.json().cloned().unwrap_or(Value::Null);
        let prefix = target_prefix(&answer.service).unwrap_or_default();
        let rebuilt = request(prefix, &answer.operation, &body, &seen);
        seen.observe(&body);
        if rebuilt.body_unknown {
            unknown.push(answer.file.clone());
        }
        exchanges.push(RecordedExchange {
            operation: answer.operation.clone(),
            request: rebuilt.request,
            response,
            reconstructed: true,
            sent_at: None,
        });
    }
    let region = region.map(str::to_owned).or_else(|| {
        answers
            .iter()
            .find_map(|a| region_in(&Value::Object(a.data.clone())))
    });
    let mut note = format!(
        "placebo folder {} (Cloud Custodian's recorder keeps boto3-parsed answers only): {} answers; requests rebuilt from the operation and the answers; datetimes turned back into epoch seconds; order: {rule}",
        shown_name(dir),
        exchanges.len()
    );
    if !unknown.is_empty() {
        note.push_str(&format!(
            "; request body not shown by any answer, sent as {{}}: {}",
            unknown.join(", ")
        ));
    }
    if !skipped.is_empty() {
        note.push_str(&format!("; skipped: {}", skipped.join(", ")));
    }
    Ok(Draft {
        endpoint: main_service(&answers)
            .zip(region.as_deref())
            .map(|(service, region)| endpoint(service, region)),
        region,
        recorded_at,
        source: None::<Source>,
        imported_from: note,
        exchanges,
    })
}

/// `service`, `Operation` and `n` of `service.Operation_n.json`; the service may hold
/// dots (`api.sagemaker`).
fn split_name(name: &str) -> Option<(&str, &str, u32)> {
    let stem = name.strip_suffix(".json")?;
    let (left, call) = stem.rsplit_once('_')?;
    let call = call.parse().ok()?;
    let (service, operation) = left.rsplit_once('.')?;
    let valid = !service.is_empty()
        && operation.starts_with(|c: char| c.is_ascii_uppercase())
        && operation.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then_some((service, operation, call))
}

fn load(dir: &Path, name: &str) -> Result<Answer, ImportError> {
    let bad = |problem: String| ImportError::entry(dir, name, problem);
    let (service, operation, call) = split_name(name).ok_or_else(|| {
        bad("not a placebo answer file name (<service>.<Operation>_<n>.json)".to_owned())
    })?;
    let path = dir.join(name);
    let text = fs_err::read_to_string(&path)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| bad(format!("not JSON: {e}")))?;
    let status = value
        .get("status_code")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| bad("no \"status_code\" HTTP status".to_owned()))?;
    let data = match value.get("data") {
        Some(Value::Object(data)) => data.clone(),
        _ => return Err(bad("no \"data\" object".to_owned())),
    };
    Ok(Answer {
        file: name.to_owned(),
        service: service.to_owned(),
        operation: operation.to_owned(),
        call,
        status,
        data,
    })
}

/// The answer's phase within a round (see the module's order rule).
fn phase(operation: &str) -> u8 {
    if operation.starts_with("ListTags") {
        3
    } else if operation.starts_with("List") {
        0
    } else if ["Describe", "Get", "BatchGet", "Search"]
        .iter()
        .any(|read| operation.starts_with(read))
    {
        1
    } else {
        2
    }
}

fn in_given_order(
    dir: &Path,
    answers: Vec<Answer>,
    order: &[String],
) -> Result<Vec<Answer>, ImportError> {
    let problem = |problem: String| ImportError::Order {
        path: dir.to_owned(),
        problem,
    };
    let mut left: Vec<Option<Answer>> = answers.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(left.len());
    for entry in order {
        let wanted = entry.trim().trim_end_matches(".json");
        let matching: Vec<usize> = left
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let stem = a.as_ref()?.file.trim_end_matches(".json").to_owned();
                (stem == wanted || stem.ends_with(&format!(".{wanted}"))).then_some(i)
            })
            .collect();
        match matching.as_slice() {
            [i] => ordered.extend(left[*i].take()),
            [] => {
                return Err(problem(format!(
                    "{entry} names no file left to place (a wrong name, a skipped service, or named twice)"
                )));
            }
            _ => {
                return Err(problem(format!(
                    "{entry} names more than one file; give the service too"
                )));
            }
        }
    }
    let missing: Vec<String> = left.into_iter().flatten().map(|a| a.file).collect();
    if !missing.is_empty() {
        return Err(problem(format!("it does not place {}", missing.join(", "))));
    }
    Ok(ordered)
}

/// The answer as it came over the wire.
fn response(dir: &Path, answer: &Answer) -> Result<Response, ImportError> {
    let mut data = answer.data.clone();
    let metadata = data.remove("ResponseMetadata").unwrap_or(Value::Null);
    let mut headers = Headers::new();
    if let Some(Value::Object(sent)) = metadata.get("HTTPHeaders") {
        for (name, value) in sent {
            if let Some(value) = value.as_str() {
                headers.insert(name, value);
            }
        }
    }
    if headers.get("x-amzn-requestid").is_none()
        && let Some(id) = metadata.get("RequestId").and_then(Value::as_str)
    {
        headers.insert("x-amzn-requestid", id);
    }
    if headers.get("content-type").is_none() {
        headers.insert("content-type", cjh_emulator::CONTENT_TYPE);
    }
    if answer.status >= 400
        && let Some(Value::Object(error)) = data.remove("Error")
    {
        let code = error.get("Code").cloned().unwrap_or(Value::Null);
        let message = error.get("Message").cloned().unwrap_or(Value::Null);
        let mut wire = Map::new();
        wire.insert("__type".to_owned(), code);
        wire.insert("Message".to_owned(), message);
        wire.extend(data);
        data = wire;
    }
    let mut body = Value::Object(data);
    wire_values(&mut body, "data")
        .map_err(|problem| ImportError::entry(dir, &answer.file, problem))?;
    let empty = match headers.get("content-length") {
        Some(length) => length.trim() == "0",
        None => body.as_object().is_some_and(Map::is_empty),
    };
    Ok(Response {
        status: answer.status,
        headers,
        body: if empty { Body::Empty } else { Body::Json(body) },
    })
}

/// Every placebo-serialized object in `value` back in its wire form (datetimes as
/// epoch seconds); `at` is the JSON path, for errors.
fn wire_values(value: &mut Value, at: &str) -> Result<(), String> {
    match value {
        Value::Object(members) => match members.get("__class__").and_then(Value::as_str) {
            Some("datetime") => {
                *value = epoch_seconds(members).map_err(|problem| format!("{at}: {problem}"))?;
                Ok(())
            }
            Some(class) => Err(format!(
                "{at}: a serialized {class}, which cjh import does not know (only datetime)"
            )),
            None => members
                .iter_mut()
                .try_for_each(|(name, member)| wire_values(member, &format!("{at}.{name}"))),
        },
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .try_for_each(|(i, item)| wire_values(item, &format!("{at}[{i}]"))),
        _ => Ok(()),
    }
}

/// A placebo datetime (UTC) as epoch seconds: a whole number when it has no
/// microseconds, else a fraction, as AWS JSON 1.1 writes timestamps.
fn epoch_seconds(members: &Map<String, Value>) -> Result<Value, String> {
    let field = |name: &str| {
        members
            .get(name)
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("a datetime without a whole-number \"{name}\""))
    };
    let (year, month, day) = (field("year")?, field("month")?, field("day")?);
    let (hour, minute, second) = (field("hour")?, field("minute")?, field("second")?);
    let micro = members
        .get("microsecond")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
    let time = humantime::parse_rfc3339(&text).map_err(|e| format!("datetime {text}: {e}"))?;
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| format!("datetime {text} is before 1970"))?
        .as_secs();
    if micro == 0 {
        return Ok(Value::from(secs));
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "epoch seconds fit f64's 53 bits"
    )]
    let seconds = secs as f64 + micro as f64 / 1e6;
    serde_json::Number::from_f64(seconds)
        .map(Value::Number)
        .ok_or_else(|| format!("datetime {text} is not a finite number of seconds"))
}

/// The region of the first ARN in an answer.
fn region_in(value: &Value) -> Option<String> {
    static ARN: OnceLock<Option<Regex>> = OnceLock::new();
    let arn = ARN
        .get_or_init(|| Regex::new(r"arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(-[a-z]+)+-[0-9]+):").ok())
        .as_ref()?;
    match value {
        Value::String(text) => arn.captures(text).map(|c| c[1].to_owned()),
        Value::Array(items) => items.iter().find_map(region_in),
        Value::Object(members) => members.values().find_map(region_in),
        _ => None,
    }
}

/// The service most answers are of (the first of those tied).
fn main_service(answers: &[Answer]) -> Option<&str> {
    let count = |service: &str| answers.iter().filter(|a| a.service == service).count();
    let mut best: Option<&str> = None;
    for answer in answers {
        if best.is_none_or(|b| count(&answer.service) > count(b)) {
            best = Some(&answer.service);
        }
    }
    best
}

/// The endpoint boto3 calls for a placebo service name in `region`.
fn endpoint(service: &str, region: &str) -> String {
    let host = if service == "sagemaker" {
        "api.sagemaker"
    } else {
        service
    };
    format!("https://{host}.{region}.amazonaws.com")
}

#[cfg(test)]
mod tests;
