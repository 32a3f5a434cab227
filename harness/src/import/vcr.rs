//! VCR.py cassettes (and pytest-recording's, which are VCR.py's).
//!
//! A cassette is YAML: `interactions: [{request: {method, uri, body, headers},
//! response: {status: {code, message}, headers, body: {string}}}]`, each header a list
//! of values. VCR.py writes what botocore hands it, and botocore's header values and
//! bodies are bytes, which PyYAML writes as `!!binary` (base64); both forms are read.
//! Everything here was on the wire, so nothing is marked reconstructed.
//!
//! A body still compressed (`content-encoding: gzip`, recorded without VCR.py's
//! `decode_compressed_response`) is refused: the recording keeps no
//! `content-encoding`, so a replay would answer bytes no client could read.

use std::path::Path;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use regex::Regex;
use serde_yaml_ng::{Mapping, Value};

use super::ImportError;
use super::assemble::{Draft, shown_name};
use super::wire::{WireExchange, exchanges};

const FORMAT: &str = "VCR cassette";

/// Reads a cassette.
pub(crate) fn read(path: &Path) -> Result<Draft, ImportError> {
    let text = fs_err::read_to_string(path)?;
    let malformed = |problem: String| ImportError::Malformed {
        path: path.to_owned(),
        format: FORMAT,
        problem,
    };
    let document: Value = serde_yaml_ng::from_str(&local_binary_tags(&text))
        .map_err(|e| malformed(format!("not YAML: {e}")))?;
    let interactions = document
        .get("interactions")
        .and_then(Value::as_sequence)
        .ok_or_else(|| malformed("it has no \"interactions\" list".to_owned()))?;
    let mut wires = Vec::with_capacity(interactions.len());
    for (index, interaction) in interactions.iter().enumerate() {
        let entry = format!("interactions[{index}]");
        let wire = interaction_of(interaction)
            .map_err(|problem| ImportError::entry(path, entry, problem))?;
        wires.push(wire);
    }
    let (exchanges, facts) = exchanges(&wires);
    Ok(Draft {
        imported_from: format!(
            "VCR.py cassette {} ({} interactions, as VCR.py kept them)",
            shown_name(path),
            exchanges.len()
        ),
        source: facts.source(),
        endpoint: facts.endpoint.clone(),
        region: facts.region(),
        recorded_at: facts.recorded_at.clone(),
        exchanges,
    })
}

/// The cassette with PyYAML's `!!binary` tags (on a mapping value or a list item, the
/// only places PyYAML writes them) spelled as the local tag `!binary`. The YAML parser
/// resolves the standard `!!binary` to a plain string, which would keep the base64
/// text instead of the bytes; a local tag survives as a tag.
fn local_binary_tags(text: &str) -> std::borrow::Cow<'_, str> {
    static TAG: OnceLock<Option<Regex>> = OnceLock::new();
    let tag = TAG.get_or_init(|| {
        Regex::new(r"(?m)^([ \t]*(?:-[ \t]+|[A-Za-z0-9_.-]+:[ \t]+))!!binary([ \t]|$)").ok()
    });
    match tag {
        Some(tag) => tag.replace_all(text, "${1}!binary${2}"),
        None => std::borrow::Cow::Borrowed(text),
    }
}

fn interaction_of(interaction: &Value) -> Result<WireExchange, String> {
    let request = mapping(interaction, "request")?;
    let response = mapping(interaction, "response")?;
    let method = text_member(request, "request.method")?;
    let url = text_member(request, "request.uri")?;
    let request_headers = headers(request.get("headers"), "request.headers")?;
    let request_body = bytes(request.get("body").unwrap_or(&Value::Null), "request.body")?;
    let status = mapping_value(response.get("status"), "response.status")?
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|code| u16::try_from(code).ok())
        .ok_or("response.status has no \"code\" HTTP status")?;
    let response_headers = headers(response.get("headers"), "response.headers")?;
    let response_body = match response.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(body) => match body.get("string") {
            Some(string) => bytes(string, "response.body.string")?,
            None => return Err("response.body has no \"string\"".to_owned()),
        },
    };
    let compressed = response_headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("content-encoding") && !value.eq_ignore_ascii_case("identity")
    });
    if compressed && !response_body.is_empty() {
        return Err(
            "the response body is still content-encoded; record with VCR.py's decode_compressed_response=True"
                .to_owned(),
        );
    }
    Ok(WireExchange {
        method,
        url,
        request_headers,
        request_body,
        status,
        response_headers,
        response_body,
    })
}

fn mapping<'a>(value: &'a Value, name: &str) -> Result<&'a Mapping, String> {
    mapping_value(value.get(name), name)
}

