//! The SigV4 checks, in order: a header at all, its form and `X-Amz-Date`, a known
//! access key, the credential scope, the signed `host`, the date within five minutes of
//! the wall clock, and finally the signature itself. The first failure is the answer.
//!
//! Session tokens (`X-Amz-Security-Token`) are accepted and not checked: when signed they
//! are part of the canonical request like any other header.

use std::time::SystemTime;

use http::HeaderMap;
use http::request::Parts;
use sha2::{Digest, Sha256};

use crate::api::Api;
use crate::service::{CallContext, Settings};
use crate::wire::api_of;

use super::amz_date::{AmzDate, check_freshness};
use super::authorization::{Authorization, Scope};
use super::error::AuthError;
use super::signature::{Signing, expected_signature, same_signature};

/// The last element of every SigV4 credential scope.
const TERMINATOR: &str = "aws4_request";

/// Checks a request's SigV4 signature against the credentials table; on success the
/// caller is the key's account in the scope's region.
///
/// `now` must be the system's wall clock, never the emulator's clock: clients sign with
/// real time, and a manual clock that tests have advanced by hours must not make every
/// fresh signature look expired.
pub(crate) fn verify(
    settings: &Settings,
    request: &Parts,
    body: &[u8],
    now: SystemTime,
) -> Result<CallContext, AuthError> {
    let header = request
        .headers
        .get(http::header::AUTHORIZATION)
        .ok_or(AuthError::Missing)?;
    let header = String::from_utf8_lossy(header.as_bytes());
    let authorization = Authorization::parse(&header)?;
    let amz_date_text = text_of(&request.headers, "x-amz-date")
        .ok_or_else(|| AuthError::MissingDate(header.to_string()))?;
    let amz_date = AmzDate::parse(&amz_date_text)
        .ok_or_else(|| AuthError::DateFormat(amz_date_text.clone()))?;
    let credential = settings
        .credentials
        .iter()
        .find(|credential| credential.access_key_id == authorization.access_key_id)
        .ok_or(AuthError::UnknownKey)?;
    let scope = &authorization.scope;
    // The tagging API's operations are signed for `tagging`, everything else (unknown
    // targets included, which are refused after the signature) for `sagemaker`.
    let api =
        api_of(text_of(&request.headers, "x-amz-target").as_deref()).unwrap_or(Api::SageMaker);
    check_scope(settings, scope, api, amz_date, &amz_date_text)?;
    if !authorization
        .signed_headers
        .iter()
        .any(|name| name == "host")
    {
        return Err(AuthError::HostNotSigned);
    }
    check_freshness(amz_date, AmzDate::from_system_time(now))?;

    // A declared payload hash must be the body's: otherwise a body changed in transit
    // would pass with the hash it was signed with.
    let payload_hash = format!("{:x}", Sha256::digest(body));
    if let Some(declared) = text_of(&request.headers, "x-amz-content-sha256")
        && declared != payload_hash
    {
        return Err(AuthError::Mismatch);
    }
    let signing = Signing {
        access_key_id: &authorization.access_key_id,
        secret: &credential.secret_access_key,
        scope,
        time: amz_date.to_system_time().ok_or(AuthError::Mismatch)?,
        signed_headers: &authorization.signed_headers,
        payload_hash: &payload_hash,
    };
    let expected = expected_signature(request, signing).ok_or(AuthError::Mismatch)?;
    if !same_signature(&expected, &authorization.signature) {
        return Err(AuthError::Mismatch);
    }
    Ok(CallContext {
        region: Some(scope.region.clone()),
        account: Some(credential.account_id.clone()),
    })
}

/// The scope must end in `aws4_request`, name the target's API (`sagemaker`, or
/// `tagging` for the tagging API), a sane region (the pinned one when the endpoint is
/// pinned), and the day of `X-Amz-Date`.
fn check_scope(
    settings: &Settings,
    scope: &Scope,
    api: Api,
    amz_date: AmzDate,
    amz_date_text: &str,
) -> Result<(), AuthError> {
    if scope.terminator != TERMINATOR {
        return Err(AuthError::Terminator(scope.terminator.clone()));
    }
    if scope.service != api.signing_name() {
        return Err(AuthError::Service(api.signing_name()));
    }
    let region = &scope.region;
    let sane = !region.is_empty()
        && region.len() <= 32
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !sane || (settings.pin_region && *region != settings.region) {
        return Err(AuthError::Region);
    }
    let day = amz_date.day();
    if scope.day != day {
        return Err(AuthError::ScopeDate {
            scope: scope.day.clone(),
            day,
            amz_date: amz_date_text.to_owned(),
        });
    }
    Ok(())
}

