//! Turning a transcript into target-independent text, keeping correlation.
//!
//! Real names become fixture aliases (and the run prefix `<prefix>`), ARNs and image URIs
//! lose their region and account, profile values become `<profile.*>`, every NextToken
//! becomes `<token:N>` numbered by first appearance (so "the token from page 1 is the one
//! sent for page 2" stays visible), every request id `<request-id:N>` (so a missing or
//! repeated one shows), and every timestamp becomes `<time:N>` numbered in
//! time order (so equal times stay equal and order is kept, whatever the clock said).

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
    let mut times = Vec::new();
    collect_times(&value, None, &mut times);
    times.sort_by(f64::total_cmp);
    times.dedup();
    // Only tokens the service issued become placeholders; a literal a scenario wrote
    // (garbage, a made-up token) stays as written, and an issued token a scenario
    // altered shows as its placeholder plus the alteration.
    let mut issued = Vec::new();
    for exchange in &transcript.exchanges {
        let token = exchange
            .response
            .json()
            .and_then(|b| b.get("NextToken"))
            .and_then(Value::as_str);
        if let Some(token) = token.filter(|t| !t.is_empty())
            && !issued.iter().any(|t| t == token)
        {
            issued.push(token.to_owned());
        }
    }
    let mut tokens: Seen = (issued, Vec::new());
    let replacer = Replacer::new(transcript, profile);
    rewrite(&mut value, None, &times, &mut tokens, &replacer);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn raw_view(transcript: &Transcript) -> Value {
    let fixtures: Vec<Value> = transcript
        .fixtures
        .iter()
        .map(|f| {
            json!({
                "name": f.alias,
                "status": f.status,
                "CreationTime": f.creation_time,
                "LastModifiedTime": f.last_modified_time,
            })
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
            step.insert("request".into(), body_view(&e.request));
            step.insert("status".into(), json!(e.status));
            step.insert("request_id".into(), json!(e.request_id));
            step.insert("response".into(), body_view(&e.response));
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

fn is_time_key(key: &str) -> bool {
    key.ends_with("Time") || key.ends_with("TimeAfter") || key.ends_with("TimeBefore")
}

fn collect_times(value: &Value, key: Option<&str>, out: &mut Vec<f64>) {
    match value {
        Value::Number(n) if key.is_some_and(is_time_key) => out.extend(n.as_f64()),
        Value::Array(items) => items.iter().for_each(|v| collect_times(v, key, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| collect_times(v, Some(k), out)),
        _ => {}
    }
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

fn rewrite(
    value: &mut Value,
    key: Option<&str>,
    times: &[f64],
    tokens: &mut Seen,
    replacer: &Replacer,
) {
    match value {
        Value::Number(n) if key.is_some_and(is_time_key) => {
            if let Some(t) = n.as_f64() {
                let rank = times.iter().position(|x| *x == t).unwrap_or(0) + 1;
                *value = json!(format!("<time:{rank}>"));
            }
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
            .for_each(|v| rewrite(v, key, times, tokens, replacer)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                rewrite(v, Some(k), times, tokens, replacer);
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
