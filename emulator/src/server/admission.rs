//! What a request passes before it is routed, after its body has been read: the head
//! limits (every request), then, for the AWS API only, the rate limit and fault
//! injection, in that order. Control endpoints under `/_cjh/` are never throttled or
//! faulted, so a test can always reset, inspect and change the faults. A request refused
//! here never reaches the service, so it has changed nothing.

use http::HeaderMap;
use http::request::Parts;

use crate::api::{ApiError, ErrorCode};
use crate::service::{
    AuthMode, INTERNAL_FAILURE_MESSAGE, InjectedFault, Service, Settings, THROTTLING_MESSAGE,
};
use crate::wire::{WireResponse, region_of};

use super::control;
use super::limits::check_head;

/// The answer for a request refused before routing, or `None` to route it.
pub(super) async fn admit(service: &Service, parts: &Parts) -> Option<WireResponse> {
    if let Err(error) = check_head(service.settings(), parts) {
        return Some(WireResponse::error(&error));
    }
    if parts.uri.path().starts_with(control::PREFIX) {
        return None;
    }
    let (account, region) = bucket_of(service.settings(), &parts.headers);
    if !service.rate_limit().try_take(account, &region) {
        let error = ApiError::new(ErrorCode::ThrottlingException, THROTTLING_MESSAGE);
        return Some(WireResponse::error(&error));
    }
    let decision = service.faults().next();
    if let Some(delay) = decision.delay {
        tokio::time::sleep(delay).await;
    }
    decision.fault.map(|fault| {
        let error = match fault {
            InjectedFault::Throttling => {
                ApiError::new(ErrorCode::ThrottlingException, THROTTLING_MESSAGE)
            }
            InjectedFault::InternalFailure => {
                ApiError::new(ErrorCode::InternalFailure, INTERNAL_FAILURE_MESSAGE)
            }
        };
        WireResponse::error(&error)
    })
}

/// The (account, region) a request is metered under: the region of its credential scope
/// (the default region without one) and, with `auth = sigv4`, the account of the access
/// key it names. The signature is checked only later, so a forged request is metered
/// under the key it claims, then refused.
fn bucket_of<'a>(settings: &'a Settings, headers: &HeaderMap) -> (&'a str, String) {
    let authorization = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let region = region_of(authorization).unwrap_or_else(|| settings.region.clone());
    let account = match settings.auth {
        AuthMode::None => None,
        AuthMode::Sigv4 => access_key_of(authorization).and_then(|key| {
            settings
                .credentials
                .iter()
                .find(|credential| credential.access_key_id == key)
                .map(|credential| credential.account_id.as_str())
        }),
    };
    (account.unwrap_or(&settings.account_id), region)
}

/// The access key id of an Authorization header's credential scope.
fn access_key_of(authorization: Option<&str>) -> Option<&str> {
    authorization?
        .split([',', ' '])
        .find_map(|part| part.trim().strip_prefix("Credential="))?
        .split('/')
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_key_comes_from_the_credential_scope() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/sagemaker/aws4_request, SignedHeaders=host, Signature=abc";
        assert_eq!(access_key_of(Some(header)), Some("AKIDEXAMPLE"));
        assert_eq!(access_key_of(Some("Bearer x")), None);
        assert_eq!(access_key_of(None), None);
    }
}
