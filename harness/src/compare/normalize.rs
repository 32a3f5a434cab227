//! Turning a transcript into target-independent text, keeping correlation.
//!
//! Real names become fixture aliases (and the run prefix `<prefix>`), ARNs and image URIs
//! lose their region and account, profile values become `<profile.*>`, every NextToken
//! becomes `<token:N>` numbered by first appearance (so "the token from page 1 is the one
//! sent for page 2" stays visible), every request id `<request-id:N>` (so a missing or
//! repeated one shows). A timestamp is named by its job and member (`<alpha.CreationTime>`),
//! never by its value: whether two clocks' times coincide, or a second turned between two
//! answers, is not what the API answered, so the order and equality facts a scenario
//! depends on are written in its `expect.times` and checked on every target. A request's
//! time that came from a reference shows as that reference (`<beta.CreationTime+0.001>`),
//! a literal one as written, and a job that is not the run's own shows as `<other>`, so
//! nothing of another job reaches the snapshot.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value, json};

use crate::scenario::Profile;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::exchange::Body;
use crate::transcript::Transcript;

/// The normalized transcript as pretty JSON, the content of a snapshot.
pub fn normalize(transcript: &Transcript, profile: &Profile) -> String {
    let mut value = raw_view(transcript);
    // Only tokens the service issued become placeholders; a literal a scenario wrote
    // (garbage, a made-up token) stays as written, and an issued token a scenario
    // altered shows as its placeholder plus the alteration.
    let mut issued = Vec::new();
    for exchange in &transcript.exchanges {
        let token = exchange
            .response
            .json()
            .and_then(crate::exchange::next_token);
        if let Some(token) = token
            && !issued.iter().any(|t| t == token)
        {
            issued.push(token.to_owned());
        }
    }
    let mut tokens: Seen = (issued, Vec::new());
    let replacer = Replacer::new(transcript, profile);
    rewrite(&mut value, None, None, &mut tokens, &replacer);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn raw_view(transcript: &Transcript) -> Value {
    let fixtures: Vec<Value> = transcript
        .fixtures
        .iter()
        .map(|f| {
            if transcript.shows_status {
                let status = if f.any_status {
                    "<any>"
                } else {
                    f.status.as_str()
                };
                json!({ "name": f.alias, "status": status })
            } else {
                json!({ "name": f.alias })
            }
        })
        .collect();
    let steps: Vec<Value> = transcript
        .exchanges
        .iter()
        .map(|e| {
            let mut step = Map::new();
            step.insert("step".into(), json!(e.step));
            if let Some(page) = e.page {
                step.insert("page".into(), json!(page));
            }
            step.insert("operation".into(), json!(e.operation));
            if e.target_header.as_deref() != Some(&format!("SageMaker.{}", e.operation)) {
                step.insert("target".into(), json!(e.target_header));
            }
            let mut request = body_view(&e.request);
            if let Some(members) = request.as_object_mut() {
                for (member, reference) in &e.request_references {
                    if is_time_key(member) && members.contains_key(member) {
                        members.insert(member.clone(), json!(format!("<{reference}>")));
                    }
                }
            }
            step.insert("request".into(), request);
            step.insert("status".into(), json!(e.status));
            step.insert("request_id".into(), json!(e.request_id));
            let mut response = body_view(&e.response);
            hide_other_jobs(&mut response, &transcript.prefix);
            hide_status(&mut response, &|name| {
                !transcript.shows_status
                    || transcript
                        .fixtures
                        .iter()
                        .any(|f| f.any_status && f.name == name)
            });
            step.insert("response".into(), response);
            Value::Object(step)
        })
        .collect();
    json!({ "fixtures": fixtures, "steps": steps })
}

fn body_view(body: &Body) -> Value {
    match body {
        Body::Empty => Value::Null,
        Body::Json(value) => value.clone(),
        Body::Text(text) => json!({ "<raw>": text }),
        Body::Base64(bytes) => json!({ "<base64>": STANDARD.encode(bytes) }),
    }
}

/// Whether a member holds a time: the jobs' `*Time` members and the filters'
/// `*TimeAfter` / `*TimeBefore`.
pub fn is_time_key(key: &str) -> bool {
    key.ends_with("Time") || key.ends_with("TimeAfter") || key.ends_with("TimeBefore")
}

/// Replaces each List summary of a job that is not the run's own with `<other>`: on a
/// shared account such jobs come and go, and their times would name no job of the
/// scenario.
fn hide_other_jobs(response: &mut Value, prefix: &str) {
    let Some(summaries) = response
        .get_mut("CompilationJobSummaries")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for summary in summaries {
        let own = summary
            .get("CompilationJobName")
            .and_then(Value::as_str)
            .is_some_and(|name| name.to_lowercase().starts_with(prefix));
        if !own {
            *summary = json!("<other>");
        }
    }
}

/// The members a job has only in some statuses: compiling started or ended, an image
/// chosen, artifacts written, a failure explained.
const STATUS_MEMBERS: [&str; 6] = [
    "CompilationStartTime",
    "CompilationEndTime",
    "InferenceImage",
    "ModelArtifacts",
    "ModelDigests",
    "FailureReason",
];

/// The members that depend on how far a job has got, in every object of an answer for a
/// job `hidden` names: the status becomes `<status>`, and [`STATUS_MEMBERS`] are left out, so a scenario whose subject is not the status (or a job it asked for in
/// any status) reads the same whatever status the target reached.
fn hide_status(value: &mut Value, hidden: &dyn Fn(&str) -> bool) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| hide_status(v, hidden)),
        Value::Object(map) => {
            let name = map.get("CompilationJobName").and_then(Value::as_str);
            if name.is_some_and(hidden) {
                if map.contains_key("CompilationJobStatus") {
                    map.insert("CompilationJobStatus".into(), json!("<status>"));
                }
                for member in STATUS_MEMBERS {
                    map.shift_remove(member);
                }
            }
            map.values_mut().for_each(|v| hide_status(v, hidden));
        }
        _ => {}
    }
}

