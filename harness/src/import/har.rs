//! HAR 1.2 archives (browsers' dev tools, mitmproxy's `hardump`, Playwright, ...).
//!
//! Each of `log.entries` is one exchange: `request {method, url, headers [{name,
//! value}], postData {mimeType, text}}`, `response {status, headers, content {text,
//! encoding?}}` and `startedDateTime`. HAR keeps decoded bodies (`content.text`, base64
//! when `encoding` says so), so what is imported is the body a client read. An entry
//! with status 0 (a browser's name for "no answer": blocked, aborted) has nothing to
//! replay and is skipped, with a note.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::ImportError;
use super::assemble::{Draft, shown_name};
use super::wire::{WireExchange, exchanges, time_of_rfc3339};

const FORMAT: &str = "HAR";

/// Reads a HAR file.
pub(crate) fn read(path: &Path) -> Result<Draft, ImportError> {
    let text = fs_err::read_to_string(path)?;
    let malformed = |problem: String| ImportError::Malformed {
        path: path.to_owned(),
        format: FORMAT,
        problem,
    };
    let document: Value =
        serde_json::from_str(&text).map_err(|e| malformed(format!("not JSON: {e}")))?;
    let entries = document
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("it has no \"log.entries\" list".to_owned()))?;
    let mut wires = Vec::with_capacity(entries.len());
    let mut skipped = Vec::new();
    let mut started = None;
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("log.entries[{index}]");
        let wire =
            entry_of(entry).map_err(|problem| ImportError::entry(path, at.clone(), problem))?;
        if wire.status == 0 {
            skipped.push(at);
            continue;
        }
        if started.is_none() {
            started = entry
                .get("startedDateTime")
                .and_then(Value::as_str)
                .and_then(time_of_rfc3339);
        }
        wires.push(wire);
    }
    let (exchanges, facts) = exchanges(&wires);
    let creator = document
        .pointer("/log/creator/name")
        .and_then(Value::as_str)
        .map(|name| {
            let version = document
                .pointer("/log/creator/version")
                .and_then(Value::as_str)
                .unwrap_or_default();
            format!(", written by {name} {version}")
                .trim_end()
                .to_owned()
        })
        .unwrap_or_default();
    let mut note = format!(
        "HAR {}{creator} ({} entries, as the HAR kept them)",
        shown_name(path),
        exchanges.len()
    );
    if !skipped.is_empty() {
        note.push_str(&format!(
            "; skipped for having no answer (status 0): {}",
            skipped.join(", ")
        ));
    }
    Ok(Draft {
        imported_from: note,
        source: facts.source(),
        endpoint: facts.endpoint.clone(),
        region: facts.region(),
        recorded_at: started.or_else(|| facts.recorded_at.clone()),
        exchanges,
    })
}

fn entry_of(entry: &Value) -> Result<WireExchange, String> {
    let request = entry.get("request").ok_or("no \"request\"")?;
    let response = entry.get("response").ok_or("no \"response\"")?;
    let text = |value: &Value, at: &str| {
        value
            .get(at.rsplit('.').next().unwrap_or(at))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("no {at} string"))
    };
    let status = response
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("no response.status number")?;
    Ok(WireExchange {
        method: text(request, "request.method")?,
        url: text(request, "request.url")?,
        request_headers: headers(request, "request.headers")?,
        request_body: body(request.get("postData"), "request.postData")?,
        status,
        response_headers: headers(response, "response.headers")?,
        response_body: body(response.get("content"), "response.content")?,
    })
}

/// `[{name, value}]`.
fn headers(message: &Value, at: &str) -> Result<Vec<(String, String)>, String> {
    let Some(list) = message.get("headers") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| format!("{at} is not a list"))?;
    list.iter()
        .enumerate()
        .map(|(i, header)| {
            let field = |name: &str| {
                header
                    .get(name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{at}[{i}] has no \"{name}\" string"))
            };
            Ok((field("name")?, field("value")?))
        })
        .collect()
}

/// `postData` or `content`: `text`, base64-decoded when `encoding` is `base64`.
fn body(holder: Option<&Value>, at: &str) -> Result<Vec<u8>, String> {
    let Some(text) = holder.and_then(|h| h.get("text")) else {
        return Ok(Vec::new());
    };
    let text = text
        .as_str()
        .ok_or_else(|| format!("{at}.text is not a string"))?;
    match holder
        .and_then(|h| h.get("encoding"))
        .and_then(Value::as_str)
    {
        Some("base64") => STANDARD
            .decode(text.trim())
            .map_err(|e| format!("{at}.text is not base64: {e}")),
        Some(other) if !other.is_empty() => Err(format!(
            "{at}.encoding is {other:?}; only base64 is defined"
        )),
        _ => Ok(text.as_bytes().to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn draft(document: &Value) -> Result<Draft, ImportError> {
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("cjh-har-{}-{n}.har", std::process::id()));
        fs_err::write(&path, document.to_string())?;
        let read = read(&path);
        let _ = std::fs::remove_file(&path);
        read
    }

    fn entry(url: &str, status: u64) -> Value {
        json!({
            "startedDateTime": "2026-12-02T13:04:27.318476+00:00",
            "request": { "method": "POST", "url": url, "headers": [
                { "name": "X-Amz-Target", "value": "SageMaker.ListCompilationJobs" }],
                "postData": { "mimeType": "application/x-amz-json-1.1", "text": "{}" } },
            "response": { "status": status, "headers": [],
                "content": { "text": "eyJDb21waWxhdGlvbkpvYlN1bW1hcmllcyI6W119", "encoding": "base64" } },
        })
    }

    #[test]
    fn entries_become_exchanges_with_decoded_bodies_and_the_start_time() {
        let document = json!({ "log": { "creator": { "name": "mitmproxy", "version": "11.0.2" },
            "entries": [
                entry("https://api.sagemaker.us-west-2.amazonaws.com/", 200),
                entry("https://api.sagemaker.us-west-2.amazonaws.com/", 0),
            ] } });
        let draft = draft(&document).unwrap_or_default();
        assert_eq!(draft.exchanges.len(), 1);
        let exchange = &draft.exchanges[0];
        assert_eq!(exchange.operation, "ListCompilationJobs");
        assert_eq!(
            exchange.response.body.json(),
            Some(&json!({ "CompilationJobSummaries": [] }))
        );
        assert_eq!(draft.recorded_at.as_deref(), Some("2026-12-02T13:04:27Z"));
        assert_eq!(draft.region.as_deref(), Some("us-west-2"));
        assert!(draft.imported_from.contains("written by mitmproxy 11.0.2"));
        assert!(draft.imported_from.contains("(status 0): log.entries[1]"));
    }

    #[test]
    fn a_broken_entry_is_refused_naming_its_index() {
        let mut bad = entry("http://127.0.0.1:1/", 200);
        bad["response"]["headers"] = json!([{ "name": "date" }]);
        let document = json!({ "log": { "entries": [entry("http://127.0.0.1:1/", 200), bad] } });
        let message = match draft(&document) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        };
        assert!(
            message.contains("log.entries[1]: response.headers[0] has no \"value\" string"),
            "{message}"
        );
        let message = match draft(&json!({ "entries": [] })) {
            Ok(_) => String::new(),
            Err(error) => error.to_string(),
        };
        assert!(message.contains("not a HAR file"), "{message}");
    }
}
