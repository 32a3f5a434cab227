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
    /// Stop, as on SIGTERM, when standard input closes: a supervisor that holds the pipe
    /// (such as the Python package) takes the server down with it even when it is killed
    /// with SIGKILL and can run no clean-up of its own.
    #[arg(long)]
    exit_with_stdin: bool,
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

/// Runs the server until SIGINT or SIGTERM (or, with `--exit-with-stdin`, the end of
/// standard input).
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
        let signal = shutdown_signal()?;
        let stdin_closed = stdin_closed(args.exit_with_stdin);
        let shutdown = async move {
            tokio::select! {
                () = signal => {}
                () = stdin_closed => {}
            }
        };
        let mut stdout = std::io::stdout();
        writeln!(stdout, "listening on {}", bound.url())?;
        stdout.flush()?;
        bound.serve_until(shutdown).await?;
        Ok(())
    })
}

/// Completes when standard input reaches its end (or fails to read); never when `watch` is
/// false. The read runs on a plain thread rather than tokio's blocking pool, because the
/// runtime waits for blocking tasks when it shuts down and a read of an open pipe never
/// ends; the thread dies with the process.
fn stdin_closed(watch: bool) -> impl std::future::Future<Output = ()> {
    let closed = watch.then(|| {
        let (sender, receiver) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            // Whatever arrives is discarded: only the end of the pipe matters.
            let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            let _ = sender.send(());
        });
        receiver
    });
    async move {
        match closed {
            Some(receiver) => {
                let _ = receiver.await;
            }
            None => std::future::pending().await,
        }
    }
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
