//! Targets: anything that answers AWS JSON 1.1 requests. The runner talks to all of them
//! through [`Target`] with [`Request`]s whose bodies are whatever the scenario says, so a
//! scenario can send what an SDK would refuse; the only difference it sees is a
//! declared capability, a virtual clock. Every target hands back the request as it
//! actually went out (the headers it added, signatures included) with the answer, so a
//! recorder keeps what was sent rather than what it supposes was.

pub mod credentials;
mod emulator;
pub(crate) mod polling;
mod recording;
mod replay;
mod sign;
mod url;

use std::future::Future;
use std::pin::Pin;

pub use credentials::CredentialsError;
pub use emulator::EmulatorTarget;
pub use recording::RecordingTarget;
pub use replay::ReplayTarget;
pub use sign::{SIGNING_NAME, Signer};
pub use url::{UrlTarget, https_client};

use cjh_emulator::Settings;

use crate::exchange::{Exchange, Request};

/// A boxed future, so targets can be used as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A target could not be reached or answered with something that is not HTTP.
#[derive(Debug, thiserror::Error)]
#[error("target {target}: {problem}")]
pub struct TargetError {
    /// The target's label.
    pub target: String,
    /// What went wrong.
    pub problem: String,
}

/// Something that answers AWS JSON 1.1.
pub trait Target: Send + Sync {
    /// A short label for reports (`emulator`, `http://127.0.0.1:5000`).
    fn label(&self) -> String;
    /// Sends one request; answers with it as sent and the response as received.
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Exchange, TargetError>>;
    /// The target's virtual clock, if it has one: waits then cost no real time.
    fn clock(&self) -> Option<&dyn VirtualClock> {
        None
    }
}

/// A clock the runner may move.
pub trait VirtualClock: Send + Sync {
    /// Moves the clock forward.
    fn advance(&self, secs: f64);
}

/// Which target to run against, as given on the command line.
#[derive(Debug, Clone)]
pub enum TargetSpec {
    /// A fresh in-process emulator for every scenario.
    Emulator(Box<Settings>),
    /// An endpoint, shared by all scenarios (isolated by name prefix), with a signer
    /// when requests must be SigV4-signed.
    Url(String, Option<Signer>),
}

impl TargetSpec {
    /// `emulator` or an `http://` / `https://` URL.
    pub fn parse(text: &str) -> Result<TargetSpec, String> {
        if text == "emulator" {
            Ok(TargetSpec::Emulator(Box::new(
                EmulatorTarget::scenario_settings(),
            )))
        } else if text.starts_with("http://") || text.starts_with("https://") {
            Ok(TargetSpec::Url(text.trim_end_matches('/').to_owned(), None))
        } else {
            Err(format!(
                "target '{text}' is neither 'emulator' nor an http:// URL"
            ))
        }
    }

    /// The same target with requests signed by `signer` (URL targets only).
    pub fn signed(self, signer: Signer) -> Result<TargetSpec, String> {
        match self {
            TargetSpec::Url(url, _) => Ok(TargetSpec::Url(url, Some(signer))),
            TargetSpec::Emulator(_) => Err("only URL targets are signed".to_owned()),
        }
    }

    /// The target's name in test names and reports.
    pub fn label(&self) -> String {
        match self {
            TargetSpec::Emulator(_) => "emulator".to_owned(),
            TargetSpec::Url(url, _) => url.clone(),
        }
    }

    /// A target for one scenario run.
    pub fn open(&self) -> Result<Box<dyn Target>, TargetError> {
        match self {
            TargetSpec::Emulator(settings) => {
                Ok(Box::new(EmulatorTarget::new((**settings).clone())))
            }
            TargetSpec::Url(url, signer) => Ok(Box::new(UrlTarget::new(url, signer.clone())?)),
        }
    }

    /// A target for one scenario run in `region`: a URL target's requests go to that
    /// region; an emulator is fresh per run, so isolated already.
    pub fn open_in(&self, region: Option<&str>) -> Result<Box<dyn Target>, TargetError> {
        match (self, region) {
            (TargetSpec::Url(url, signer), Some(region)) => Ok(Box::new(
                UrlTarget::new(url, signer.clone())?.in_region(region),
            )),
            _ => self.open(),
        }
    }
}
