//! The five operations and the model shapes of their inputs.

use std::fmt;
use std::str::FromStr;

/// An operation of the compilation-job API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `CreateCompilationJob`
    CreateCompilationJob,
    /// `DescribeCompilationJob`
    DescribeCompilationJob,
    /// `ListCompilationJobs`
    ListCompilationJobs,
    /// `StopCompilationJob`
    StopCompilationJob,
    /// `DeleteCompilationJob`
    DeleteCompilationJob,
}

impl Operation {
    /// All operations, in documentation order.
    pub const ALL: [Operation; 5] = [
        Operation::CreateCompilationJob,
        Operation::DescribeCompilationJob,
        Operation::ListCompilationJobs,
        Operation::StopCompilationJob,
        Operation::DeleteCompilationJob,
    ];

    /// The operation's name as it appears after `SageMaker.` in `X-Amz-Target`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateCompilationJob => "CreateCompilationJob",
            Operation::DescribeCompilationJob => "DescribeCompilationJob",
            Operation::ListCompilationJobs => "ListCompilationJobs",
            Operation::StopCompilationJob => "StopCompilationJob",
            Operation::DeleteCompilationJob => "DeleteCompilationJob",
        }
    }

    /// The model shape of the operation's input.
    pub fn input_shape(self) -> &'static str {
        match self {
            Operation::CreateCompilationJob => "CreateCompilationJobRequest",
            Operation::DescribeCompilationJob => "DescribeCompilationJobRequest",
            Operation::ListCompilationJobs => "ListCompilationJobsRequest",
            Operation::StopCompilationJob => "StopCompilationJobRequest",
            Operation::DeleteCompilationJob => "DeleteCompilationJobRequest",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name matched no operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation {0}")]
pub struct UnknownOperation(pub String);

impl FromStr for Operation {
    type Err = UnknownOperation;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Operation::ALL
            .into_iter()
            .find(|op| op.name() == name)
            .ok_or_else(|| UnknownOperation(name.to_owned()))
    }
}
