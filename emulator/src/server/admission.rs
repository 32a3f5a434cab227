//! What a request passes before it is routed, after its body has been read: the head
//! limits (every request), then, for the AWS API only, the rate limit and fault
//! injection, in that order. Control endpoints are never throttled or faulted, so a test
//! can always reset, inspect and change the faults. A request refused here never reaches
//! the service, so it has changed nothing.

use http::request::Parts;

use crate::api::{ApiError, ErrorCode};
use crate::service::{INTERNAL_FAILURE_MESSAGE, InjectedFault, Service, THROTTLING_MESSAGE};
use crate::wire::WireResponse;

use super::caller::claimed;
use super::control;
use super::limits::check_head;

/// The answer for a request refused before routing, or `None` to route it.
pub(super) async fn admit(service: &Service, parts: &Parts) -> Option<WireResponse> {
    if let Err(error) = check_head(service.settings(), parts) {
        return Some(WireResponse::error(&error));
    }
    if control::is_control(parts.uri.path()) {
        return None;
    }
    let (account, region) = claimed(service.settings(), &parts.headers);
    if !service.rate_limit().try_take(account, &region) {
        let error = ApiError::new(ErrorCode::ThrottlingException, THROTTLING_MESSAGE);
        return Some(WireResponse::error(&error));
    }
    let decision = service.faults().next();
    if let Some(delay) = decision.delay {
        tokio::time::sleep(delay).await;
    }
    decision.fault.map(|fault| {
        let error = match fault {
            InjectedFault::Throttling => {
                ApiError::new(ErrorCode::ThrottlingException, THROTTLING_MESSAGE)
            }
            InjectedFault::InternalFailure => {
                ApiError::new(ErrorCode::InternalFailure, INTERNAL_FAILURE_MESSAGE)
            }
        };
        WireResponse::error(&error)
    })
}
