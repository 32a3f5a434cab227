//! Credentials for signing, from the AWS SDK's own provider chain (`aws-config`), so a
//! user who can run `aws sagemaker list-compilation-jobs` can sign cjh's requests too,
//! whatever the keys come from:
//!
//! 1. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional
//!    `AWS_SESSION_TOKEN`), unless a profile is named explicitly;
//! 2. the profile (the one named, else `AWS_PROFILE`, else `default`) in the shared
//!    config and credentials files (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`,
//!    else `~/.aws/`): static keys, `role_arn` with `source_profile` or
//!    `credential_source` (assume role through STS, in the region cjh signs for, at the
//!    profile's `endpoint_url` or `AWS_ENDPOINT_URL_STS` when set), `credential_process`,
//!    SSO (`sso_session`, `sso_start_url`) and `web_identity_token_file`;
//! 3. web identity from the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`);
//! 4. the container endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI` or `_RELATIVE_URI`);
//! 5. instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true`.
//!
//! The chain talks to STS, SSO, the container endpoint and instance metadata through
//! aws-smithy-http-client with rustls on ring, the TLS stack the rest of cjh uses; the
//! SDK's default client would bring aws-lc.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError as ChainError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::os_shim_internal::{Env, Fs};
use aws_types::region::Region;

/// Why no credentials could be had.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Only half of a key pair is in the environment.
    #[error(
        "the environment sets {present} but not {missing}: set both, or unset {present} to use a profile"
    )]
    Incomplete {
        /// The variable that is set.
        present: &'static str,
        /// The variable that is missing.
        missing: &'static str,
    },
    /// A profile was named (explicitly or by `AWS_PROFILE`) that neither file has.
    #[error(
        "profile '{profile}' is in neither {}: create it (aws configure --profile {profile}) or name another",
        show(files)
    )]
    ProfileNotFound {
        /// The profile.
        profile: String,
        /// The files looked in.
        files: Vec<PathBuf>,
    },
    /// No source in the chain had credentials.
    #[error(
        "no credentials for profile '{profile}': looked in {}; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure the profile (aws configure, or aws configure sso)",
        places.join(", ")
    )]
    NotFound {
        /// The profile looked for.
        profile: String,
        /// Every place the chain looked, in order.
        places: Vec<String>,
    },
    /// A source was found but could not deliver: a process failed, STS refused, an SSO
    /// session expired, a file is malformed.
    #[error(
        "credentials for profile '{profile}' could not be fetched: {detail}; {}",
        advice(profile, *sso)
    )]
    Failed {
        /// The profile in use.
        profile: String,
        /// The chain's error with its causes.
        detail: String,
        /// Whether the error is about SSO (the fix is then usually a new login).
        sso: bool,
    },
    /// The runtime that resolves credentials for sync callers could not start.
    #[error("cannot start a runtime to fetch credentials: {0}")]
    Runtime(#[source] std::io::Error),
}

fn advice(profile: &str, sso: bool) -> String {
    if sso {
        format!("log in again (aws sso login --profile {profile}) or fix its sso_* settings")
    } else {
        "fix the setting or the source it names, in the profile or the environment".to_owned()
    }
}

fn show(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(" nor ")
}

/// Credentials from the chain, for sync code (the CLI commands). Inside a tokio runtime
/// it resolves on a runtime of its own in a scoped thread, so it never blocks the
/// caller's runtime on itself. `region` is where STS is asked when a profile assumes a
/// role.
pub fn resolve(profile: Option<&str>, region: &str) -> Result<Credentials, CredentialsError> {
    Environment::process().resolve(profile, region)
}

/// [`resolve`] for async code.
pub async fn resolve_async(
    profile: Option<&str>,
    region: &str,
) -> Result<Credentials, CredentialsError> {
    Environment::process()
        .chain(profile, region)
        .await?
        .credentials()
        .await
}

