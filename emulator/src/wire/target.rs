//! `X-Amz-Target: SageMaker.<Operation>` routing.

use crate::api::{ApiError, ErrorCode, Operation};

/// The service prefix every target carries.
pub const TARGET_PREFIX: &str = "SageMaker";

/// The operation a target header names.
pub(crate) fn operation_of(target: Option<&str>) -> Result<Operation, ApiError> {
    let unknown = |message: String| ApiError::new(ErrorCode::UnknownOperationException, message);
    let target = target.ok_or_else(|| {
        unknown("Missing X-Amz-Target header; expected SageMaker.<Operation>.".to_owned())
    })?;
    let name = target
        .strip_prefix(TARGET_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .ok_or_else(|| unknown(format!("Unknown operation target '{target}'.")))?;
    name.parse().map_err(|_| {
        unknown(format!(
            "The operation {TARGET_PREFIX}.{name} is not supported: this endpoint serves CreateCompilationJob, DescribeCompilationJob, ListCompilationJobs, StopCompilationJob and DeleteCompilationJob."
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_route_to_their_operation() {
        assert_eq!(
            operation_of(Some("SageMaker.ListCompilationJobs")),
            Ok(Operation::ListCompilationJobs)
        );
    }

    #[test]
    fn missing_foreign_and_unknown_targets_are_unknown_operations() {
        for target in [
            None,
            Some("DynamoDB_20120810.ListTables"),
            Some("SageMaker.ListModels"),
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
