//! `GET /_cjh/requests` and `DELETE /_cjh/requests`: the request journal over HTTP.
//!
//! The query is parsed into a [`RequestFilter`] before anything is read, so a misspelt
//! parameter or a status that is not a number is refused with its name rather than
//! quietly matching everything.

use serde_json::{Value, json};

use crate::api::ApiError;
use crate::service::{RequestFilter, Service};

/// The journaled requests the query selects, oldest first, as `{"requests": [...]}`.
pub(super) fn list(service: &Service, query: Option<&str>) -> Result<Option<Value>, ApiError> {
    let filter = filter_of(query.unwrap_or_default())?;
    let requests: Vec<Value> = service
        .journal()
        .select(&filter)
        .iter()
        .map(|entry| entry.to_json())
        .collect();
    Ok(Some(json!({ "requests": requests })))
}

/// Forgets every journaled request; answers how many there were.
pub(super) fn clear(service: &Service) -> Value {
    json!({ "cleared": service.journal().clear() })
}

/// The filter a query string such as `operation=ListCompilationJobs&status=400&since=7`
/// names. Each parameter may be given once.
fn filter_of(query: &str) -> Result<RequestFilter, ApiError> {
    let mut filter = RequestFilter::default();
    let mut seen: Vec<&str> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(raw).ok_or_else(|| {
            ApiError::validation(format!("Parameter {name} is not valid UTF-8 once decoded."))
        })?;
        if seen.contains(&name) {
            return Err(ApiError::validation(format!(
                "Parameter {name} is given more than once."
            )));
        }
        seen.push(name);
        filter = match name {
            "operation" if !value.is_empty() => filter.operation(value),
            "operation" => return Err(ApiError::validation("Parameter operation is empty.")),
            "status" => filter.status(
                value
                    .parse::<u16>()
                    .ok()
                    .filter(|status| (100..=599).contains(status))
                    .ok_or_else(|| {
                        ApiError::validation(format!(
                            "Parameter status must be an HTTP status from 100 to 599, not '{value}'."
                        ))
                    })?,
            ),
            "since" => filter.since(value.parse::<u64>().map_err(|_| {
                ApiError::validation(format!(
                    "Parameter since must be a sequence number (0 or more), not '{value}'."
                ))
            })?),
            other => {
                return Err(ApiError::validation(format!(
                    "Unknown parameter '{other}'; GET /_cjh/requests takes operation, status and since."
                )));
            }
        };
    }
    Ok(filter)
}

/// A query value with `+` as a space and `%XX` escapes decoded; `None` for a bad escape
/// or bytes that are not UTF-8.
fn decode(raw: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw.bytes();
    while let Some(byte) = rest.next() {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let high = (rest.next()? as char).to_digit(16)?;
                let low = (rest.next()? as char).to_digit(16)?;
                bytes.push(u8::try_from(high * 16 + low).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_names_operation_status_and_since() {
        let filter = filter_of("operation=ListCompilationJobs&status=400&since=7");
        let expected = RequestFilter::default()
            .operation("ListCompilationJobs")
            .status(400)
            .since(7);
        assert_eq!(filter.ok(), Some(expected));
    }

    #[test]
    fn an_empty_query_selects_everything() {
        assert_eq!(filter_of("").ok(), Some(RequestFilter::default()));
    }

    #[test]
    fn escapes_in_a_value_are_decoded() {
        let filter = filter_of("operation=List%43ompilationJobs");
        let expected = RequestFilter::default().operation("ListCompilationJobs");
        assert_eq!(filter.ok(), Some(expected));
    }

    #[test]
    fn unknown_repeated_or_malformed_parameters_are_refused_by_name() {
        for (query, named) in [
            ("operations=List", "operations"),
            ("status=4xx", "status"),
            ("status=700", "status"),
            ("since=-1", "since"),
            ("since=1&since=2", "since"),
            ("operation=", "operation"),
            ("operation=%zz", "operation"),
        ] {
            let message = filter_of(query)
                .err()
                .map(|e| e.message)
                .unwrap_or_default();
            assert!(message.contains(named), "{query}: {message}");
        }
    }
}