/// The name a job's times go by: its alias, or its normalized name without the run
/// prefix.
fn job_key(name: &str, replacer: &Replacer) -> String {
    let shown = replacer.apply(name);
    shown
        .strip_prefix("<prefix>-")
        .map_or_else(|| shown.clone(), str::to_owned)
}

/// Placeholders numbered by first appearance: page tokens, request ids.
type Seen = (Vec<String>, Vec<String>);

fn rank_of(seen: &mut Vec<String>, value: &str) -> usize {
    match seen.iter().position(|v| v == value) {
        Some(i) => i + 1,
        None => {
            seen.push(value.to_owned());
            seen.len()
        }
    }
}

/// Rewrites a value in place; `job` is the job whose object holds it, if any.
fn rewrite(
    value: &mut Value,
    key: Option<&str>,
    job: Option<&str>,
    tokens: &mut Seen,
    replacer: &Replacer,
) {
    match value {
        Value::Number(_) if key.is_some_and(is_time_key) && job.is_some() => {
            let (job, member) = (job.unwrap_or_default(), key.unwrap_or_default());
            *value = json!(format!("<{job}.{member}>"));
        }
        Value::String(s) if key == Some("NextToken") => {
            let mut text = s.clone();
            for (i, token) in tokens.0.iter().enumerate() {
                if text.contains(token.as_str()) {
                    text = text.replace(token.as_str(), &format!("<token:{}>", i + 1));
                }
            }
            *value = json!(text);
        }
        Value::String(s) if key == Some("request_id") => {
            let rank = rank_of(&mut tokens.1, s);
            *value = json!(format!("<request-id:{rank}>"));
        }
        Value::String(s) if key == Some("ArtifactDigest") => *value = json!("<digest>"),
        Value::String(s) => *s = replacer.apply(s),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rewrite(v, key, None, tokens, replacer)),
        Value::Object(map) => {
            let own = map
                .get("CompilationJobName")
                .and_then(Value::as_str)
                .map(|name| job_key(name, replacer));
            for (k, v) in map.iter_mut() {
                rewrite(v, Some(k), own.as_deref(), tokens, replacer);
            }
        }
        _ => {}
    }
}

/// Plain-text substitutions, longest first so a name wins over the prefix inside it.
struct Replacer {
    pairs: Vec<(String, String)>,
}

impl Replacer {
    fn new(transcript: &Transcript, profile: &Profile) -> Replacer {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for f in &transcript.fixtures {
            map.insert(f.name.clone(), f.alias.clone());
            map.insert(f.name.to_lowercase(), f.alias.clone());
            map.insert(
                f.name.to_uppercase(),
                format!("<PREFIX>-{}", f.alias.to_uppercase()),
            );
        }
        if !transcript.prefix.is_empty() {
            map.insert(transcript.prefix.clone(), "<prefix>".to_owned());
            map.insert(transcript.prefix.to_uppercase(), "<PREFIX>".to_owned());
        }
        for (value, label) in [
            (&profile.role, "<profile.role>"),
            (&profile.model, "<profile.model>"),
            (&profile.failing_model, "<profile.failing_model>"),
            (&profile.output, "<profile.output>"),
        ] {
            map.insert(value.clone(), label.to_owned());
        }
        let mut pairs: Vec<(String, String)> = map.into_iter().collect();
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Replacer { pairs }
    }

    fn apply(&self, text: &str) -> String {
        static ARN: OnceLock<Option<Regex>> = OnceLock::new();
        static IMAGE: OnceLock<Option<Regex>> = OnceLock::new();
        let mut out = text.to_owned();
        for (from, to) in &self.pairs {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        let arn = ARN.get_or_init(|| Regex::new(r"arn:aws:sagemaker:[a-z0-9-]+:\d{12}:").ok());
        if let Some(arn) = arn {
            out = arn
                .replace_all(&out, "arn:aws:sagemaker:<region>:<account>:")
                .into_owned();
        }
        let image =
            IMAGE.get_or_init(|| Regex::new(r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com").ok());
        if let Some(image) = image {
            out = image
                .replace_all(&out, "<account>.dkr.ecr.<region>.amazonaws.com")
                .into_owned();
        }
        out
    }
}
