//! Server limits, each answered in AWS's form rather than by a dropped connection:
//! connections served at once (one more gets 503 `ServiceUnavailable`, see `overload`),
//! and the size and number of request headers (431 `RequestHeaderFieldsTooLarge`). The
//! request rate limit sits with the service (`service::RateLimit`), since it is kept per
//! account and region like the jobs.
//!
//! hyper parses the request head before any of this code sees it, and answers a head it
//! cannot hold itself: a bare 431 with no body, then it closes the connection. So hyper's
//! own limits are set [`HARD_LIMIT_FACTOR`] times above ours, and a head over our limit
//! but within that margin still gets the AWS-shaped answer.

use std::sync::Arc;

use http::request::Parts;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::api::{ApiError, ErrorCode};
use crate::service::Settings;

/// How far above `max_header_bytes` and `max_headers` hyper's own limits sit. With
/// `max_header_bytes` at most 64 KiB, hyper's stays within its default read buffer
/// (about 400 KiB), which the head must fit in.
pub(crate) const HARD_LIMIT_FACTOR: usize = 4;

/// hyper's own limits for these settings: head bytes (request line included) and header
/// fields, past which hyper answers a bare 431 and closes the connection.
pub(crate) fn hard_limits(settings: &Settings) -> (usize, usize) {
    (
        settings.max_header_bytes.saturating_mul(HARD_LIMIT_FACTOR),
        settings.max_headers.saturating_mul(HARD_LIMIT_FACTOR),
    )
}

/// The connections a server may serve at once.
#[derive(Debug, Clone)]
pub(crate) struct Connections {
    slots: Arc<Semaphore>,
}

impl Connections {
    /// Room for `max` connections.
    pub(crate) fn new(max: usize) -> Connections {
        Connections {
            slots: Arc::new(Semaphore::new(max)),
        }
    }

    /// A slot for one more connection, held until the connection ends; none when every
    /// slot is taken.
    pub(crate) fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.slots).try_acquire_owned().ok()
    }
}

/// Refuses a head over `max_header_bytes` or with more than `max_headers` fields. The
/// size is counted as it travels: the request line, then `Name: value` and CRLF for each
/// field, then the blank line.
pub(crate) fn check_head(settings: &Settings, parts: &Parts) -> Result<(), ApiError> {
    let count = parts.headers.len();
    if count > settings.max_headers {
        return Err(ApiError::new(
            ErrorCode::RequestHeaderFieldsTooLarge,
            format!(
                "The request has {count} header fields; the limit is {}.",
                settings.max_headers
            ),
        ));
    }
    let target = parts
        .uri
        .path_and_query()
        .map_or(1, |target| target.as_str().len());
    let line = parts.method.as_str().len() + 1 + target + " HTTP/1.1\r\n".len();
    let fields: usize = parts
        .headers
        .iter()
        .map(|(name, value)| name.as_str().len() + 2 + value.len() + 2)
        .sum();
    let size = line + fields + 2;
    if size > settings.max_header_bytes {
        return Err(ApiError::new(
            ErrorCode::RequestHeaderFieldsTooLarge,
            format!(
                "The request line and headers are {size} bytes; the limit is {} bytes.",
                settings.max_header_bytes
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(headers: &[(String, String)]) -> Parts {
        let mut builder = http::Request::builder().method("POST").uri("/");
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        builder
            .body(())
            .map(|request| request.into_parts().0)
            .unwrap_or_else(|_| http::Request::new(()).into_parts().0)
    }

    #[test]
    fn a_head_is_measured_as_it_travels() {
        let settings = Settings {
            max_header_bytes: 1024,
            ..Settings::default()
        };
        // "POST / HTTP/1.1\r\n" (17) + "x-pad: " and CRLF (9) + the blank line (2) = 28.
        let at_limit = parts(&[("x-pad".to_owned(), "a".repeat(1024 - 28))]);
        assert_eq!(check_head(&settings, &at_limit), Ok(()));
        let over = parts(&[("x-pad".to_owned(), "a".repeat(1024 - 27))]);
        let code = check_head(&settings, &over).err().map(|e| e.code);
        assert_eq!(code, Some(ErrorCode::RequestHeaderFieldsTooLarge));
    }

    #[test]
    fn too_many_fields_are_refused() {
        let settings = Settings {
            max_headers: 8,
            ..Settings::default()
        };
        let fields: Vec<(String, String)> = (0..9)
            .map(|i| (format!("x-h{i}"), "v".to_owned()))
            .collect();
        let code = check_head(&settings, &parts(&fields)).err().map(|e| e.code);
        assert_eq!(code, Some(ErrorCode::RequestHeaderFieldsTooLarge));
        assert_eq!(check_head(&settings, &parts(&fields[..8])), Ok(()));
    }

    #[test]
    fn connection_slots_run_out_and_come_back() {
        let connections = Connections::new(2);
        let first = connections.acquire();
        let second = connections.acquire();
        assert!(first.is_some() && second.is_some());
        assert!(connections.acquire().is_none());
        drop(first);
        assert!(connections.acquire().is_some());
    }
}
