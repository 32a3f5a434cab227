//! `cjh serve`: the emulator as a standalone server.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use cjh_emulator::{
    ArnCase, AuthMode, ClockMode, DefaultSortOrder, Emulator, LifecyclePreset, NameMatch, NotFound,
    Paging, Settings, TimeBounds, read_credentials,
};

use super::choice::choice;

/// Flags of `cjh serve`. Each fidelity flag overrides the settings file, which overrides
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
    /// Clock driving the lifecycle.
    #[arg(long, value_parser = choice::<ClockMode>())]
    clock: Option<ClockMode>,
    /// Lifecycle durations by name: `fast` (1 s, 3 s, 1 s; the default), `instant` (a job
    /// is finished by the next request, as moto's are) or `realistic` (120 s, 180 s,
    /// 30 s). --starting-secs, --compiling-secs and --stopping-secs still win.
    #[arg(long, value_parser = choice::<LifecyclePreset>())]
    lifecycle: Option<LifecyclePreset>,
    /// Seconds a job stays STARTING (fractions allowed).
    #[arg(long)]
    starting_secs: Option<f64>,
    /// Seconds a job compiles before its outcome.
    #[arg(long)]
    compiling_secs: Option<f64>,
    /// Seconds a job stays STOPPING.
    #[arg(long)]
    stopping_secs: Option<f64>,
    /// F1: page size when MaxResults is omitted.
    #[arg(long)]
    default_max_results: Option<u32>,
    /// F2: paging mode.
    #[arg(long, value_parser = choice::<Paging>())]
    paging: Option<Paging>,
    /// F3: NameContains matching.
    #[arg(long, value_parser = choice::<NameMatch>())]
    name_contains: Option<NameMatch>,
    /// F4: time filter bounds.
    #[arg(long, value_parser = choice::<TimeBounds>())]
    time_bounds: Option<TimeBounds>,
    /// F7: the order of a List that names no SortOrder.
    #[arg(long, value_parser = choice::<DefaultSortOrder>())]
    default_sort_order: Option<DefaultSortOrder>,
    /// F8: the error for an unknown job.
    #[arg(long, value_parser = choice::<NotFound>())]
    not_found: Option<NotFound>,
    /// F10: case of the name inside the ARN.
    #[arg(long, value_parser = choice::<ArnCase>())]
    arn_case: Option<ArnCase>,
    /// F14: fail jobs whose input is not a .tar.gz.
    #[arg(long)]
    fail_unless_tar_gz: Option<bool>,
    /// F14: fail jobs that outlast MaxRuntimeInSeconds.
    #[arg(long)]
    enforce_max_runtime: Option<bool>,
    /// F17: secret for page tokens; tokens survive a restart with the same key.
    #[arg(long, env = "CJH_TOKEN_KEY", hide_env_values = true)]
    token_key: Option<String>,
    /// Jobs allowed in STARTING/INPROGRESS/STOPPING at once; unlimited by default.
    #[arg(long)]
    max_concurrent_jobs: Option<u32>,
    /// Default region for requests without a SigV4 credential scope; with --pin-region,
    /// the only region a signature may be scoped to.
    #[arg(long)]
    region: Option<String>,
    /// Account id in ARNs.
    #[arg(long)]
    account_id: Option<String>,
    /// Largest accepted request body, in bytes.
    #[arg(long)]
    max_body_bytes: Option<usize>,
    /// Seconds a client may take to send a request's headers, and then its body; a
    /// stalled body gets 408 RequestTimeoutException, stalled headers a closed connection.
    #[arg(long)]
    read_timeout_secs: Option<f64>,
    /// F21: `sigv4` refuses HTTP requests without a valid SigV4 signature from a key in
    /// the credentials table (403); `none` accepts any or no signature.
    #[arg(long, value_parser = choice::<AuthMode>())]
    auth: Option<AuthMode>,
    /// F21, F22: TOML file of accepted keys, one table per key:
    /// `[[credential]]` with `access_key_id`, `secret_access_key` and `account_id`
    /// (12 digits; the account whose jobs the key sees and its ARNs carry).
    #[arg(long, value_name = "FILE")]
    credentials: Option<PathBuf>,
    /// F22: with --auth sigv4, refuse signatures scoped to any region but --region
    /// (403 InvalidSignatureException), as a regional AWS endpoint does.
    #[arg(long)]
    pin_region: bool,
    /// Keep every acknowledged change in an SQLite database in this directory (committed
    /// before answering) and restore it at start, page-token key included; memory only
    /// by default.
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Connections served at once; one more is answered 503 ServiceUnavailable and closed.
    #[arg(long)]
    max_connections: Option<usize>,
    /// Largest request line plus headers, in bytes (1024-65536); over it, 431.
    #[arg(long)]
    max_header_bytes: Option<usize>,
    /// Most header fields in a request (8-1000); over it, 431.
    #[arg(long)]
    max_headers: Option<usize>,
    /// Requests per second per account and region; over it, 400 ThrottlingException
    /// "Rate exceeded". Unlimited by default.
    #[arg(long)]
    request_rate: Option<f64>,
    /// Requests allowed at once after a quiet spell (the token bucket's size); the rate
    /// rounded up by default.
    #[arg(long)]
    request_burst: Option<u32>,
    /// Fault injection: fraction (0-1) of API requests answered 400 ThrottlingException.
    #[arg(long)]
    fault_throttling: Option<f64>,
    /// Fault injection: fraction (0-1) of API requests answered 500 InternalFailure.
    #[arg(long)]
    fault_internal_failure: Option<f64>,
    /// Fault injection: fraction (0-1) of API requests delayed by --fault-latency-ms.
    #[arg(long)]
    fault_latency: Option<f64>,
    /// Fault injection: the delay in milliseconds (default 1000).
    #[arg(long)]
    fault_latency_ms: Option<u64>,
    /// Fault injection: the seed; the same seed faults the same request numbers.
    #[arg(long)]
    fault_seed: Option<u64>,
    /// API requests the journal (GET /_cjh/requests) keeps, the most recent; 0 keeps
    /// none. Default 10000.
    #[arg(long)]
    journal_size: Option<usize>,
    /// Bytes of request and response bodies the journal keeps (at least 1024); the
    /// oldest requests go first. Default 64 MiB.
    #[arg(long)]
    journal_bytes: Option<usize>,
    /// Bearer token the control endpoints that read or change state require (sent as
    /// `Authorization: Bearer TOKEN`). Needed off loopback and with --auth sigv4; health
    /// checks stay open.
    #[arg(long, env = "CJH_CONTROL_TOKEN", hide_env_values = true)]
    control_token: Option<String>,
    /// Leave the control endpoints open off loopback without a token: anyone who reaches
    /// the port can then reset every job and read every request.
    #[arg(long)]
    open_control_endpoints: bool,
}

