//! `cargo xtask record`: runs scenarios on a target through a [`RecordingTarget`],
//! scrubs what it saw, writes it as recordings, and proposes snapshot updates for review
//! (`.snap.new` files for `cargo insta review`), never accepting them itself.
//!
//! On a shared target (AWS or a URL) it first refuses an account that already has jobs
//! (they would change every page the scenarios read), and it cleans up the jobs it made
//! (stop, then delete) after every scenario, after a failure, and on Ctrl-C.

use std::path::{Path, PathBuf};
use std::sync::PoisonError;
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::compare::{normalize, read_snapshot};
use crate::runner::{call, new_prefix, run};
use crate::scenario::Profile;
use crate::scenario::{Scenario, discover};
use crate::targets::polling;
use crate::targets::{Signer, Target, TargetSpec};

use crate::recording::scrub::RULES;
use crate::recording::{Provenance, RecordingWriter, Source, recording_path, timestamp};
use crate::targets::RecordingTarget;

/// The name prefix of recordings made on the in-process emulator, as long as a run
/// prefix (some scenarios test name lengths): each scenario gets a
/// fresh emulator, so a fixed prefix cannot collide, and it keeps re-recordings stable.
pub const EMULATOR_PREFIX: &str = "cjhrecorded";

/// Where to record.
#[derive(Debug, Clone)]
pub enum RecordTarget {
    /// A fresh in-process emulator per scenario.
    Emulator,
    /// An endpoint, signed when a signer is given.
    Url(String, Option<Signer>),
    /// Amazon SageMaker in the signer's region.
    Aws(Signer),
}

impl RecordTarget {
    fn source(&self) -> Source {
        match self {
            RecordTarget::Emulator => Source::Emulator,
            RecordTarget::Url(..) => Source::Url,
            RecordTarget::Aws(_) => Source::Aws,
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> String {
        match self {
            RecordTarget::Emulator => "emulator".to_owned(),
            RecordTarget::Url(url, _) => url.clone(),
            RecordTarget::Aws(signer) => {
                format!("https://api.sagemaker.{}.amazonaws.com", signer.region())
            }
        }
    }

    fn region(&self) -> String {
        match self {
            RecordTarget::Url(_, Some(signer)) | RecordTarget::Aws(signer) => {
                signer.region().to_owned()
            }
            _ => "us-east-1".to_owned(),
        }
    }

    fn spec(&self) -> TargetSpec {
        match self {
            RecordTarget::Emulator => {
                TargetSpec::Emulator(Box::new(crate::targets::EmulatorTarget::scenario_settings()))
            }
            RecordTarget::Url(url, signer) => TargetSpec::Url(url.clone(), signer.clone()),
            RecordTarget::Aws(signer) => TargetSpec::Url(self.endpoint(), Some(signer.clone())),
        }
    }

    fn shared(&self) -> bool {
        !matches!(self, RecordTarget::Emulator)
    }
}

/// What to record and where to put it.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    /// The target.
    pub target: RecordTarget,
    /// The scenario folder.
    pub scenarios: PathBuf,
    /// The recordings folder.
    pub recordings: PathBuf,
    /// Only scenarios whose id contains this.
    pub filter: Option<String>,
    /// Record even when the account has jobs this run did not make.
    pub allow_foreign_jobs: bool,
    /// The values fixtures need (role, model, output) on the target.
    pub profile: Profile,
}

/// What a recording run did.
#[derive(Debug, Clone, Default)]
pub struct RecordSummary {
    /// Recordings written.
    pub written: Vec<PathBuf>,
    /// Snapshot updates proposed (`.snap.new` files) for review.
    pub proposed: Vec<PathBuf>,
    /// Scenarios whose facts or invariants broke on the target, with what broke; their
    /// recordings are written all the same, as evidence.
    pub failed: Vec<(String, String)>,
    /// Jobs that could not be cleaned up (still running when the wait ran out).
    pub left_behind: Vec<String>,
}

/// Why a recording run could not go on.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A scenario file is invalid.
    #[error("invalid scenario: {0}")]
    Scenario(String),
    /// Nothing matched the filter.
    #[error("no scenario in {0} matches")]
    NothingSelected(PathBuf),
    /// The account already has jobs.
    #[error(
        "the account already has {count} compilation job(s) in this region that this run did not make (first: {}); they would change the pages scenarios read. Delete them, use another region, or pass --allow-foreign-jobs",
        first.join(", ")
    )]
    ForeignJobs {
        /// How many.
        count: usize,
        /// Up to five names.
        first: Vec<String>,
    },
    /// The target failed.
    #[error("{0}")]
    Target(String),
    /// A file could not be written.
    #[error("{0}")]
    Write(String),
    /// Ctrl-C: the jobs made so far were cleaned up, but for `left`.
    #[error(
        "interrupted; cleaned up {cleaned} job(s) this run made{}",
        left_over(left)
    )]
    Interrupted {
        /// Jobs stopped and deleted.
        cleaned: usize,
        /// Jobs that did not end in time and are still there.
        left: Vec<String>,
    },
}

