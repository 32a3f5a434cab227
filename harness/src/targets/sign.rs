//! SigV4 signing of requests to URL targets, with credentials from the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`) or the
//! AWS SDK's chain in [`super::credentials`].
//! Signing happens here, in the harness, because a proxy in front of the target would
//! break signatures.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use super::credentials::{self, CredentialsError};

/// The SigV4 signing name of SageMaker.
pub const SIGNING_NAME: &str = "sagemaker";

/// Signs requests for one region.
#[derive(Debug, Clone)]
pub struct Signer {
    credentials: Credentials,
    region: String,
    name: String,
}

impl Signer {
    /// A signer with these credentials.
    pub fn new(credentials: Credentials, region: &str) -> Signer {
        Signer {
            credentials,
            region: region.to_owned(),
            name: SIGNING_NAME.to_owned(),
        }
    }

    /// The same signer with another signing name: for an endpoint behind something that
    /// expects its own name, or to check that a server refuses a signature scoped to
    /// another service.
    pub fn with_signing_name(mut self, name: &str) -> Signer {
        self.name = name.to_owned();
        self
    }

    /// The same signer for another region: each worker of a parallel run signs for a
    /// region of its own.
    pub fn in_region(mut self, region: &str) -> Signer {
        self.region = region.to_owned();
        self
    }

    /// A signer with credentials from the standard environment variables.
    pub fn from_env(region: &str) -> Result<Signer, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let (Some(key), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY"))
        else {
            return Err("signing needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY".to_owned());
        };
        let credentials =
            Credentials::new(key, secret, var("AWS_SESSION_TOKEN"), None, "environment");
        Ok(Signer::new(credentials, region))
    }

    /// A signer with credentials found the way the AWS CLI finds them (the SDK's chain,
    /// see [`super::credentials`]): the environment unless `profile` is named, then the
    /// profile (named, else `AWS_PROFILE`, else `default`) with whatever source it
    /// uses (keys, assume role, `credential_process`, SSO, web identity), then the
    /// container endpoint and instance metadata. A role is assumed in `region`. Works
    /// from sync code and from inside a tokio runtime; the credentials are fetched once,
    /// so a long-running process that outlives temporary ones uses
    /// [`super::credentials::provider`] instead.
    pub fn from_chain(region: &str, profile: Option<&str>) -> Result<Signer, CredentialsError> {
        Ok(Signer::new(credentials::resolve(profile, region)?, region))
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Adds the SigV4 headers (Authorization, X-Amz-Date, and the session token if any)
    /// to a request whose headers, including Host, are final.
    pub fn sign<B>(&self, request: &mut http::Request<B>, body: &[u8]) -> Result<(), String> {
        let identity: Identity = self.credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.name)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| e.to_string())?
            .into();
        let headers: Vec<(&str, &str)> = request
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        let uri = request.uri().to_string();
        let signable = SignableRequest::new(
            request.method().as_str(),
            uri,
            headers.into_iter(),
            SignableBody::Bytes(body),
        )
        .map_err(|e| e.to_string())?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| e.to_string())?
            .into_parts();
        instructions.apply_to_request_http1x(request);
        Ok(())
    }
}