/// A provider for long-running processes (a recording proxy): it resolves once now, so a
/// misconfigured profile fails at start with a [`CredentialsError`], then hands out the
/// same credentials until five minutes before they expire and fetches new ones from the
/// chain (new STS, container or instance-metadata credentials, a fresh
/// `credential_process` run). Static keys never expire and are never fetched again.
///
/// Call [`ProvideCredentials::provide_credentials`] per request and sign with
/// [`super::Signer::new`]; errors then are the SDK's. The provider uses the runtime it
/// was created in: create it inside the runtime that serves.
pub async fn provider(
    profile: Option<&str>,
    region: &str,
) -> Result<SharedCredentialsProvider, CredentialsError> {
    Environment::process()
        .chain(profile, region)
        .await?
        .refreshing()
        .await
}

/// Credentials that are this close to expiring are fetched again.
const REFRESH_BEFORE: Duration = Duration::from_secs(5 * 60);

/// The variables of static keys in the environment, ignored when a profile is named.
const STATIC_KEYS: [&str; 3] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// The environment the chain reads, as a snapshot: the process's, or a test's. The
/// files it names are read from disk.
#[derive(Debug, Clone)]
struct Environment(HashMap<String, String>);

impl Environment {
    /// The process's variables (those that are not Unicode cannot name AWS settings).
    fn process() -> Environment {
        Environment(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        )
    }

