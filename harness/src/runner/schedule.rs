//! Running a corpus on one target with several scenarios at once (`cjh run --jobs N`).
//!
//! Against a real endpoint a compilation job takes minutes, so a serial corpus takes
//! hours; most of that is waiting, and scenarios wait side by side as well as one by one.
//! What keeps concurrent scenarios apart is the name prefix every run gives its jobs,
//! which isolates what a scenario creates, describes, stops and deletes, but not what it
//! lists: a List cuts its window from every job of the account and region before the
//! NameContains filter (`paging = window`, as AWS pages its siblings), so another run's
//! jobs move the page boundaries a snapshot records, and a scenario that counts every job
//! (`assumes.own_account`) counts theirs too. So:
//!
//! - with regions (`--regions`), each worker owns one region and runs one scenario at a
//!   time in it: every scenario, own-account ones included, runs concurrently and never
//!   shares its region with another running one;
//! - without, the workers share the one region: scenarios that list nothing run
//!   concurrently, then the ones that list run alone, one after another.
//!
//! An in-process emulator target is fresh per scenario, so it is isolated either way.
//! Verdicts come back in corpus order whatever order the scenarios finish in.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use cjh_emulator::api::Operation;

use crate::scenario::{Profile, Scenario, Step};
use crate::targets::TargetSpec;

use super::verdict::{Verdict, judge_in};

/// How many scenarios run at once, and the regions that keep them apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parallel {
    /// Scenarios at once; at most one per region when regions are given.
    pub jobs: usize,
    /// The regions the workers own, one each; empty to share the target's one region.
    pub regions: Vec<String>,
}

/// Whether a scenario may share its region with others running at the same time: not
/// when it counts every job its account holds there, nor when any step lists jobs (a
/// window of the account's jobs, whose boundaries other runs' jobs move).
pub fn shares_region(scenario: &Scenario) -> bool {
    let lists = scenario.file.steps.iter().any(|step| match step {
        Step::Paginate(_) => true,
        Step::Call(call) => matches!(
            call.operation,
            Operation::ListCompilationJobs | Operation::GetResources
        ),
        Step::Wait(_) => false,
    });
    scenario.file.assumes.own_account.is_none() && !lists
}

/// Judges every scenario on a target, up to `parallel.jobs` at once; `finished` hears of
/// each as it finishes. The verdicts are in `scenarios` order.
pub async fn judge_corpus(
    scenarios: &[Scenario],
    spec: &TargetSpec,
    profile: &Profile,
    parallel: &Parallel,
    mut finished: impl FnMut(&Scenario, &Verdict),
) -> Vec<Verdict> {
    let mut verdicts: Vec<Option<Verdict>> = scenarios.iter().map(|_| None).collect();
    let isolated = matches!(spec, TargetSpec::Emulator(_)) || !parallel.regions.is_empty();
    let (together, alone): (Vec<usize>, Vec<usize>) =
        (0..scenarios.len()).partition(|&index| isolated || shares_region(&scenarios[index]));
    let shared = Shared {
        scenarios: Arc::new(scenarios.to_vec()),
        spec: Arc::new(spec.clone()),
        profile: Arc::new(profile.clone()),
    };
    let workers: Vec<Option<String>> = if parallel.regions.is_empty() {
        vec![None; parallel.jobs.max(1)]
    } else {
        parallel
            .regions
            .iter()
            .take(parallel.jobs.max(1))
            .cloned()
            .map(Some)
            .collect()
    };
    for (batch, workers) in [(together, workers), (alone, vec![None])] {
        let (sender, mut receiver) = mpsc::unbounded_channel();
        let queue = Arc::new(Mutex::new(VecDeque::from(batch)));
        let mut tasks = JoinSet::new();
        for region in workers {
            tasks.spawn(
                shared
                    .clone()
                    .work(Arc::clone(&queue), region, sender.clone()),
            );
        }
        drop(sender);
        while let Some((index, verdict)) = receiver.recv().await {
            finished(&scenarios[index], &verdict);
            verdicts[index] = Some(verdict);
        }
        while let Some(joined) = tasks.join_next().await {
            // A worker that panicked left a scenario without a verdict: fail as loudly
            // as a serial run would.
            if let Err(error) = joined
                && error.is_panic()
            {
                std::panic::resume_unwind(error.into_panic());
            }
        }
    }
    verdicts.into_iter().flatten().collect()
}

/// What every worker reads.
#[derive(Clone)]
struct Shared {
    scenarios: Arc<Vec<Scenario>>,
    spec: Arc<TargetSpec>,
    profile: Arc<Profile>,
}

impl Shared {
    /// Takes scenarios off the queue until it is empty, in `region`, and sends each
    /// verdict back with its scenario's position.
    async fn work(
        self,
        queue: Arc<Mutex<VecDeque<usize>>>,
        region: Option<String>,
        done: mpsc::UnboundedSender<(usize, Verdict)>,
    ) {
        loop {
            let next = queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front();
            let Some(index) = next else { return };
            let verdict = judge_in(
                &self.scenarios[index],
                &self.spec,
                &self.profile,
                region.as_deref(),
            )
            .await;
            if done.send((index, verdict)).is_err() {
                return;
            }
        }
    }
}
