//! The errors the API answers with: a wire code, an HTTP status and a message.
//!
//! Codes are the bare shape names botocore and the Rust SDK both read from `__type`
//! (fidelity rows F18-F20). Constructors hold the exact message texts in one place.

use std::fmt;

use super::validate::InputError;
use super::violation::validation_message;

/// An error code as it travels in `__type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// Input failed a constraint or a service rule.
    ValidationException,
    /// The body could not be read as the operation's input.
    SerializationException,
    /// `X-Amz-Target` is missing or names no operation this service has.
    UnknownOperationException,
    /// A job with this name already exists.
    ResourceInUse,
    /// A configured limit (such as concurrent jobs) was reached.
    ResourceLimitExceeded,
    /// The job does not exist (when not-found is set to the modeled code).
    ResourceNotFound,
    /// The request body is larger than the server accepts.
    RequestEntityTooLarge,
    /// The request body did not arrive within the server's read timeout.
    RequestTimeoutException,
    /// A fault inside the emulator; otherwise only sent when fault injection asks for it.
    InternalFailure,
    /// The request rate limit was exceeded, or fault injection chose to throttle.
    ThrottlingException,
    /// The server is at its connection limit.
    ServiceUnavailable,
    /// The request line and headers are larger, or more numerous, than the server accepts.
    RequestHeaderFieldsTooLarge,
    /// SigV4 checking is on and the request carries no Authorization header.
    MissingAuthenticationTokenException,
    /// SigV4 checking is on and the access key is not in the credentials table.
    UnrecognizedClientException,
    /// The signature, its credential scope or its date is wrong.
    InvalidSignatureException,
    /// The Authorization header or X-Amz-Date is malformed or incomplete.
    IncompleteSignatureException,
    /// A guarded control endpoint was called without the control token.
    AccessDeniedException,
    /// The tagging API's validation error (its model has no `ValidationException`).
    InvalidParameterException,
}

impl ErrorCode {
    /// The code's wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationException => "ValidationException",
            ErrorCode::SerializationException => "SerializationException",
            ErrorCode::UnknownOperationException => "UnknownOperationException",
            ErrorCode::ResourceInUse => "ResourceInUse",
            ErrorCode::ResourceLimitExceeded => "ResourceLimitExceeded",
            ErrorCode::ResourceNotFound => "ResourceNotFound",
            ErrorCode::RequestEntityTooLarge => "RequestEntityTooLarge",
            ErrorCode::RequestTimeoutException => "RequestTimeoutException",
            ErrorCode::InternalFailure => "InternalFailure",
            ErrorCode::ThrottlingException => "ThrottlingException",
            ErrorCode::ServiceUnavailable => "ServiceUnavailable",
            ErrorCode::RequestHeaderFieldsTooLarge => "RequestHeaderFieldsTooLarge",
            ErrorCode::MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
            ErrorCode::UnrecognizedClientException => "UnrecognizedClientException",
            ErrorCode::InvalidSignatureException => "InvalidSignatureException",
            ErrorCode::IncompleteSignatureException => "IncompleteSignatureException",
            ErrorCode::AccessDeniedException => "AccessDeniedException",
            ErrorCode::InvalidParameterException => "InvalidParameterException",
        }
    }

    /// The HTTP status this code is sent with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::RequestEntityTooLarge => 413,
            ErrorCode::RequestTimeoutException => 408,
            ErrorCode::InternalFailure => 500,
            ErrorCode::ServiceUnavailable => 503,
            ErrorCode::RequestHeaderFieldsTooLarge => 431,
            // Authentication failures are 403 Forbidden on every AWS JSON service.
            ErrorCode::MissingAuthenticationTokenException
            | ErrorCode::UnrecognizedClientException
            | ErrorCode::InvalidSignatureException
            | ErrorCode::IncompleteSignatureException
            | ErrorCode::AccessDeniedException => 403,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer: code plus message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    /// The wire code.
    pub code: ErrorCode,
    /// The human-readable message, sent as `Message`.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// A `ValidationException` with a free-form message (service rules, not constraints).
    pub fn validation(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::ValidationException, message)
    }

    /// A `SerializationException`.
    pub fn serialization(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::SerializationException, message)
    }
}

impl From<InputError> for ApiError {
    fn from(error: InputError) -> Self {
        match error {
            InputError::WrongType {
                path,
                expected,
                found,
            } if path.is_empty() => ApiError::serialization(format!(
                "Expected {expected} as the request body, found {found}."
            )),
            InputError::WrongType {
                path,
                expected,
                found,
            } => {
                ApiError::serialization(format!("Expected {expected} at '{path}', found {found}."))
            }
            InputError::Violations(violations) => {
                ApiError::validation(validation_message(&violations))
            }
        }
    }
}