fn mapping_value<'a>(value: Option<&'a Value>, at: &str) -> Result<&'a Mapping, String> {
    value
        .and_then(Value::as_mapping)
        .ok_or_else(|| format!("no \"{at}\" mapping"))
}

fn text_member(mapping: &Mapping, at: &str) -> Result<String, String> {
    let name = at.rsplit('.').next().unwrap_or(at);
    let value = mapping.get(name).ok_or_else(|| format!("no {at}"))?;
    let bytes = bytes(value, at)?;
    String::from_utf8(bytes).map_err(|_| format!("{at} is not UTF-8"))
}

/// A header mapping: each name to a list of values (or, in older cassettes, one).
fn headers(value: Option<&Value>, at: &str) -> Result<Vec<(String, String)>, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let mapping = value
        .as_mapping()
        .ok_or_else(|| format!("{at} is not a mapping"))?;
    let mut pairs = Vec::new();
    for (name, values) in mapping {
        let name = name
            .as_str()
            .ok_or_else(|| format!("{at} has a name that is not a string"))?;
        let at = format!("{at}.{name}");
        let values: Vec<&Value> = match values {
            Value::Sequence(items) => items.iter().collect(),
            one => vec![one],
        };
        for value in values {
            let value = String::from_utf8_lossy(&bytes(value, &at)?).into_owned();
            pairs.push((name.to_owned(), value));
        }
    }
    Ok(pairs)
}

/// A scalar's bytes: a string as UTF-8, `!!binary` decoded from base64, null as none.
fn bytes(value: &Value, at: &str) -> Result<Vec<u8>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::String(text) => Ok(text.clone().into_bytes()),
        Value::Number(number) => Ok(number.to_string().into_bytes()),
        Value::Bool(flag) => Ok(flag.to_string().into_bytes()),
        Value::Tagged(tagged) if tagged.tag == "binary" => {
            let text = tagged
                .value
                .as_str()
                .ok_or_else(|| format!("{at}: a !!binary value that is not text"))?;
            let packed: String = text.split_whitespace().collect();
            STANDARD
                .decode(packed)
                .map_err(|e| format!("{at}: a !!binary value that is not base64: {e}"))
        }
        Value::Tagged(tagged) => Err(format!(
            "{at}: a value tagged {}, not a string or !!binary",
            tagged.tag
        )),
        Value::Sequence(_) | Value::Mapping(_) => {
            Err(format!("{at}: a list or mapping where a string belongs"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> Result<Draft, ImportError> {
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("cjh-vcr-{}-{n}.yaml", std::process::id()));
        fs_err::write(&path, text)?;
        let read = read(&path);
        let _ = std::fs::remove_file(&path);
        read
    }

    #[test]
    fn binary_and_plain_values_are_read_and_the_aws_host_says_aws() {
        let cassette = r#"
interactions:
- request:
    body: '{"CompilationJobName": "a"}'
    headers:
      X-Amz-Target:
      - !!binary |
        U2FnZU1ha2VyLkRlc2NyaWJlQ29tcGlsYXRpb25Kb2I=
      X-Amz-Date:
      - 20261202T130337Z
    method: POST
    uri: https://api.sagemaker.eu-west-1.amazonaws.com/
  response:
    body:
      string: '{"CompilationJobStatus":"STARTING"}'
    headers:
      x-amzn-requestid:
      - r-1
    status:
      code: 200
      message: OK
version: 1
"#;
        let draft = draft(cassette).unwrap_or_default();
        let exchange = &draft.exchanges[0];
        assert_eq!(exchange.operation, "DescribeCompilationJob");
        assert_eq!(
            exchange.request.body.json(),
            Some(&serde_json::json!({ "CompilationJobName": "a" }))
        );
        assert_eq!(exchange.response.request_id(), Some("r-1"));
        assert!(!exchange.reconstructed);
        assert_eq!(draft.source, Some(crate::recording::Source::Aws));
        assert_eq!(draft.region.as_deref(), Some("eu-west-1"));
        assert_eq!(draft.recorded_at.as_deref(), Some("2026-12-02T13:03:37Z"));
    }

    #[test]
    fn a_broken_interaction_is_refused_naming_its_index() {
        let cassette = "interactions:\n- request: {method: POST, uri: 'http://h/'}\n  response: {status: {code: 200}}\n- request: {method: POST}\n  response: {status: {code: 200}}\n";
        let message = match draft(cassette) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        };
        assert!(
            message.contains("interactions[1]: no request.uri"),
            "{message}"
        );
        let message = match draft("interactions: 3\n") {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        };
        assert!(message.contains("not a VCR cassette file"), "{message}");
    }
}
