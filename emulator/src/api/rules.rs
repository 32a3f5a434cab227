//! Rules between members that the documentation states and the model cannot express.
//!
//! They run only after every constraint passed, as a service's own logic runs after its
//! framework's validation, and the first broken rule is reported alone.

use super::error::ApiError;
use super::types::CreateInput;

/// The longest `MaxRuntimeInSeconds` the documentation allows: 28 days.
pub const MAX_RUNTIME_LIMIT_SECS: i64 = 28 * 24 * 60 * 60;

/// Frameworks for which the documentation allows `FrameworkVersion`.
const VERSIONED_FRAMEWORKS: [&str; 4] = ["MXNET", "PYTORCH", "TENSORFLOW", "TFLITE"];

/// Checks the documented cross-member rules of `CreateCompilationJob`.
pub fn check_create(input: &CreateInput) -> Result<(), ApiError> {
    match (&input.input_config, &input.model_package_version_arn) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "InputConfig and ModelPackageVersionArn are mutually exclusive; specify only one of them.",
            ));
        }
        (None, None) => {
            return Err(ApiError::validation(
                "Either InputConfig or ModelPackageVersionArn must be specified.",
            ));
        }
        _ => {}
    }
    let output = &input.output_config;
    match (&output.target_device, &output.target_platform) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "TargetDevice and TargetPlatform are mutually exclusive; specify only one of them in OutputConfig.",
            ));
        }
        (None, None) => {
            return Err(ApiError::validation(
                "Either TargetDevice or TargetPlatform must be specified in OutputConfig.",
            ));
        }
        _ => {}
    }
    if let Some(platform) = &output.target_platform
        && platform.accelerator.as_deref() == Some("NVIDIA")
        && output.compiler_options.is_none()
    {
        return Err(ApiError::validation(
            "CompilerOptions must be specified in OutputConfig when TargetPlatform.Accelerator is NVIDIA.",
        ));
    }
    if let Some(config) = &input.input_config
        && config.framework_version.is_some()
        && !VERSIONED_FRAMEWORKS.contains(&config.framework.as_str())
    {
        return Err(ApiError::validation(format!(
            "FrameworkVersion is only supported for the MXNET, PYTORCH, TENSORFLOW and TFLITE frameworks, not {}.",
            config.framework
        )));
    }
    if let Some(runtime) = input.stopping_condition.max_runtime_in_seconds
        && runtime > MAX_RUNTIME_LIMIT_SECS
    {
        return Err(ApiError::validation(format!(
            "StoppingCondition.MaxRuntimeInSeconds must be less than or equal to {MAX_RUNTIME_LIMIT_SECS} (28 days)."
        )));
    }
    Ok(())
}