    /// A variable that is set and not blank.
    fn var(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// [`resolve`] in this environment.
    fn resolve(
        &self,
        profile: Option<&str>,
        region: &str,
    ) -> Result<Credentials, CredentialsError> {
        block_on(async { self.chain(profile, region).await?.credentials().await })?
    }

    /// The SDK's chain for this environment and profile choice.
    async fn chain(&self, profile: Option<&str>, region: &str) -> Result<Chain, CredentialsError> {
        let mut vars = self.0.clone();
        if profile.is_some() {
            // `--profile` beats the environment, as it does for the AWS CLI.
            for key in STATIC_KEYS {
                vars.remove(key);
            }
        } else {
            self.check_key_pair()?;
        }
        let selected = profile
            .or_else(|| self.var("AWS_PROFILE"))
            .unwrap_or("default")
            .to_owned();
        let env = Env::from(vars);
        if profile.is_some() || self.var("AWS_PROFILE").is_some() {
            // A profile asked for by name must exist: the chain would otherwise go on to
            // the container and instance metadata and end with a vaguer error. A file
            // that does not parse is left for the chain to report.
            // The default files: the ones the environment names, else ~/.aws/.
            let files = Default::default();
            if let Ok(set) = aws_config::profile::load(&Fs::real(), &env, &files, None).await
                && set.get_profile(&selected).is_none()
            {
                return Err(CredentialsError::ProfileNotFound {
                    profile: selected,
                    files: self.profile_files(),
                });
            }
        }
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .http_client(https_client())
            .env(env);
        if let Some(name) = profile {
            loader = loader.profile_name(name);
        }
        let config = loader.load().await;
        let places = self.places(profile.is_none(), &selected);
        let Some(provider) = config.credentials_provider() else {
            return Err(CredentialsError::NotFound {
                profile: selected,
                places,
            });
        };
        Ok(Chain {
            provider,
            profile: selected,
            places,
        })
    }

    /// Half a key pair is an error, not a silent fall-through to the profile.
    fn check_key_pair(&self) -> Result<(), CredentialsError> {
        let (key, secret) = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        match (self.var(key).is_some(), self.var(secret).is_some()) {
            (true, false) => Err(CredentialsError::Incomplete {
                present: key,
                missing: secret,
            }),
            (false, true) => Err(CredentialsError::Incomplete {
                present: secret,
                missing: key,
            }),
            _ => Ok(()),
        }
    }

    /// The shared credentials and config files the chain reads, for messages.
    fn profile_files(&self) -> Vec<PathBuf> {
        let home = self.var("HOME").or_else(|| self.var("USERPROFILE"));
        let locate = |variable: &str, file: &str| match self.var(variable) {
            Some(path) => expand_home(path, home.map(Path::new)),
            None => Path::new(home.unwrap_or("~")).join(".aws").join(file),
        };
        vec![
            locate("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            locate("AWS_CONFIG_FILE", "config"),
        ]
    }

    /// Where the chain looks, in its order, for a "no credentials" message.
    fn places(&self, with_environment: bool, profile: &str) -> Vec<String> {
        let mut places = Vec::new();
        if with_environment {
            places.push("the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)".to_owned());
        }
        let files = self.profile_files();
        places.push(format!(
            "profile '{profile}' in {}",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(" and ")
        ));
        places.push("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)".to_owned());
        places.push(
            "the container endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)"
                .to_owned(),
        );
        let disabled = self
            .var("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        places.push(if disabled {
            "instance metadata (off: AWS_EC2_METADATA_DISABLED)".to_owned()
        } else {
            "instance metadata".to_owned()
        });
        places
    }
}

/// `~/x` as the SDKs read it.
fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// The HTTP client of the chain: rustls on ring.
fn https_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// Runs a future to completion from sync code, on a current-thread runtime of its own;
/// in a scoped thread when the caller is already inside a runtime.
fn block_on<T: Send>(work: impl Future<Output = T> + Send) -> Result<T, CredentialsError> {
    let run = move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|runtime| runtime.block_on(work))
            .map_err(CredentialsError::Runtime)
    };
    if tokio::runtime::Handle::try_current().is_err() {
        return run();
    }
    std::thread::scope(|scope| {
        scope
            .spawn(run)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The SDK's chain with what it takes to explain a failure.
#[derive(Debug)]
struct Chain {
    provider: SharedCredentialsProvider,
    profile: String,
    places: Vec<String>,
}

impl Chain {
    /// Credentials now.
    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        self.provider
            .provide_credentials()
            .await
            .map_err(|error| self.explain(&error))
    }

    /// A provider that caches these credentials until they are about to expire.
    async fn refreshing(self) -> Result<SharedCredentialsProvider, CredentialsError> {
        let current = self.credentials().await?;
        Ok(SharedCredentialsProvider::new(Refreshing::new(
            self.provider,
            current,
        )))
    }

    /// The chain's error as one of ours.
    fn explain(&self, error: &ChainError) -> CredentialsError {
        if matches!(error, ChainError::CredentialsNotLoaded(_)) {
            return CredentialsError::NotFound {
                profile: self.profile.clone(),
                places: self.places.clone(),
            };
        }
        let mut detail = error.to_string();
        let mut cause = std::error::Error::source(error);
        while let Some(error) = cause {
            let text = error.to_string();
            let text = text.trim_end();
            if !detail.ends_with(text) {
                detail.push_str(": ");
                detail.push_str(text);
            }
            cause = error.source();
        }
        CredentialsError::Failed {
            profile: self.profile.clone(),
            sso: detail.to_ascii_lowercase().contains("sso"),
            detail,
        }
    }
}

/// Credentials kept until [`REFRESH_BEFORE`] their expiry, then fetched again.
#[derive(Debug)]
struct Refreshing {
    chain: SharedCredentialsProvider,
    current: tokio::sync::Mutex<Credentials>,
}

impl Refreshing {
    fn new(chain: SharedCredentialsProvider, current: Credentials) -> Refreshing {
        Refreshing {
            chain,
            current: tokio::sync::Mutex::new(current),
        }
    }
}

impl ProvideCredentials for Refreshing {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            // One fetch at a time: requests that arrive meanwhile wait for its result.
            let mut current = self.current.lock().await;
            if current
                .expiry()
                .is_some_and(|at| at <= SystemTime::now() + REFRESH_BEFORE)
            {
                *current = self.chain.provide_credentials().await?;
            }
            Ok(current.clone())
        })
    }
}

#[cfg(test)]
mod tests;
