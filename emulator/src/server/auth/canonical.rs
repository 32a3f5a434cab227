//! The SigV4 canonical request, the string to sign and the signature, computed from the
//! request as received.
//!
//! The canonical request is rebuilt here rather than by aws-sigv4's signer so that it
//! reads exactly what arrived (the client's `SignedHeaders` list, the path and query as
//! sent); aws-sigv4 supplies only the key derivation and the HMAC.
//!
//! ```text
//! METHOD \n canonical URI \n canonical query \n canonical headers \n
//! signed headers \n payload hash
//! ```

use std::fmt::Write as _;
use std::time::SystemTime;

use aws_sigv4::sign::v4;
use http::HeaderMap;
use sha2::{Digest, Sha256};

use super::authorization::{ALGORITHM, Scope};

/// What the canonical request is built from.
#[derive(Debug, Clone, Copy)]
pub(super) struct RequestView<'a> {
    /// `POST`, `GET`, ...
    pub(super) method: &'a str,
    /// The path as sent, still percent-encoded.
    pub(super) path: &'a str,
    /// The query string as sent, without `?`.
    pub(super) query: Option<&'a str>,
    /// Every header received.
    pub(super) headers: &'a HeaderMap,
}

/// The canonical request for `signed_headers` and a payload hash.
pub(super) fn canonical_request(
    request: RequestView<'_>,
    signed_headers: &[String],
    payload_hash: &str,
) -> String {
    let mut text = String::new();
    text.push_str(request.method);
    text.push('\n');
    text.push_str(&canonical_uri(request.path));
    text.push('\n');
    text.push_str(&canonical_query(request.query.unwrap_or_default()));
    text.push('\n');
    for name in signed_headers {
        let values: Vec<String> = request
            .headers
            .get_all(name.as_str())
            .iter()
            .map(|value| collapse_whitespace(&String::from_utf8_lossy(value.as_bytes())))
            .collect();
        let _ = writeln!(text, "{name}:{}", values.join(","));
    }
    text.push('\n');
    text.push_str(&signed_headers.join(";"));
    text.push('\n');
    text.push_str(payload_hash);
    text
}

