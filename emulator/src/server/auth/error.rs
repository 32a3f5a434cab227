//! Every way a request can fail SigV4 checking, each with the code and message AWS
//! answers with (fidelity row F21). All are HTTP 403.
//!
//! The messages keep AWS's own wording, trailing spaces included, so a client that
//! matches on them behaves as it would against AWS.

use crate::api::{ApiError, ErrorCode};

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AuthError {
    /// No `Authorization` header at all.
    #[error("Missing Authentication Token")]
    Missing,
    /// The header is not `AWS4-HMAC-SHA256 ...`.
    #[error("Unsupported AWS 'algorithm': '{0}'. Only 'AWS4-HMAC-SHA256' is accepted.")]
    Algorithm(String),
    /// A `key=value` part of the header has no `=`.
    #[error("Invalid key=value pair (missing equal-sign) in Authorization header: '{0}'.")]
    NotKeyValue(String),
    /// `Credential`, `SignedHeaders` or `Signature` is missing.
    #[error("{}Authorization={header}", missing.iter().map(|p| format!("Authorization header requires '{p}' parameter. ")).collect::<String>())]
    MissingParts {
        /// The parameters not found, in AWS's order.
        missing: Vec<&'static str>,
        /// The header as sent.
        header: String,
    },
    /// The credential is not `key/date/region/service/terminator`.
    #[error(
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{0}'"
    )]
    Credential(String),
    /// No `X-Amz-Date` header.
    #[error(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={0}"
    )]
    MissingDate(String),
    /// `X-Amz-Date` is not `YYYYMMDDTHHMMSSZ`.
    #[error(
        "Date must be in ISO-8601 'basic format'. Got '{0}'. See http://en.wikipedia.org/wiki/ISO_8601"
    )]
    DateFormat(String),
    /// The access key is not in the credentials table.
    #[error("The security token included in the request is invalid.")]
    UnknownKey,
    /// The scope ends in something other than `aws4_request`.
    #[error("Credential should be scoped with a valid terminator: 'aws4_request', not '{0}'. ")]
    Terminator(String),
    /// The scope names another service.
    #[error("Credential should be scoped to correct service: '{0}'. ")]
    Service(&'static str),
    /// The scope names an odd region, or another than the pinned one.
    #[error("Credential should be scoped to a valid region. ")]
    Region,
    /// The scope's day is not the day of `X-Amz-Date`.
    #[error(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope}' != '{day}', from '{amz_date}'."
    )]
    ScopeDate {
        /// The day in the credential scope.
        scope: String,
        /// The day of `X-Amz-Date`.
        day: String,
        /// `X-Amz-Date` as sent.
        amz_date: String,
    },
    /// `host` is not among the signed headers.
    #[error("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")]
    HostNotSigned,
    /// `X-Amz-Date` is more than five minutes in the past.
    #[error("Signature expired: {signed} is now earlier than {limit} ({now} - 5 min.)")]
    Expired {
        /// `X-Amz-Date`.
        signed: String,
        /// The earliest date accepted.
        limit: String,
        /// The server's wall clock.
        now: String,
    },
    /// `X-Amz-Date` is more than five minutes in the future.
    #[error("Signature not yet current: {signed} is still later than {limit} ({now} + 5 min.)")]
    NotYetCurrent {
        /// `X-Amz-Date`.
        signed: String,
        /// The latest date accepted.
        limit: String,
        /// The server's wall clock.
        now: String,
    },
    /// The signature (or the declared payload hash) does not match the request.
    #[error(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    )]
    Mismatch,
}

impl AuthError {
    /// The AWS error code for this failure.
    pub(crate) fn code(&self) -> ErrorCode {
        match self {
            AuthError::Missing => ErrorCode::MissingAuthenticationTokenException,
            AuthError::UnknownKey => ErrorCode::UnrecognizedClientException,
            AuthError::Algorithm(_)
            | AuthError::NotKeyValue(_)
            | AuthError::MissingParts { .. }
            | AuthError::Credential(_)
            | AuthError::MissingDate(_)
            | AuthError::DateFormat(_) => ErrorCode::IncompleteSignatureException,
            AuthError::Terminator(_)
            | AuthError::Service(_)
            | AuthError::Region
            | AuthError::ScopeDate { .. }
            | AuthError::HostNotSigned
            | AuthError::Expired { .. }
            | AuthError::NotYetCurrent { .. }
            | AuthError::Mismatch => ErrorCode::InvalidSignatureException,
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        ApiError::new(error.code(), error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_header_parts_are_each_named_before_the_header() {
        let error = AuthError::MissingParts {
            missing: vec!["Credential", "Signature"],
            header: "AWS4-HMAC-SHA256 SignedHeaders=host".to_owned(),
        };
        assert_eq!(
            error.to_string(),
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host"
        );
    }

    #[test]
    fn authentication_failures_are_forbidden_not_bad_requests() {
        for error in [
            AuthError::Missing,
            AuthError::UnknownKey,
            AuthError::Mismatch,
        ] {
            assert_eq!(error.code().status(), 403);
        }
    }
}
