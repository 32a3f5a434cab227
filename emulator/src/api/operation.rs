//! The operations served, the API each belongs to, and the model shapes of their inputs.
//!
//! Two AWS APIs share the endpoint: SageMaker's (target prefix `SageMaker`, signing name
//! `sagemaker`) and the Resource Groups Tagging API's (`ResourceGroupsTaggingAPI_20170126`,
//! signing name `tagging`), whose `GetResources`, `TagResources` and `UntagResources`
//! tools such as Cloud Custodian call for every compilation job they list.

use std::fmt;
use std::str::FromStr;

/// An AWS API served on the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// Amazon SageMaker (`SageMaker.<Operation>`).
    SageMaker,
    /// The Resource Groups Tagging API (`ResourceGroupsTaggingAPI_20170126.<Operation>`).
    Tagging,
}

impl Api {
    /// Both APIs.
    pub const ALL: [Api; 2] = [Api::SageMaker, Api::Tagging];

    /// The `X-Amz-Target` prefix before the `.`.
    pub fn target_prefix(self) -> &'static str {
        match self {
            Api::SageMaker => "SageMaker",
            Api::Tagging => "ResourceGroupsTaggingAPI_20170126",
        }
    }

    /// The service name a SigV4 credential scope must carry for this API.
    pub fn signing_name(self) -> &'static str {
        match self {
            Api::SageMaker => "sagemaker",
            Api::Tagging => "tagging",
        }
    }
}

/// An operation served on the endpoint.
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
    /// SageMaker's `AddTags`
    AddTags,
    /// SageMaker's `ListTags`
    ListTags,
    /// SageMaker's `DeleteTags`
    DeleteTags,
    /// The tagging API's `GetResources`
    GetResources,
    /// The tagging API's `TagResources`
    TagResources,
    /// The tagging API's `UntagResources`
    UntagResources,
}

impl Operation {
    /// All operations: SageMaker's in documentation order, then the tagging API's.
    pub const ALL: [Operation; 11] = [
        Operation::CreateCompilationJob,
        Operation::DescribeCompilationJob,
        Operation::ListCompilationJobs,
        Operation::StopCompilationJob,
        Operation::DeleteCompilationJob,
        Operation::AddTags,
        Operation::ListTags,
        Operation::DeleteTags,
        Operation::GetResources,
        Operation::TagResources,
        Operation::UntagResources,
    ];

    /// The operation's name as it appears after the API's prefix in `X-Amz-Target`.
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateCompilationJob => "CreateCompilationJob",
            Operation::DescribeCompilationJob => "DescribeCompilationJob",
            Operation::ListCompilationJobs => "ListCompilationJobs",
            Operation::StopCompilationJob => "StopCompilationJob",
            Operation::DeleteCompilationJob => "DeleteCompilationJob",
            Operation::AddTags => "AddTags",
            Operation::ListTags => "ListTags",
            Operation::DeleteTags => "DeleteTags",
            Operation::GetResources => "GetResources",
            Operation::TagResources => "TagResources",
            Operation::UntagResources => "UntagResources",
        }
    }

    /// The API the operation belongs to.
    pub fn api(self) -> Api {
        match self {
            Operation::GetResources | Operation::TagResources | Operation::UntagResources => {
                Api::Tagging
            }
            _ => Api::SageMaker,
        }
    }

    /// The whole `X-Amz-Target` value naming the operation.
    pub fn target(self) -> String {
        format!("{}.{}", self.api().target_prefix(), self.name())
    }

    /// The embedded model's shape of the operation's input. The tagging API's model is
    /// not embedded (its inputs are read by hand, see `api::tagging`), so its operations
    /// have none.
    pub fn input_shape(self) -> Option<&'static str> {
        match self {
            Operation::CreateCompilationJob => Some("CreateCompilationJobRequest"),
            Operation::DescribeCompilationJob => Some("DescribeCompilationJobRequest"),
            Operation::ListCompilationJobs => Some("ListCompilationJobsRequest"),
            Operation::StopCompilationJob => Some("StopCompilationJobRequest"),
            Operation::DeleteCompilationJob => Some("DeleteCompilationJobRequest"),
            Operation::AddTags => Some("AddTagsInput"),
            Operation::ListTags => Some("ListTagsInput"),
            Operation::DeleteTags => Some("DeleteTagsInput"),
            Operation::GetResources | Operation::TagResources | Operation::UntagResources => None,
        }
    }

    /// The operation `name` names in `api`.
    pub fn of(api: Api, name: &str) -> Option<Operation> {
        Operation::ALL
            .into_iter()
            .find(|op| op.api() == api && op.name() == name)
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

    /// By bare name: the names of the two APIs do not overlap.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Operation::ALL
            .into_iter()
            .find(|op| op.name() == name)
            .ok_or_else(|| UnknownOperation(name.to_owned()))
    }
}
