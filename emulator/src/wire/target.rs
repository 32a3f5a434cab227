//! `X-Amz-Target` routing: `SageMaker.<Operation>`, or
//! `ResourceGroupsTaggingAPI_20170126.<Operation>` for the tagging API.

use crate::api::{Api, ApiError, ErrorCode, Operation};

/// SageMaker's target prefix.
pub const TARGET_PREFIX: &str = "SageMaker";

/// The operation a target header names.
pub(crate) fn operation_of(target: Option<&str>) -> Result<Operation, ApiError> {
    let unknown = |message: String| ApiError::new(ErrorCode::UnknownOperationException, message);
    let target = target.ok_or_else(|| {
        unknown("Missing X-Amz-Target header; expected SageMaker.<Operation>.".to_owned())
    })?;
    let (api, name) = Api::ALL
        .into_iter()
        .find_map(|api| {
            let name = target
                .strip_prefix(api.target_prefix())?
                .strip_prefix('.')?;
            Some((api, name))
        })
        .ok_or_else(|| unknown(format!("Unknown operation target '{target}'.")))?;
    Operation::of(api, name).ok_or_else(|| {
        let prefix = api.target_prefix();
        let served: Vec<&str> = Operation::ALL
            .into_iter()
            .filter(|op| op.api() == api)
            .map(Operation::name)
            .collect();
        unknown(format!(
            "The operation {prefix}.{name} is not supported: this endpoint serves {}.",
            served.join(", ")
        ))
    })
}

/// The API a target header names, if it names one this endpoint serves; SigV4 checks
/// the credential scope's service against it.
pub(crate) fn api_of(target: Option<&str>) -> Option<Api> {
    operation_of(target).ok().map(Operation::api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_route_to_their_operation_in_either_api() {
        assert_eq!(
            operation_of(Some("SageMaker.ListCompilationJobs")),
            Ok(Operation::ListCompilationJobs)
        );
        assert_eq!(
            operation_of(Some("ResourceGroupsTaggingAPI_20170126.GetResources")),
            Ok(Operation::GetResources)
        );
    }

    #[test]
    fn missing_foreign_unknown_and_crossed_targets_are_unknown_operations() {
        for target in [
            None,
            Some("DynamoDB_20120810.ListTables"),
            Some("SageMaker.ListModels"),
            Some("SageMaker.GetResources"),
            Some("ResourceGroupsTaggingAPI_20170126.ListTags"),
        ] {
            let code = operation_of(target).err().map(|e| e.code);
            assert_eq!(
                code,
                Some(ErrorCode::UnknownOperationException),
                "{target:?}"
            );
        }
    }
}
