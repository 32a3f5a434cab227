//! SageMaker's `AddTags`, `ListTags` and `DeleteTags` on compilation-job ARNs.
//!
//! Answers as the real recordings show them (cloud-custodian placebo files): AddTags
//! echoes the tags it was given (`{"Tags": [...]}`, content-length 49 for one tag),
//! ListTags answers `{"Tags": [...]}` with no `NextToken` key when all fit, DeleteTags
//! answers `{}` (content-length 2). An ARN that names no job of the caller's account and
//! region gets the not-found answer the `not_found` setting picks, as Describe does:
//! no recording shows SageMaker's answer for tags on an unknown resource.

use serde_json::{Value, json};

use crate::api::{AddTagsInput, ApiError, DeleteTagsInput, ErrorCode, ListTagsInput, Tag};

use super::super::choice::NotFound;
use super::super::durable::Change;
use super::super::list::INVALID_TOKEN;
use super::super::store::Partition;
use super::super::tags;
use super::{CallContext, Service};

impl Service {
    pub(super) fn add_tags(
        &self,
        context: &CallContext,
        input: AddTagsInput,
    ) -> Result<Value, ApiError> {
        self.change_tags(context, &input.resource_arn, |current| {
            tags::merged(current, &input.tags)
        })?;
        Ok(json!({ "Tags": input.tags }))
    }

    pub(super) fn delete_tags(
        &self,
        context: &CallContext,
        input: &DeleteTagsInput,
    ) -> Result<Value, ApiError> {
        self.change_tags(context, &input.resource_arn, |current| {
            tags::without(current, &input.tag_keys)
        })?;
        Ok(json!({}))
    }

    /// One page holds every tag: a resource has at most 50 and `MaxResults` is at least
    /// 50 by the model, so no answer carries a `NextToken`, and a token sent back can
    /// only be one this service never issued (`""` reads as none).
    pub(super) fn list_tags(
        &self,
        context: &CallContext,
        input: &ListTagsInput,
    ) -> Result<Value, ApiError> {
        if input.next_token.as_deref().is_some_and(|t| !t.is_empty()) {
            return Err(ApiError::validation(INVALID_TOKEN));
        }
        self.with_partition(context, |partition| {
            let job = partition
                .job_of(&input.resource_arn)
                .ok_or_else(|| self.unknown_resource(partition, &input.resource_arn))?;
            Ok(json!({ "Tags": job.tags }))
        })
    }

    /// Applies `change` to the tags of the job `arn` names, recording the new list.
    pub(super) fn change_tags(
        &self,
        context: &CallContext,
        arn: &str,
        change: impl FnOnce(&[Tag]) -> Vec<Tag>,
    ) -> Result<(), ApiError> {
        self.with_partition(context, |partition| {
            self.change_tags_in(context, partition, arn, change)
        })
    }

    /// [`Service::change_tags`] within a partition already held.
    pub(super) fn change_tags_in(
        &self,
        context: &CallContext,
        partition: &mut Partition,
        arn: &str,
        change: impl FnOnce(&[Tag]) -> Vec<Tag>,
    ) -> Result<(), ApiError> {
        let job = partition
            .job_of(arn)
            .ok_or_else(|| self.unknown_resource(partition, arn))?;
        let name = job.name.to_string();
        let after = change(&job.tags);
        tags::check_limit(&after, arn)?;
        self.keep(|| Change::tags(self.key(context), &name, &after))?;
        partition.set_tags(&name, after);
        Ok(())
    }

    /// The answer for an ARN that names no job here: the not-found code in force, naming
    /// the job when the ARN is a compilation-job ARN of this account and region.
    fn unknown_resource(&self, partition: &Partition, arn: &str) -> ApiError {
        match arn.strip_prefix(partition.arn_prefix()) {
            Some(name) => self.not_found(name),
            None => {
                let code = match self.settings.not_found {
                    NotFound::Validation => ErrorCode::ValidationException,
                    NotFound::ResourceNotFound => ErrorCode::ResourceNotFound,
                };
                ApiError::new(code, format!("Could not find resource '{arn}'."))
            }
        }
    }
}
