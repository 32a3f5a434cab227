//! Exchanges that some other tool saw on the wire (VCR.py, a HAR writer, smithy-rs's
//! `RecordingClient`), in one shape, and what their requests say about where and when
//! they were made.
//!
//! Nothing is rebuilt here: method, path, headers and body bytes are the ones the tool
//! kept. The facts the provenance needs are read from the requests themselves rather
//! than asked for: the host (`*.amazonaws.com` is AWS, and names the region), the
//! SigV4 credential scope (the region the client signed for), and `x-amz-date` or the
//! answer's `date` (when it happened).

use std::time::{Duration, SystemTime};

use crate::exchange::{Body, Headers, Request, Response};
use crate::recording::{RecordedExchange, Source, timestamp};

/// One request and its answer as another tool recorded them.
#[derive(Debug, Clone, Default)]
pub(crate) struct WireExchange {
    /// `POST`, `GET`, ...
    pub(crate) method: String,
    /// The absolute URL (`https://host/path?query`), or a path alone.
    pub(crate) url: String,
    /// Header names and values as the tool kept them; a name may repeat.
    pub(crate) request_headers: Vec<(String, String)>,
    /// The request body bytes.
    pub(crate) request_body: Vec<u8>,
    /// The HTTP status.
    pub(crate) status: u16,
    /// The answer's headers; a name may repeat.
    pub(crate) response_headers: Vec<(String, String)>,
    /// The answer's body bytes.
    pub(crate) response_body: Vec<u8>,
}

/// What the requests of one input say about where and when they were made.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// `scheme://host[:port]` of the first request with an absolute URL.
    pub(crate) endpoint: Option<String>,
    /// Whether every absolute URL's host is an AWS one; `None` before any is seen.
    all_aws: Option<bool>,
    /// The region of the first SigV4 credential scope, else of the first AWS host.
    scope_region: Option<String>,
    host_region: Option<String>,
    /// The first `x-amz-date` or `date`, as RFC 3339.
    pub(crate) recorded_at: Option<String>,
}

impl Facts {
    /// What the input says answered: `aws` when every request went to an AWS host.
    pub(crate) fn source(&self) -> Option<Source> {
        (self.all_aws == Some(true)).then_some(Source::Aws)
    }

    /// The region the requests were signed for, else the one their host names.
    pub(crate) fn region(&self) -> Option<String> {
        self.scope_region
            .clone()
            .or_else(|| self.host_region.clone())
    }

    /// Takes in one exchange's URL and headers.
    fn observe(&mut self, wire: &WireExchange) {
        if let Some((origin, host)) = origin_of(&wire.url) {
            let aws = is_aws_host(&host);
            self.all_aws = Some(self.all_aws.unwrap_or(true) && aws);
            if self.endpoint.is_none() {
                self.endpoint = Some(origin);
            }
            if aws && self.host_region.is_none() {
                self.host_region = region_of_host(&host);
            }
        }
        for (name, value) in &wire.request_headers {
            let name = name.to_ascii_lowercase();
            if name == "authorization" && self.scope_region.is_none() {
                self.scope_region = region_of_authorization(value);
            }
            if name == "x-amz-date" && self.recorded_at.is_none() {
                self.recorded_at = time_of_amz_date(value);
            }
        }
        if self.recorded_at.is_none() {
            self.recorded_at = wire
                .response_headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("date"))
                .and_then(|(_, value)| httpdate::parse_http_date(value).ok())
                .map(timestamp);
        }
    }
}

/// The exchanges as a recording holds them, and the facts their requests state.
pub(crate) fn exchanges(wires: &[WireExchange]) -> (Vec<RecordedExchange>, Facts) {
    let mut facts = Facts::default();
    let mut exchanges = Vec::with_capacity(wires.len());
    for wire in wires {
        facts.observe(wire);
        exchanges.push(exchange(wire));
    }
    (exchanges, facts)
}

/// One exchange: the headers folded to one value each (repeats joined with `, `, as
/// HTTP allows for a list), the path taken from the URL, bodies classified from their
/// bytes. Headers a recording does not keep are dropped later, by the writer's filter.
fn exchange(wire: &WireExchange) -> RecordedExchange {
    let request = Request {
        method: wire.method.to_ascii_uppercase(),
        path: path_of(&wire.url),
        headers: fold(&wire.request_headers),
        body: Body::from_bytes(&wire.request_body),
    };
    let response = Response {
        status: wire.status,
        headers: fold(&wire.response_headers),
        body: Body::from_bytes(&wire.response_body),
    };
    RecordedExchange {
        operation: request.operation(),
        request,
        response,
        reconstructed: false,
        sent_at: None,
    }
}

/// Headers with one value per name. HTTP/2 pseudo-headers (`:authority`) are not
/// headers and are left out.
fn fold(pairs: &[(String, String)]) -> Headers {
    let mut headers = Headers::new();
    for (name, value) in pairs.iter().filter(|(name, _)| !name.starts_with(':')) {
        let joined = match headers.get(name) {
            Some(earlier) => format!("{earlier}, {value}"),
            None => value.clone(),
        };
        headers.insert(name, joined);
    }
    headers
}

/// `scheme://authority` and the host of an absolute URL.
fn origin_of(url: &str) -> Option<(String, String)> {
    let uri: http::Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?;
    let authority = uri.authority()?;
    Some((
        format!("{scheme}://{authority}"),
        authority.host().to_ascii_lowercase(),
    ))
}

/// The path and query of a URL (`/` when it has none).
fn path_of(url: &str) -> String {
    url.parse::<http::Uri>()
        .ok()
        .and_then(|uri| uri.path_and_query().map(|pq| pq.as_str().to_owned()))
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| "/".to_owned())
}