/// A header's value as text (all values joined as SigV4 would, which for the headers
/// read here means the single value).
fn text_of(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_credential_types::Credentials;
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    use aws_sigv4::sign::v4;
    use aws_smithy_runtime_api::client::identity::Identity;

    use super::*;
    use crate::service::{AuthMode, Credential};

    const BODY: &[u8] = b"{}";

    fn settings() -> Settings {
        Settings {
            auth: AuthMode::Sigv4,
            credentials: vec![Credential::new("AKIDONE", "secret-one", "111122223333")],
            ..Settings::default()
        }
    }

    /// A request signed by aws-sigv4 itself at `at`, for `service` in `region`.
    fn signed(secret: &str, service: &str, region: &str, at: SystemTime) -> Parts {
        signed_for("SageMaker.ListCompilationJobs", secret, service, region, at)
    }

    /// Like [`signed`], naming `target`.
    fn signed_for(
        target: &str,
        secret: &str,
        service: &str,
        region: &str,
        at: SystemTime,
    ) -> Parts {
        let mut request = http::Request::post("/")
            .header("host", "127.0.0.1:4566")
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", target)
            .body(())
            .unwrap_or_default();
        let identity: Identity = Credentials::new("AKIDONE", secret, None, None, "test").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(service)
            .time(at)
            .settings(SigningSettings::default())
            .build()
            .map(Into::into);
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        if let Ok(params) = params
            && let Ok(signable) = SignableRequest::new(
                "POST",
                "/",
                headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                SignableBody::Bytes(BODY),
            )
            && let Ok(output) = sign(signable, &params)
        {
            output.into_parts().0.apply_to_request_http1x(&mut request);
        }
        request.into_parts().0
    }

    #[test]
    fn a_request_signed_by_aws_sigv4_is_the_keys_account_in_the_scopes_region() {
        let now = SystemTime::now();
        let request = signed("secret-one", "sagemaker", "eu-west-1", now);
        let context = verify(&settings(), &request, BODY, now);
        assert_eq!(
            context,
            Ok(CallContext {
                region: Some("eu-west-1".to_owned()),
                account: Some("111122223333".to_owned()),
            })
        );
    }

    #[test]
    fn each_failure_gets_its_own_error() {
        let now = SystemTime::now();
        let check = |request: &Parts, body: &[u8]| verify(&settings(), request, body, now).err();
        let wrong_secret = signed("secret-two", "sagemaker", "us-east-1", now);
        assert_eq!(check(&wrong_secret, BODY), Some(AuthError::Mismatch));
        let good = signed("secret-one", "sagemaker", "us-east-1", now);
        assert_eq!(check(&good, b"{ }"), Some(AuthError::Mismatch));
        let s3 = signed("secret-one", "s3", "us-east-1", now);
        assert_eq!(check(&s3, BODY), Some(AuthError::Service("sagemaker")));
        let stale = signed(
            "secret-one",
            "sagemaker",
            "us-east-1",
            now - Duration::from_secs(600),
        );
        assert!(matches!(
            check(&stale, BODY),
            Some(AuthError::Expired { .. })
        ));
        let unsigned = http::Request::post("/")
            .body(())
            .unwrap_or_default()
            .into_parts()
            .0;
        assert_eq!(check(&unsigned, BODY), Some(AuthError::Missing));
    }

    #[test]
    fn a_pinned_endpoint_refuses_another_regions_scope() {
        let now = SystemTime::now();
        let pinned = Settings {
            pin_region: true,
            ..settings()
        };
        let request = signed("secret-one", "sagemaker", "eu-west-1", now);
        assert_eq!(
            verify(&pinned, &request, BODY, now).err(),
            Some(AuthError::Region)
        );
        let home = signed("secret-one", "sagemaker", "us-east-1", now);
        assert!(verify(&pinned, &home, BODY, now).is_ok());
    }

    #[test]
    fn the_tagging_api_is_signed_for_tagging_and_only_the_tagging_api() {
        let now = SystemTime::now();
        let tagging = "ResourceGroupsTaggingAPI_20170126.GetResources";
        let check = |target: &str, service: &str| {
            let request = signed_for(target, "secret-one", service, "us-east-1", now);
            verify(&settings(), &request, BODY, now).err()
        };
        assert_eq!(check(tagging, "tagging"), None);
        assert_eq!(
            check(tagging, "sagemaker"),
            Some(AuthError::Service("tagging"))
        );
        assert_eq!(
            check("SageMaker.ListTags", "tagging"),
            Some(AuthError::Service("sagemaker"))
        );
        assert_eq!(check("SageMaker.ListTags", "sagemaker"), None);
    }
}
