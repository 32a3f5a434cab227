//! SigV4 verification of requests to the AWS endpoint (fidelity rows F21, F22), on when
//! the settings say `auth = sigv4`.
//!
//! It runs where the whole HTTP request is visible: method, URI, headers and body. Calls
//! made in-process without HTTP (`Emulator::call`, the scenario runner's emulator target)
//! have no headers to check and skip it.
//!
//! - `authorization`: the `Authorization` header parsed into key, scope, signed headers
//!   and signature;
//! - `amz_date`: `X-Amz-Date`, and the five-minute window around the wall clock;
//! - `canonical`: the canonical request and the string to sign;
//! - `error`: the AWS error for each way a request can fail, with AWS's wording;
//! - `verify`: the checks in AWS's order, ending in the caller's account and region.

mod amz_date;
mod authorization;
mod canonical;
mod error;
mod verify;

pub(crate) use verify::verify;
