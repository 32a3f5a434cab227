//! The signature a received request should carry, computed by aws-sigv4's own signer,
//! and its constant-time comparison with the one the client sent.
//!
//! Verifying with the signer that the Rust SDK signs with means the canonical request
//! (path normalization, double percent-encoding, query sorting and encoding, header
//! value trimming, repeated headers joined with commas) is the crate's, maintained
//! against AWS's test suite, not a second copy kept here. What is left to this module
//! is making the signer read the request as the client signed it:
//!
//! - it is handed only the headers named in the client's `SignedHeaders`, with
//!   `excluded_headers` emptied so it drops none of them (by default it leaves out
//!   `user-agent`, which some clients sign);
//! - of the headers it adds itself, `x-amz-date` comes from the signing time, set to
//!   the client's own `X-Amz-Date` (and is excluded when the client did not sign it);
//!   `x-amz-security-token` is added only for an identity with a session token, and
//!   the identity here has none, so a signed token is read from the request like any
//!   other header; `x-amz-content-sha256` is added only in S3's checksum mode, which
//!   is off; `host` is added from the URI only when absent, so it is always handed over
//!   (empty when the request has none, which is what a signed but absent header reads
//!   as) and excluded when unsigned;
//! - the payload hash is given precomputed, so the body is hashed once, by `verify`,
//!   which also checks it against a declared `x-amz-content-sha256`.
//!
//! The crate lists signed headers sorted, as SigV4 requires and every SDK sends them; a
//! client that computed its signature over an unsorted list does not match, and a name
//! listed twice counts once.

use std::borrow::Cow;
use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody, SignableRequest,
    SignatureLocation, SigningSettings, UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::HeaderMap;
use http::request::Parts;
use subtle::ConstantTimeEq;

use super::authorization::Scope;

/// The header the signer always adds from the signing time.
const X_AMZ_DATE: &str = "x-amz-date";
/// The header the signer adds from the URI when it is not handed one.
const HOST: &str = "host";

/// What the expected signature is computed from, besides the request itself.
#[derive(Debug, Clone, Copy)]
pub(super) struct Signing<'a> {
    /// The access key the client named.
    pub(super) access_key_id: &'a str,
    /// The key's secret, from the credentials table.
    pub(super) secret: &'a str,
    /// The client's credential scope: its region and service sign the request.
    pub(super) scope: &'a Scope,
    /// The client's `X-Amz-Date`.
    pub(super) time: SystemTime,
    /// Lower-case names of the headers the client signed.
    pub(super) signed_headers: &'a [String],
    /// Lower-case hex SHA-256 of the body.
    pub(super) payload_hash: &'a str,
}

/// The signature aws-sigv4 computes for `request` as `signing` describes; `None` when
/// the signer refuses the request (a signed header name that is not a header name, or
/// a URI it cannot read), which no correct signature can match.
pub(super) fn expected_signature(request: &Parts, signing: Signing<'_>) -> Option<String> {
    let headers = signed_header_values(&request.headers, signing.signed_headers);
    let uri = request
        .uri
        .path_and_query()
        .map_or("/", |path_and_query| path_and_query.as_str());
    let signable = SignableRequest::new(
        request.method.as_str(),
        uri,
        headers.iter().map(|(name, value)| (*name, value.as_str())),
        SignableBody::Precomputed(signing.payload_hash.to_owned()),
    )
    .ok()?;
    let identity: Identity = Credentials::new(
        signing.access_key_id,
        signing.secret,
        None,
        None,
        "cjh-emulator",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&signing.scope.region)
        .name(&signing.scope.service)
        .time(signing.time)
        .settings(settings(signing.signed_headers))
        .build()
        .ok()?
        .into();
    Some(sign(signable, &params).ok()?.signature().to_owned())
}

/// Whether two signatures are equal, in time independent of where they first differ,
/// so response times do not reveal how much of a guessed signature was right. (ring's
/// `verify_slices_are_equal` is deprecated, with no promise about side channels.)
pub(super) fn same_signature(expected: &str, given: &str) -> bool {
    expected.as_bytes().ct_eq(given.as_bytes()).into()
}

/// Each signed header once, with every value it arrived with (bytes that are not UTF-8
/// read as U+FFFD), and `host` always, so the signer never derives it from the URI.
fn signed_header_values<'a>(
    headers: &HeaderMap,
    signed_headers: &'a [String],
) -> Vec<(&'a str, String)> {
    let mut names: Vec<&str> = signed_headers.iter().map(String::as_str).collect();
    if !names.contains(&HOST) {
        names.push(HOST);
    }
    names.sort_unstable();
    names.dedup();
    let mut values = Vec::new();
    for name in names {
        let before = values.len();
        values.extend(
            headers
                .get_all(name)
                .iter()
                .map(|value| (name, String::from_utf8_lossy(value.as_bytes()).into_owned())),
        );
        if values.len() == before {
            values.push((name, String::new()));
        }
    }
    values
}

/// SigV4 as for every service but S3 (double encoding, normalized paths, no checksum
/// header, signature in the headers), excluding only the headers the signer would add
/// that the client did not sign.
fn settings(signed_headers: &[String]) -> SigningSettings {
    let excluded = [X_AMZ_DATE, HOST]
        .into_iter()
        .filter(|name| !signed_headers.iter().any(|signed| signed == name))
        .map(Cow::Borrowed)
        .collect();
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Double;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Enabled;
    settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
    settings.signature_location = SignatureLocation::Headers;
    settings.session_token_mode = SessionTokenMode::Include;
    settings.excluded_headers = Some(excluded);
    settings
}

#[cfg(test)]
mod tests;