impl ServeArgs {
    /// The settings: defaults, then the file, then flags.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let mut s = match &self.settings {
            Some(path) => Settings::from_file(path)?,
            None => Settings::default(),
        };
        if let Some(preset) = self.lifecycle {
            s.apply_lifecycle(preset);
        }
        macro_rules! apply {
            ($($field:ident),*) => { $( if let Some(v) = self.$field.clone() { s.$field = v.into(); } )* };
        }
        apply!(
            clock,
            starting_secs,
            compiling_secs,
            stopping_secs,
            default_max_results,
            paging,
            name_contains,
            time_bounds,
            default_sort_order,
            not_found,
            arn_case,
            fail_unless_tar_gz,
            enforce_max_runtime,
            token_key,
            max_concurrent_jobs,
            region,
            account_id,
            max_body_bytes,
            state_dir,
            max_connections,
            max_header_bytes,
            max_headers,
            request_rate,
            request_burst,
            fault_throttling,
            fault_internal_failure,
            fault_latency,
            fault_latency_ms,
            fault_seed,
            journal_size,
            journal_bytes,
            control_token,
            read_timeout_secs,
            auth
        );
        if let Some(path) = &self.credentials {
            s.credentials = read_credentials(path)?;
        }
        if self.pin_region {
            s.pin_region = true;
        }
        if self.open_control_endpoints {
            s.open_control_endpoints = true;
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
