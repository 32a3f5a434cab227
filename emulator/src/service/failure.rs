//! Why a job failed, kept as a small value and rendered as the FailureReason text only
//! when shown, so a million failed jobs do not each carry a copy of it.

/// The FailureReason real SageMaker gave for an input that is not a tar.gz archive,
/// reproduced byte for byte (including its stray `')` and double space).
pub const UNTAR_FAILURE: &str = "ClientError: InputConfiguration: Unable to untar input model.Please confirm the model is a tar.gz file')  For further troubleshooting common failures please visit: https://docs.aws.amazon.com/sagemaker/latest/dg/neo-troubleshooting-compilation.html";

/// Why a job failed; the text is rendered when shown, so a million failed jobs do not
/// each carry a copy of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// The input is not a `.tar.gz` archive.
    Untar,
    /// Compiling outlasted MaxRuntimeInSeconds (the value given).
    Timeout(i64),
}

impl Failure {
    /// The FailureReason text.
    pub(super) fn reason(self) -> String {
        match self {
            Failure::Untar => UNTAR_FAILURE.to_owned(),
            Failure::Timeout(max_runtime) => format!(
                "ClientError: TimeOut: Compilation job exceeded the MaxRuntimeInSeconds of {max_runtime} seconds."
            ),
        }
    }
}
