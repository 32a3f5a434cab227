//! `cjh serve`: the emulator as a standalone server.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use cjh_emulator::{Emulator, Settings, read_credentials};

use super::setting_flags::SettingFlags;

/// Flags of `cjh serve`. Each setting flag overrides the settings file, which overrides
/// the default.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Loopback by default.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = 4566)]
    port: u16,
    /// TOML settings file (keys as in docs/settings.md).
    #[arg(long)]
    settings: Option<PathBuf>,
    /// F21, F22: TOML file of accepted keys, one table per key:
    /// `[[credential]]` with `access_key_id`, `secret_access_key` and `account_id`
    /// (12 digits; the account whose jobs the key sees and its ARNs carry).
    #[arg(long, value_name = "FILE", help_heading = "Authentication and control")]
    credentials: Option<PathBuf>,
    /// Every setting of the emulator, as a flag.
    #[command(flatten)]
    flags: SettingFlags,
}

/// The lifecycle durations a `lifecycle` preset fills in.
const DURATIONS: [&str; 3] = ["starting_secs", "compiling_secs", "stopping_secs"];

impl ServeArgs {
    /// The settings: defaults, then the file, then flags.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let mut table = match &self.settings {
            Some(path) => Settings::read_table(path)?,
            None => toml::Table::new(),
        };
        let given = &self.flags.given;
        if given.contains_key("lifecycle") {
            // A preset on the command line outranks durations from the file, as every
            // flag outranks the file; durations on the command line still win.
            for key in DURATIONS {
                if !given.contains_key(key) {
                    table.remove(key);
                }
            }
        }
        table.extend(given.clone());
        let mut s = Settings::from_table(table)?;
        if let Some(path) = &self.credentials {
            s.credentials = read_credentials(path)?;
        }
        s.check()?;
        Ok(s)
    }
}

/// Runs the server until SIGINT or SIGTERM.
pub(super) fn run(args: &ServeArgs) -> anyhow::Result<()> {
    let settings = args.settings()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let (emulator, notices) = Emulator::builder()
            .settings(settings)
            .host(args.host)
            .port(args.port)
            .open()?;
        for notice in notices {
            eprintln!("cjh: {notice}");
        }
        let bound = emulator.bind().await?;
        // Handlers go in before the ready line: a signal sent as soon as a supervisor
        // reads the line must stop the server cleanly, not kill it.
        let shutdown = shutdown_signal()?;
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on {}", bound.url())?;
        stdout.flush()?;
        bound.serve_until(shutdown).await?;
        Ok(())
    })
}

/// Installs SIGINT and SIGTERM handlers now; the future completes on either signal.
#[cfg(unix)]
pub(super) fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Ctrl-C where there are no Unix signals.
#[cfg(not(unix))]
pub(super) fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