/// The string to sign: algorithm, `X-Amz-Date`, scope, and the hash of the canonical
/// request.
pub(super) fn string_to_sign(amz_date: &str, scope: &Scope, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{}\n{}",
        scope.text(),
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signature of `string_to_sign` with the key derived from `secret` for the scope's
/// day (taken from `day`), region and service.
pub(super) fn signature(
    secret: &str,
    day: SystemTime,
    scope: &Scope,
    string_to_sign: &str,
) -> String {
    let key = v4::generate_signing_key(secret, day, &scope.region, &scope.service);
    v4::calculate_signature(key, string_to_sign.as_bytes())
}

/// Lower-case hex SHA-256, the form of every hash in SigV4.
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::with_capacity(64);
    for byte in digest {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// The path with `.`/`..` and empty segments removed, then percent-encoded once more
/// (every byte but unreserved characters and `/`), as SigV4 does for every service
/// but S3.
fn canonical_uri(path: &str) -> String {
    encode(&normalize_path(path), true)
}

/// RFC 3986 dot-segment removal plus collapsing of repeated slashes; a trailing slash
/// stays.
fn normalize_path(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    if !path.contains('.') && !path.contains("//") && path.starts_with('/') {
        return path.to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    let trailing = ["/", "/.", "/..", "/./", "/../"]
        .iter()
        .any(|end| path.ends_with(end));
    if trailing && !normalized.ends_with('/') {
        normalized.push('/');
    }
    normalized
}

/// Query parameters decoded, re-encoded strictly, sorted by encoded key then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(&decode(key), false), encode(&decode(value), false))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Form decoding: `+` is a space, `%XX` a byte; a stray `%` stays as it is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let digit = |at: usize| bytes.get(at).copied().and_then(hex_value);
                match (digit(i + 1), digit(i + 2)) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

/// Percent-encodes every byte but `A-Z a-z 0-9 - _ . ~` (and `/` when `keep_slash`).
fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && byte == b'/')
        {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Trims a header value and turns every run of whitespace inside it into one space.
fn collapse_whitespace(value: &str) -> String {
    value.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    //! Known answers from the AWS SigV4 test suite (as shipped in aws-sigv4's
    //! `aws-signing-test-suite/v4`): credentials `AKIDEXAMPLE` /
    //! `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`, 2015-08-30T12:36:00Z, us-east-1,
    //! service `service`, empty body.

    use std::time::{Duration, UNIX_EPOCH};

    use http::HeaderValue;

    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const AMZ_DATE: &str = "20150830T123600Z";
    const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn scope() -> Scope {
        Scope {
            day: "20150830".to_owned(),
            region: "us-east-1".to_owned(),
            service: "service".to_owned(),
            terminator: "aws4_request".to_owned(),
        }
    }

    fn headers(extra: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert("host", HeaderValue::from_static("example.amazonaws.com"));
        map.insert("x-amz-date", HeaderValue::from_static(AMZ_DATE));
        for (name, value) in extra {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn names(list: &str) -> Vec<String> {
        list.split(';').map(str::to_owned).collect()
    }

    /// Signs like the suite: returns (canonical request, string to sign, signature).
    fn sign(request: RequestView<'_>, signed: &str) -> (String, String, String) {
        let canonical = canonical_request(request, &names(signed), EMPTY_HASH);
        let to_sign = string_to_sign(AMZ_DATE, &scope(), &canonical);
        let day = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let signature = signature(SECRET, day, &scope(), &to_sign);
        (canonical, to_sign, signature)
    }

    #[test]
    fn get_vanilla_gives_the_suites_canonical_request_string_and_signature() {
        let headers = headers(&[]);
        let request = RequestView {
            method: "GET",
            path: "/",
            query: None,
            headers: &headers,
        };
        let (canonical, to_sign, signature) = sign(request, "host;x-amz-date");
        assert_eq!(
            canonical,
            format!(
                "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n{EMPTY_HASH}"
            )
        );
        assert_eq!(
            to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        );
        assert_eq!(
            signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn get_header_value_trim_collapses_inner_spaces_and_matches_the_suite() {
        let headers = headers(&[("my-header1", " value1"), ("my-header2", "\"a   b   c\"")]);
        let request = RequestView {
            method: "GET",
            path: "/",
            query: None,
            headers: &headers,
        };
        let (canonical, _, signature) = sign(request, "host;my-header1;my-header2;x-amz-date");
        assert!(canonical.contains("\nmy-header1:value1\nmy-header2:\"a b c\"\n"));
        assert_eq!(
            signature,
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        );
    }

    #[test]
    fn get_vanilla_query_order_key_case_sorts_parameters_and_matches_the_suite() {
        let headers = headers(&[]);
        let request = RequestView {
            method: "GET",
            path: "/",
            query: Some("Param2=value2&Param1=value1"),
            headers: &headers,
        };
        let (canonical, _, signature) = sign(request, "host;x-amz-date");
        assert!(canonical.starts_with("GET\n/\nParam1=value1&Param2=value2\n"));
        assert_eq!(
            signature,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        );
    }

    #[test]
    fn get_vanilla_with_session_token_signs_the_token_header() {
        let headers = headers(&[(
            "x-amz-security-token",
            "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
        )]);
        let request = RequestView {
            method: "GET",
            path: "/",
            query: None,
            headers: &headers,
        };
        let (_, _, signature) = sign(request, "host;x-amz-date;x-amz-security-token");
        assert_eq!(
            signature,
            "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
        );
    }

    #[test]
    fn repeated_headers_join_with_commas_in_arrival_order() {
        let headers = headers(&[("my-header", "b"), ("my-header", "  a  ")]);
        let request = RequestView {
            method: "POST",
            path: "/",
            query: None,
            headers: &headers,
        };
        let canonical = canonical_request(request, &names("my-header"), EMPTY_HASH);
        assert!(canonical.contains("\nmy-header:b,a\n"), "{canonical}");
    }

    #[test]
    fn the_path_is_normalized_then_encoded_once_more() {
        assert_eq!(
            canonical_uri("/test/@connections/JBDvjfGEIAMCERw%3D"),
            "/test/%40connections/JBDvjfGEIAMCERw%253D"
        );
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a/./b/../c//d/"), "/a/c/d/");
        assert_eq!(canonical_uri("/.."), "/");
    }

    #[test]
    fn query_values_are_decoded_then_strictly_reencoded() {
        assert_eq!(canonical_query("b=x+y&a=%2f&c"), "a=%2F&b=x%20y&c=");
        assert_eq!(canonical_query("k=50%"), "k=50%25");
        assert_eq!(canonical_query(""), "");
    }
}
