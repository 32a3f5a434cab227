//! Rebuilding the partitions from the job rows, exactly as the service first made them.
//!
//! Each row is redone the way the service did it, with the times it carries: the job is
//! created (or placed in its seeded status) at its CreationTime, so it has the same ARN
//! and planned transitions; a stopped job is settled to how far its partition had
//! settled when the Stop came, then stopped at the Stop's time. Rows are taken in
//! creation order and each stop is redone right after its job, so no job is ever
//! settled past the point its Stop saw. A job's lifecycle depends on nothing but its own
//! facts and the lifecycle settings, so the order of other jobs does not matter.
//!
//! The service's preconditions are checked again as a self-test: a Stop that finds its
//! job already finished would mean the rebuild had gone astray, and that is refused
//! rather than papered over.

use crate::api::{CreateInput, Tag, check_create};

use super::super::lifecycle;
use super::super::seed::Seed;
use super::super::settings::Settings;
use super::super::store::Partition;
use super::super::time::Millis;
use super::Partitions;

/// One row of the `jobs` table: the facts a job is rebuilt from.
#[derive(Debug, Clone)]
pub(super) struct JobRow {
    pub(super) account: String,
    pub(super) region: String,
    /// The Create request (JSON), normalized to the members the model knows.
    pub(super) request: String,
    /// CreationTime, milliseconds since the epoch.
    pub(super) creation_time: i64,
    pub(super) arn_lower: bool,
    /// A seeded job's status, and when it entered it.
    pub(super) seeded: Option<(crate::api::JobStatus, i64)>,
    /// A stop's time, and how far the partition had settled then.
    pub(super) stop: Option<(i64, i64)>,
    /// The tag list (JSON) once a tag operation changed it; otherwise the request's.
    pub(super) tags: Option<String>,
}

/// Rebuilds one row into `partitions`.
pub(super) fn job(
    partitions: &mut Partitions,
    row: JobRow,
    settings: &Settings,
) -> Result<(), String> {
    let partition = partitions
        .entry((row.account, row.region))
        .or_insert_with_key(|(account, region)| Partition::new(account, region));
    let created = Millis(row.creation_time);
    let name = match row.seeded {
        None => {
            // Read straight into the typed input: the service wrote it from one, so the
            // model walk a client's request gets would only cost time at start (at a
            // million jobs, most of it); the rules still hold it to the contract.
            let input: CreateInput = serde_json::from_str(&row.request)
                .map_err(|e| format!("its request does not read: {e}"))?;
            check_create(&input).map_err(|e| format!("its request is refused: {e}"))?;
            free_name(partition, &input.compilation_job_name)?;
            let name = input.compilation_job_name.clone();
            let job = partition.new_job(input, row.arn_lower, created);
            partition.insert(job, created, settings);
            name
        }
        Some((status, since)) => {
            let seed = Seed {
                request: serde_json::from_str(&row.request)
                    .map_err(|e| format!("its request is not JSON: {e}"))?,
                status,
                creation_time: created,
                status_time: Millis(since),
            };
            let input = seed
                .input()
                .map_err(|e| format!("its request is refused: {e}"))?;
            free_name(partition, &input.compilation_job_name)?;
            let name = input.compilation_job_name.clone();
            let mut job = partition.new_job(input, row.arn_lower, created);
            seed.place(&mut job);
            partition.insert(job, seed.status_time, settings);
            name
        }
    };
    if let Some(tags) = &row.tags {
        let tags: Vec<Tag> =
            serde_json::from_str(tags).map_err(|e| format!("its tags do not read: {e}"))?;
        partition.set_tags(&name, tags);
    }
    if let Some((at, settled)) = row.stop {
        partition.settle(Millis(settled), settings);
        let status = partition
            .get(&name)
            .map(|job| job.status)
            .ok_or_else(|| format!("its job '{name}' is gone"))?;
        if !lifecycle::can_stop(status) {
            return Err(format!("it stops job '{name}', which is already {status}"));
        }
        partition.stop(&name, Millis(at), settings);
    }
    Ok(())
}

fn free_name(partition: &Partition, name: &str) -> Result<(), String> {
    match partition.get(name) {
        Some(_) => Err(format!("it creates job '{name}', which already exists")),
        None => Ok(()),
    }
}
