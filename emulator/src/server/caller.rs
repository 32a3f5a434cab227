//! Who a request says it is and what it asks for, from its headers alone, for the rate
//! limit and the journal: both act whether or not the signature turns out valid.

use http::HeaderMap;

use crate::api::Api;
use crate::service::{AuthMode, Settings};
use crate::wire::region_of;

/// The operation an `X-Amz-Target` names, as the journal keeps it: without the
/// `SageMaker.` (or tagging API) prefix, or the whole target when it lacks both.
pub(super) fn operation_named(target: &str) -> &str {
    Api::ALL
        .into_iter()
        .find_map(|api| target.strip_prefix(api.target_prefix())?.strip_prefix('.'))
        .unwrap_or(target)
}

/// The (account, region) a request is metered and journaled under: the region of its
/// credential scope (the default region without one) and, with `auth = sigv4`, the
/// account of the access key it names. The signature is checked only later, so a forged
/// request is metered under the key it claims, then refused.
pub(super) fn claimed<'a>(settings: &'a Settings, headers: &HeaderMap) -> (&'a str, String) {
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

    #[test]
    fn the_operation_is_the_target_without_the_service_prefix() {
        assert_eq!(
            operation_named("SageMaker.ListCompilationJobs"),
            "ListCompilationJobs"
        );
        assert_eq!(
            operation_named("DynamoDB_20120810.ListTables"),
            "DynamoDB_20120810.ListTables"
        );
        assert_eq!(
            operation_named("ResourceGroupsTaggingAPI_20170126.GetResources"),
            "GetResources"
        );
        assert_eq!(
            operation_named("SageMakerListCompilationJobs"),
            "SageMakerListCompilationJobs"
        );
    }
}