fn left_over(left: &[String]) -> String {
    if left.is_empty() {
        String::new()
    } else {
        format!("; still there (delete them by hand): {}", left.join(", "))
    }
}

/// Records every chosen scenario; `progress` hears one line per scenario.
pub async fn record(
    options: &RecordOptions,
    mut progress: impl FnMut(&str),
) -> Result<RecordSummary, RecordError> {
    let (scenarios, errors) = discover(&options.scenarios);
    if let Some(error) = errors.first() {
        return Err(RecordError::Scenario(error.to_string()));
    }
    let selected: Vec<Scenario> = scenarios
        .into_iter()
        .filter(|s| {
            options
                .filter
                .as_ref()
                .is_none_or(|f| s.id.contains(f.as_str()))
        })
        .collect();
    if selected.is_empty() {
        return Err(RecordError::NothingSelected(options.scenarios.clone()));
    }
    let spec = options.target.spec();
    if options.target.shared() && !options.allow_foreign_jobs {
        let target = spec
            .open()
            .map_err(|e| RecordError::Target(e.to_string()))?;
        let names = all_job_names(target.as_ref()).await?;
        if !names.is_empty() {
            return Err(RecordError::ForeignJobs {
                count: names.len(),
                first: names.into_iter().take(5).collect(),
            });
        }
    }
    let mut summary = RecordSummary::default();
    for scenario in &selected {
        let prefix = if options.target.shared() {
            new_prefix()
        } else {
            EMULATOR_PREFIX.to_owned()
        };
        let inner = spec
            .open()
            .map_err(|e| RecordError::Target(e.to_string()))?;
        let provenance = Provenance {
            source: options.target.source(),
            endpoint: options.target.endpoint(),
            region: options.target.region(),
            recorded_at: timestamp(SystemTime::now()),
            cjh_version: env!("CARGO_PKG_VERSION").to_owned(),
            model_version: model_version(),
            prefix: prefix.clone(),
            scrubbing: RULES.iter().map(|r| (*r).to_owned()).collect(),
            imported_from: None,
        };
        // Each exchange is scrubbed and written as it happens, so a run that dies (or is
        // interrupted) leaves a readable recording of everything until then.
        let path = recording_path(&options.recordings, &scenario.id);
        let writer =
            RecordingWriter::create_scrubbed(&path, &scenario.id, &provenance, &options.profile)
                .map_err(|e| RecordError::Write(e.to_string()))?;
        let target = RecordingTarget::writing_to(inner, writer);
        let outcome = tokio::select! {
            outcome = run(scenario, &target, &options.profile, &prefix) => outcome,
            _ = tokio::signal::ctrl_c() => {
                let names = target.created_names();
                let left = clean_up(&target, &names, options.profile.wait_timeout_secs).await;
                target.finish().map_err(|e| RecordError::Write(e.to_string()))?;
                return Err(RecordError::Interrupted { cleaned: names.len() - left.len(), left });
            }
        };
        let mut left = Vec::new();
        if options.target.shared() {
            // The runner stops and deletes what it knows of, but a job still stopping
            // cannot be deleted yet; this waits for those, and also covers a Create
            // whose answer was lost.
            left = clean_up(
                &target,
                &target.created_names(),
                options.profile.wait_timeout_secs,
            )
            .await;
        }
        target
            .finish()
            .map_err(|e| RecordError::Write(e.to_string()))?;
        summary.written.push(path);
        let snapshot = normalize(&outcome.transcript, &options.profile);
        if let Some(proposal) = propose_snapshot(scenario, &snapshot)? {
            summary.proposed.push(proposal);
        }
        summary.left_behind.extend(left);
        let verdict = if outcome.failures.is_empty() {
            "recorded".to_owned()
        } else {
            let what: Vec<String> = outcome
                .failures
                .iter()
                .map(|f| {
                    let place = f
                        .step
                        .map_or("fixtures".to_owned(), |s| format!("step {s}"));
                    format!("{place}: {}", f.message)
                })
                .collect();
            summary.failed.push((scenario.id.clone(), what.join("; ")));
            "recorded, with failures".to_owned()
        };
        progress(&format!(
            "{} {verdict} ({} exchanges)",
            scenario.id,
            target.exchanges().len()
        ));
    }
    Ok(summary)
}

