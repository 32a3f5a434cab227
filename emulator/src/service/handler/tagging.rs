//! The Resource Groups Tagging API's `GetResources`, `TagResources` and `UntagResources`
//! over the caller's compilation jobs.
//!
//! Shapes follow the real recordings (cloud-custodian placebo,
//! `test_sagemaker_compilation_job_tag`): GetResources answers `PaginationToken` (`""` on
//! the last page) and `ResourceTagMappingList` of `{ResourceARN, Tags}`, and lists a
//! job only while it has tags (the untagged job's first GetResources was empty);
//! TagResources and UntagResources answer `{"FailedResourcesMap": {}}`. A resource that
//! fails (no such job, or tags SageMaker refuses) is a `FailedResourcesMap` entry of the
//! model's `FailureInfo` form, `{StatusCode: 400, ErrorCode: InvalidParameterException,
//! ErrorMessage}`; no recording shows one, so the code is the model's own enum value for
//! a caller's mistake.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::api::{
    self, ApiError, ErrorCode, GetResourcesInput, Tag, TagResourcesInput, UntagResourcesInput,
};

use super::super::job::Job;
use super::super::store::Partition;
use super::super::tags;
use super::super::token::{Position, Scope};
use super::{CallContext, Service};

/// The resource types that include compilation jobs.
const TYPES: [&str; 2] = ["sagemaker", "sagemaker:compilation-job"];

/// The page size when `ResourcesPerPage` is absent (its documented maximum).
const DEFAULT_PER_PAGE: i64 = 100;

impl Service {
    pub(super) fn get_resources(
        &self,
        context: &CallContext,
        input: &GetResourcesInput,
    ) -> Result<Value, ApiError> {
        let typed = input.resource_type_filters.is_empty()
            || input
                .resource_type_filters
                .iter()
                .any(|t| TYPES.contains(&t.as_str()));
        self.with_partition(context, |partition| {
            let scope = Scope {
                query: digest(input),
                partition: partition.arn_prefix(),
            };
            let after = match input.pagination_token.as_deref().filter(|t| !t.is_empty()) {
                Some(token) => Some(self.tokens.open(scope, token).map_err(|_| {
                    ApiError::new(
                        ErrorCode::InvalidParameterException,
                        "Invalid pagination token",
                    )
                })?),
                None => None,
            };
            let mut found: Vec<(String, &Job)> = if typed {
                partition
                    .jobs()
                    .filter(|job| !job.tags.is_empty() && matches(input, &job.tags))
                    .map(|job| (job.arn(), job))
                    .filter(|(arn, _)| {
                        input
                            .resource_arn_list
                            .as_ref()
                            .is_none_or(|list| list.contains(arn))
                    })
                    .filter(|(arn, _)| after.as_ref().is_none_or(|p| *arn > p.name))
                    .collect()
            } else {
                Vec::new()
            };
            found.sort_by(|a, b| a.0.cmp(&b.0));
            let size = input.resources_per_page.unwrap_or(DEFAULT_PER_PAGE).max(1) as usize;
            let more = found.len() > size;
            found.truncate(size);
            let token = match found.last() {
                Some((arn, _)) if more => self.tokens.seal(
                    scope,
                    &Position {
                        major: 0,
                        minor: 0,
                        name: arn.clone(),
                    },
                ),
                _ => String::new(),
            };
            let list: Vec<Value> = found
                .iter()
                .map(|(arn, job)| json!({ "ResourceARN": arn, "Tags": job.tags }))
                .collect();
            Ok(json!({ "PaginationToken": token, "ResourceTagMappingList": list }))
        })
    }

    pub(super) fn tag_resources(
        &self,
        context: &CallContext,
        input: &TagResourcesInput,
    ) -> Result<Value, ApiError> {
        let added: Vec<Tag> = input
            .tags
            .iter()
            .map(|(key, value)| Tag {
                key: key.clone(),
                value: value.clone(),
            })
            .collect();
        let refused = sagemaker_refusal(&added);
        self.each_resource(
            context,
            &input.resource_arn_list,
            |service, partition, arn| {
                if let Some(error) = &refused {
                    return Err(error.clone());
                }
                service.change_tags_in(context, partition, arn, |current| {
                    tags::merged(current, &added)
                })
            },
        )
    }

    pub(super) fn untag_resources(
        &self,
        context: &CallContext,
        input: &UntagResourcesInput,
    ) -> Result<Value, ApiError> {
        self.each_resource(
            context,
            &input.resource_arn_list,
            |service, partition, arn| {
                service.change_tags_in(context, partition, arn, |current| {
                    tags::without(current, &input.tag_keys)
                })
            },
        )
    }

    /// Runs `change` for each ARN, collecting the failures into `FailedResourcesMap`; a
    /// failure of the state directory fails the whole request instead.
    fn each_resource(
        &self,
        context: &CallContext,
        arns: &[String],
        mut change: impl FnMut(&Service, &mut Partition, &str) -> Result<(), ApiError>,
    ) -> Result<Value, ApiError> {
        self.with_partition(context, |partition| {
            let mut failed = Map::new();
            for arn in arns {
                match change(self, partition, arn) {
                    Ok(()) => {}
                    Err(error) if error.code == ErrorCode::InternalFailure => return Err(error),
                    Err(error) => {
                        failed.insert(
                            arn.clone(),
                            json!({
                                "StatusCode": 400,
                                "ErrorCode": "InvalidParameterException",
                                "ErrorMessage": error.message,
                            }),
                        );
                    }
                }
            }
            Ok(json!({ "FailedResourcesMap": failed }))
        })
    }
}

/// Whether a job's tags pass every tag filter: the key is there, with any of the
/// filter's values (any value at all when the filter lists none).
fn matches(input: &GetResourcesInput, tags: &[Tag]) -> bool {
    input.tag_filters.iter().all(|filter| {
        tags.iter().any(|tag| {
            tag.key == filter.key
                && (filter.values.is_empty() || filter.values.contains(&tag.value))
        })
    })
}

/// SageMaker's own refusal of tags the tagging API accepts (its model allows any
/// characters; SageMaker's `TagKey` and `TagValue` patterns do not).
fn sagemaker_refusal(tags: &[Tag]) -> Option<ApiError> {
    let body = json!({ "ResourceArn": "arn:aws:sagemaker:x:000000000000:x", "Tags": tags });
    api::validate(api::model::Model::embedded(), "AddTagsInput", &body)
        .err()
        .map(ApiError::from)
}

/// What shapes the listing, so a token continues only the query that made it; the
/// page size and the token itself are left out.
fn digest(input: &GetResourcesInput) -> u64 {
    let shape = (
        &input.tag_filters,
        &input.resource_type_filters,
        &input.resource_arn_list,
    );
    let hash = Sha256::digest(format!("GetResources|{shape:?}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    u64::from_be_bytes(first)
}
