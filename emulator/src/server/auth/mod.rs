//! SigV4 verification of requests to the AWS endpoint (fidelity rows F21, F22), on when
//! the settings say `auth = sigv4`.
//!
//! It runs where the whole HTTP request is visible: method, URI, headers and body. Calls
//! made in-process without HTTP (`Emulator::call`, the scenario runner's emulator target)
//! have no headers to check and skip it.
//!
//! The canonical request, the string to sign and the signature are aws-sigv4's, the
//! signer the SDKs use. Written here is only what a signer has no part in: parsing the
//! `Authorization` header a client sent (the crate writes it, never reads it), the
//! checks of its scope and `X-Amz-Date` against AWS's rules, and AWS's errors.
//!
//! - `authorization`: the `Authorization` header parsed into key, scope, signed headers
//!   and signature;
//! - `amz_date`: `X-Amz-Date`, and the five-minute window around the wall clock;
//! - `error`: the AWS error for each way a request can fail, with AWS's wording;
//! - `signature`: the signature the request should carry, computed by aws-sigv4's own
//!   signer, and its constant-time comparison;
//! - `verify`: the checks in AWS's order, ending in the caller's account and region.

mod amz_date;
mod authorization;
mod error;
mod signature;
mod verify;

pub(crate) use verify::verify;