/// AWS's own hosts: `*.amazonaws.com`, and `*.amazonaws.com.cn` in the China regions.
pub(crate) fn is_aws_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn")
}

/// The region an AWS host names: `api.sagemaker.us-east-1.amazonaws.com` is in
/// us-east-1 (the label before `amazonaws`, when it looks like a region).
fn region_of_host(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    let at = labels.iter().position(|l| *l == "amazonaws")?;
    let label = labels.get(at.checked_sub(1)?)?;
    looks_like_region(label).then(|| (*label).to_owned())
}

/// The region of a SigV4 `Authorization` header's credential scope
/// (`Credential=AKID/20260101/us-east-1/sagemaker/aws4_request`).
fn region_of_authorization(value: &str) -> Option<String> {
    let scope = value.split("Credential=").nth(1)?;
    let scope = scope.split([',', ' ']).next()?;
    let region = scope.split('/').nth(2)?;
    looks_like_region(region).then(|| region.to_owned())
}

/// `us-east-1`, `cn-north-1`, `us-gov-west-1`: letters and dashes ending in a number.
fn looks_like_region(label: &str) -> bool {
    let parts: Vec<&str> = label.split('-').collect();
    parts.len() >= 3
        && parts
            .last()
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
}

/// `20260101T000000Z` (SigV4's `x-amz-date`) as RFC 3339.
fn time_of_amz_date(value: &str) -> Option<String> {
    let v = value.trim();
    if v.len() != 16 || !v.ends_with('Z') || v.as_bytes().get(8) != Some(&b'T') {
        return None;
    }
    let text = format!(
        "{}-{}-{}T{}:{}:{}Z",
        v.get(0..4)?,
        v.get(4..6)?,
        v.get(6..8)?,
        v.get(9..11)?,
        v.get(11..13)?,
        v.get(13..15)?
    );
    humantime::parse_rfc3339(&text).ok().map(timestamp)
}

/// An RFC 3339 time with any offset and fraction (HAR's `startedDateTime`, such as
/// `2026-12-02T10:00:00.123+01:00`) as RFC 3339 UTC whole seconds.
pub(crate) fn time_of_rfc3339(value: &str) -> Option<String> {
    let value = value.trim();
    let (base, offset_secs) = match value.strip_suffix('Z') {
        Some(base) => (base, 0_i64),
        None => {
            let at = value.len().checked_sub(6)?;
            let (base, offset) = value.split_at(at);
            let sign = match offset.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = offset.get(1..3)?.parse().ok()?;
            let minutes: i64 = offset.get(4..6)?.parse().ok()?;
            (base, sign * (hours * 3600 + minutes * 60))
        }
    };
    let whole = base.split('.').next()?;
    let local = humantime::parse_rfc3339(&format!("{whole}Z")).ok()?;
    let shift = Duration::from_secs(offset_secs.unsigned_abs());
    let utc: SystemTime = if offset_secs >= 0 {
        local.checked_sub(shift)?
    } else {
        local.checked_add(shift)?
    };
    Some(timestamp(utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_aws_host_says_aws_and_names_its_region_and_a_loopback_one_does_not() {
        let wire = |url: &str| WireExchange {
            method: "post".to_owned(),
            url: url.to_owned(),
            status: 200,
            ..WireExchange::default()
        };
        let (recorded, facts) =
            exchanges(&[wire("https://api.sagemaker.eu-west-1.amazonaws.com/")]);
        assert_eq!(facts.source(), Some(Source::Aws));
        assert_eq!(facts.region().as_deref(), Some("eu-west-1"));
        assert_eq!(
            facts.endpoint.as_deref(),
            Some("https://api.sagemaker.eu-west-1.amazonaws.com")
        );
        assert_eq!(recorded[0].request.method, "POST");
        assert_eq!(recorded[0].request.path, "/");
        let (_, facts) = exchanges(&[
            wire("https://api.sagemaker.eu-west-1.amazonaws.com/"),
            wire("http://127.0.0.1:4566/?a=1"),
        ]);
        assert_eq!(facts.source(), None, "one request went elsewhere");
        assert_eq!(path_of("http://127.0.0.1:4566/?a=1"), "/?a=1");
    }

    #[test]
    fn the_credential_scope_names_the_region_and_x_amz_date_the_time() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/ap-south-1/sagemaker/aws4_request, SignedHeaders=host, Signature=ab";
        assert_eq!(
            region_of_authorization(header).as_deref(),
            Some("ap-south-1")
        );
        assert_eq!(
            time_of_amz_date("20261202T101112Z").as_deref(),
            Some("2026-12-02T10:11:12Z")
        );
        assert_eq!(time_of_amz_date("yesterday"), None);
    }

    #[test]
    fn rfc3339_times_with_offsets_and_fractions_become_utc_seconds() {
        assert_eq!(
            time_of_rfc3339("2026-12-02T10:00:00.123+01:00").as_deref(),
            Some("2026-12-02T09:00:00Z")
        );
        assert_eq!(
            time_of_rfc3339("2026-12-02T10:00:00.5Z").as_deref(),
            Some("2026-12-02T10:00:00Z")
        );
        assert_eq!(
            time_of_rfc3339("2026-12-02T10:00:00-02:30").as_deref(),
            Some("2026-12-02T12:30:00Z")
        );
    }

    #[test]
    fn repeated_headers_are_joined_and_pseudo_headers_dropped() {
        let headers = fold(&[
            (":authority".to_owned(), "h".to_owned()),
            ("Accept".to_owned(), "a".to_owned()),
            ("accept".to_owned(), "b".to_owned()),
        ]);
        assert_eq!(headers.iter().collect::<Vec<_>>(), [("accept", "a, b")]);
    }
}
