//! Redoing recorded changes on the partitions, exactly as the service first made them.
//!
//! Each change is applied the way the service applies it (settle, then change) with the
//! times it carries, so the rebuilt jobs have the same CreationTime, ARN, status times
//! and planned transitions. The service's preconditions are checked again as a
//! self-test: a Stop that finds its job already finished would mean the replay had gone
//! astray, and that is refused rather than papered over.

use std::collections::HashMap;

use crate::api::{self, CreateInput, Operation, check_create};

use super::super::lifecycle;
use super::super::seed::Seed;
use super::super::settings::Settings;
use super::super::store::Partition;
use super::super::time::Millis;
use super::record::Record;

/// The service's partitions, by (account, region).
pub(in crate::service) type Partitions = HashMap<(String, String), Partition>;

/// Applies one recorded change.
pub(super) fn apply(
    partitions: &mut Partitions,
    record: &Record,
    settings: &Settings,
) -> Result<(), String> {
    match record {
        Record::Create {
            account,
            region,
            request,
            at,
            settled,
            arn_lower,
        } => {
            let input: CreateInput = api::parse_input(Operation::CreateCompilationJob, request)
                .and_then(|input| check_create(&input).map(|()| input))
                .map_err(|e| format!("its request is refused: {e}"))?;
            let partition = settled_partition(partitions, account, region, *settled, settings);
            free_name(partition, &input.compilation_job_name)?;
            let now = Millis(*at);
            let job = partition.new_job(input, *arn_lower, now);
            partition.insert(job, now, settings);
            partition.settle(now, settings);
        }
        Record::Seed {
            account,
            region,
            request,
            status,
            at,
            status_time,
            settled,
            arn_lower,
        } => {
            let seed = Seed {
                request: request.clone(),
                status: *status,
                creation_time: Millis(*at),
                status_time: Millis(*status_time),
            };
            let input = seed
                .input()
                .map_err(|e| format!("its request is refused: {e}"))?;
            let partition = settled_partition(partitions, account, region, *settled, settings);
            free_name(partition, &input.compilation_job_name)?;
            let mut job = partition.new_job(input, *arn_lower, seed.creation_time);
            seed.place(&mut job);
            partition.insert(job, seed.status_time, settings);
        }
        Record::Stop {
            account,
            region,
            name,
            at,
            settled,
        } => {
            let partition = settled_partition(partitions, account, region, *settled, settings);
            let status = partition
                .get(name)
                .map(|job| job.status)
                .ok_or_else(|| format!("it stops job '{name}', which does not exist"))?;
            if !lifecycle::can_stop(status) {
                return Err(format!("it stops job '{name}', which is already {status}"));
            }
            partition.stop(name, Millis(*at), settings);
        }
        Record::Delete {
            account,
            region,
            name,
            settled,
        } => {
            let partition = settled_partition(partitions, account, region, *settled, settings);
            partition
                .remove(name)
                .ok_or_else(|| format!("it deletes job '{name}', which does not exist"))?;
        }
        Record::Clock { .. } => {}
    }
    Ok(())
}

fn settled_partition<'a>(
    partitions: &'a mut Partitions,
    account: &str,
    region: &str,
    settled: i64,
    settings: &Settings,
) -> &'a mut Partition {
    let partition = partitions
        .entry((account.to_owned(), region.to_owned()))
        .or_insert_with_key(|(account, region)| Partition::new(account, region));
    partition.settle(Millis(settled), settings);
    partition
}

fn free_name(partition: &Partition, name: &str) -> Result<(), String> {
    match partition.get(name) {
        Some(_) => Err(format!("it creates job '{name}', which already exists")),
        None => Ok(()),
    }
}
