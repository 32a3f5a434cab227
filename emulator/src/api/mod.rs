//! The contract: operations, typed shapes, validation driven by the service model's
//! constraints, and the error codes with their exact messages.

mod error;
pub mod model;
mod operation;
mod rules;
mod tag_inputs;
mod tagging;
mod types;
mod validate;
mod violation;

pub use error::{ApiError, ErrorCode};
pub use operation::{Api, Operation, UnknownOperation};
pub use rules::{MAX_RUNTIME_LIMIT_SECS, check_create};
pub use tag_inputs::{AddTagsInput, DeleteTagsInput, ListTagsInput, MAX_TAGS};
pub use tagging::{GetResourcesInput, TagFilter, TagResourcesInput, UntagResourcesInput};
pub use types::{
    CreateInput, InputConfig, JobNameInput, JobStatus, ListInput, OutputConfig, SortBy, SortOrder,
    StoppingCondition, Tag, TargetPlatform, VpcConfig,
};
pub use validate::{InputError, validate};
pub use violation::{Violation, lower_camel, validation_message};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Validates a request body for `operation` against the model, then reads it as `T`.
/// An operation without a model shape (the tagging API's) is only read.
pub fn parse_input<T: DeserializeOwned>(operation: Operation, body: &Value) -> Result<T, ApiError> {
    if let Some(shape) = operation.input_shape() {
        validate(model::Model::embedded(), shape, body)?;
    }
    T::deserialize(body)
        .map_err(|e| ApiError::serialization(format!("Cannot read the request: {e}")))
}
