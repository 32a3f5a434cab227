//! Typed inputs of SageMaker's `AddTags`, `ListTags` and `DeleteTags`, read after the
//! model walk has accepted the body (`AddTagsInput`, `ListTagsInput`, `DeleteTagsInput`
//! in the embedded model: key and value patterns and lengths, at most 50 tags a call,
//! `MaxResults` at least 50).

use serde::Deserialize;

use super::types::Tag;

/// The most tags a resource carries in all (the model's `TagList` bound, and SageMaker's
/// documented per-resource limit).
pub const MAX_TAGS: usize = 50;

/// Input of `AddTags`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddTagsInput {
    /// The resource to tag.
    pub resource_arn: String,
    /// Tags to add, or to overwrite by key.
    pub tags: Vec<Tag>,
}

/// Input of `ListTags`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsInput {
    /// The resource whose tags are listed.
    pub resource_arn: String,
    /// A token from an earlier page.
    pub next_token: Option<String>,
    /// Page size; the model sets only a minimum (50).
    pub max_results: Option<f64>,
}

/// Input of `DeleteTags`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteTagsInput {
    /// The resource to untag.
    pub resource_arn: String,
    /// The keys of the tags to remove; keys it does not have are ignored.
    pub tag_keys: Vec<String>,
}
