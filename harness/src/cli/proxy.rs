//! `cjh proxy`: record an application's traffic to AWS (or any endpoint) while keeping
//! its SigV4 signatures valid (see [`crate::proxy`]).
//!
//! Exit codes: 0 after SIGINT or SIGTERM with the recording complete; 1 when the
//! recording could not be written or no credentials were found; 2 on a refused flag.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::exit::{Exit, unusable};
use super::serve::shutdown_signal;
use crate::mock::MatchRules;
use crate::proxy::{Proxy, ProxyConfig, ProxyError, Upstream};
use crate::targets::credentials;

/// Flags of `cjh proxy`.
#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// Where requests go: `aws` (SageMaker's endpoint in --region, over HTTPS) or an
    /// http(s):// URL.
    #[arg(long, value_parser = Upstream::parse)]
    upstream: Upstream,
    /// The region requests are signed for, and with `aws` the endpoint's region.
    #[arg(long, env = "AWS_REGION", default_value = "us-east-1")]
    region: String,
    /// The profile whose credentials sign the forwarded requests (else the AWS SDK's
    /// chain: the environment, then AWS_PROFILE or `default` with keys, assume role,
    /// credential_process or SSO, then the container endpoint and instance metadata).
    /// Temporary credentials are fetched again before they expire.
    #[arg(long)]
    profile: Option<String>,
    /// The recording to write (JSON Lines, one exchange per line, flushed each time).
    #[arg(long, value_name = "FILE")]
    record: PathBuf,
    /// The name in the recording's header; the file's stem by default.
    #[arg(long)]
    name: Option<String>,
    /// A request member the application generates anew each run (a job name from the
    /// clock): written to the rules file beside the recording (`NAME.rules.toml`), so
    /// `cjh mock` matches it by correlation. Repeatable.
    #[arg(long, value_name = "MEMBER")]
    correlate: Vec<String>,
    /// Address to listen on. Only loopback unless --share-my-credentials-with-the-network.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 4567)]
    port: u16,
    /// Seconds the upstream may take to answer before the client gets 504.
    #[arg(long, default_value_t = 60.0)]
    upstream_timeout_secs: f64,
    /// Listen on a non-loopback --host: anyone who can reach it gets requests signed
    /// with your credentials.
    #[arg(long)]
    share_my_credentials_with_the_network: bool,
}

impl ProxyArgs {
    fn config(&self) -> Result<ProxyConfig, ProxyError> {
        if !self.host.is_loopback() && !self.share_my_credentials_with_the_network {
            return Err(ProxyError::NotLoopback { host: self.host });
        }
        let name = self.name.clone().unwrap_or_else(|| {
            self.record
                .file_stem()
                .map_or_else(|| "proxy".to_owned(), |s| s.to_string_lossy().into_owned())
        });
        Ok(ProxyConfig {
            upstream: self.upstream.clone(),
            region: self.region.clone(),
            record: self.record.clone(),
            name,
            host: self.host,
            port: self.port,
            upstream_timeout: Duration::from_secs_f64(self.upstream_timeout_secs.max(0.001)),
        })
    }
}

/// Runs the proxy until SIGINT or SIGTERM.
pub(super) fn run(args: &ProxyArgs) -> anyhow::Result<Exit> {
    let config = args
        .config()
        .map_err(|refused| unusable(format!("proxy: {refused}")))?;
    if !args.correlate.is_empty() {
        let rules = MatchRules {
            correlate: args.correlate.clone(),
            ..MatchRules::default()
        };
        let path = MatchRules::beside(&config.record);
        std::fs::write(&path, rules.to_toml())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        // Resolved once now, so a broken profile fails at start; refreshed before expiry.
        let credentials = credentials::provider(args.profile.as_deref(), &config.region).await?;
        let proxy = Proxy::bind(&config, credentials).await?;
        // Handlers go in before the ready line, as for `cjh serve`.
        let shutdown = shutdown_signal()?;
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on {}", proxy.url())?;
        stdout.flush()?;
        let written = proxy.serve_until(shutdown).await?;
        eprintln!(
            "cjh proxy: {written} exchanges recorded in {}",
            config.record.display()
        );
        Ok(Exit::Passed)
    })
}