/// Every job name in the target's region, walking all pages.
async fn all_job_names(target: &dyn Target) -> Result<Vec<String>, RecordError> {
    let mut names = Vec::new();
    let mut token: Option<Value> = None;
    for _ in 0..10_000 {
        let mut body = json!({ "MaxResults": 100 });
        if let Some(token) = &token {
            body["NextToken"] = token.clone();
        }
        let (status, answer) = call(target, "ListCompilationJobs", &body)
            .await
            .map_err(RecordError::Target)?;
        if status != 200 {
            return Err(RecordError::Target(format!(
                "ListCompilationJobs answered {status}: {answer}"
            )));
        }
        let page = answer["CompilationJobSummaries"].as_array();
        names.extend(
            page.into_iter()
                .flatten()
                .filter_map(|s| s["CompilationJobName"].as_str().map(str::to_owned)),
        );
        match crate::exchange::next_token(&answer) {
            Some(next) => token = Some(json!(next)),
            None => break,
        }
    }
    Ok(names)
}

/// Stops every named job, waits (up to `wait_secs`) until each has ended, then deletes
/// them all. A job cannot be deleted while it is STARTING, INPROGRESS or STOPPING, so
/// deleting right after the stop would leave it behind. Best effort: a job that does
/// not end in time is reported and left. Between looks it pauses as fixtures do (see
/// [`polling`]), on the target's virtual clock when it has one.
async fn clean_up(target: &dyn Target, names: &[String], wait_secs: u64) -> Vec<String> {
    for name in names {
        let _ = send(target, "StopCompilationJob", name).await;
    }
    let started = std::time::Instant::now();
    // The jobs not ended at the last look; each look describes only those.
    let pending = std::sync::Mutex::new(names.iter().collect::<Vec<&String>>());
    let look = || async {
        let looked = std::mem::take(&mut *pending.lock().unwrap_or_else(PoisonError::into_inner));
        let mut still = Vec::new();
        for name in looked {
            let answer = send(target, "DescribeCompilationJob", name).await;
            let status = answer
                .as_ref()
                .and_then(|a| a["CompilationJobStatus"].as_str())
                .unwrap_or("");
            // An unknown job (or an unreadable answer) needs no more waiting.
            if ["STARTING", "INPROGRESS", "STOPPING"].contains(&status) {
                still.push(name);
            }
        }
        let ended = still.is_empty();
        *pending.lock().unwrap_or_else(PoisonError::into_inner) = still;
        if ended { Ok(()) } else { Err(()) }
    };
    let _ = polling::poll(target, polling::schedule(None), look, |()| {
        started.elapsed().as_secs() < wait_secs
    })
    .await;
    for name in names {
        let _ = send(target, "DeleteCompilationJob", name).await;
    }
    let left = pending.into_inner().unwrap_or_else(PoisonError::into_inner);
    left.into_iter().cloned().collect()
}

/// Sends `{"CompilationJobName": name}` to `operation`; the answer body if it was 200.
async fn send(target: &dyn Target, operation: &str, name: &str) -> Option<Value> {
    match call(target, operation, &json!({ "CompilationJobName": name })).await {
        Ok((200, answer)) => Some(answer),
        _ => None,
    }
}

/// Writes `<name>.snap.new` beside the scenario when the recorded run's snapshot
/// differs from the committed one (or there is none), in insta's format, so
/// `cargo insta review` shows it. A matching snapshot leaves no file behind.
fn propose_snapshot(scenario: &Scenario, snapshot: &str) -> Result<Option<PathBuf>, RecordError> {
    let committed = scenario.snapshot_path();
    let proposal = committed.with_extension("snap.new");
    if read_snapshot(&committed).as_deref() == Some(snapshot) {
        let _ = std::fs::remove_file(&proposal);
        return Ok(None);
    }
    let input = Path::new("scenarios").join(format!("{}.toml", scenario.id));
    let text = format!(
        "---\nsource: harness/tests/scenarios.rs\ninput_file: {}\n---\n{snapshot}\n",
        input.display()
    );
    std::fs::write(&proposal, text)
        .map_err(|e| RecordError::Write(format!("{}: {e}", proposal.display())))?;
    Ok(Some(proposal))
}

/// The botocore version and service model date the contract was taken from.
fn model_version() -> String {
    cjh_emulator::api::model::version_label()
}
