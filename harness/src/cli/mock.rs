//! `cjh mock`: recordings served as a mock server, for clients outside a Rust test.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::mock::MatchRules;
use crate::recording::Recording;

use super::serve::shutdown_signal;

/// Flags of `cjh mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// A recording file, or a folder: every recording below it is served.
    #[arg(long)]
    recording: PathBuf,
    /// Address to listen on. Loopback by default.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on (the same default as `cjh serve`, so one endpoint setting
    /// serves both); 0 picks a free port.
    #[arg(long, default_value_t = 4566)]
    port: u16,
    /// Matching rules (TOML: correlate, ignore, regex members); by default the file
    /// beside the recording (`NAME.rules.toml`, or `rules.toml` in a folder), if any.
    #[arg(long)]
    rules: Option<PathBuf>,
}

/// Serves the recordings until SIGINT or SIGTERM.
pub(super) fn run(args: &MockArgs) -> anyhow::Result<()> {
    let recordings = Recording::load_all(&args.recording)?;
    if recordings.is_empty() {
        anyhow::bail!("{}: no recordings found", args.recording.display());
    }
    let rules = match &args.rules {
        Some(path) => MatchRules::load(path)?,
        None => MatchRules::load_beside(&args.recording)?,
    };
    let exchanges: usize = recordings.iter().map(|r| r.exchanges.len()).sum();
    let addr = std::net::SocketAddr::new(args.host, args.port);
    let listener =
        std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener
        .local_addr()
        .context("cannot read the bound address")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        // Handlers go in before the ready line, as in `cjh serve`: a signal sent as soon
        // as a supervisor reads the line must stop the server cleanly, not kill it.
        let shutdown = shutdown_signal()?;
        // A long-lived server: wiremock-rs would otherwise keep every request it saw.
        let server = crate::mock::MockServer::builder()
            .listener(listener)
            .disable_request_recording()
            .start()
            .await;
        crate::mock::mount_with(&server, &recordings, &rules).await;
        if !rules.correlate.is_empty() {
            eprintln!("correlating {}", rules.correlate.join(", "));
        }
        eprintln!(
            "serving {exchanges} recorded exchanges from {} recording(s)",
            recordings.len()
        );
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on http://{bound}")?;
        stdout.flush()?;
        shutdown.await;
        drop(server);
        Ok(())
    })
}
