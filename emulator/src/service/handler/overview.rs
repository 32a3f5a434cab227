//! A read-only view of every job in every partition, for the live view (`GET /_cjh/`).
//!
//! The API only ever shows one caller's partition; a person watching a test run wants
//! them all at once. Each partition is settled to the service clock first, as Describe
//! settles it, so a job shows the status Describe would answer at that moment rather
//! than the one it had when last touched.

use std::ops::Bound;

use crate::api::{ApiError, JobStatus, Tag};

use super::super::index::IndexKind;
use super::super::job::Job;
use super::super::time::Millis;
use super::Service;

/// The jobs of one account and region, newest first.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PartitionOverview {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// How many jobs the partition holds, including any left out of `jobs`.
    pub job_count: usize,
    /// The newest jobs by creation time (at most as many as asked for).
    pub jobs: Vec<JobOverview>,
}

/// One job as Describe would show it now, reduced to what a person scans for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JobOverview {
    /// The name as created.
    pub name: String,
    /// The status as of the service clock.
    pub status: JobStatus,
    /// When it was created, to the millisecond.
    pub creation_time: Millis,
    /// When its status last changed, whole seconds.
    pub last_modified_time: Millis,
    /// When compiling began, once it has.
    pub compilation_start_time: Option<Millis>,
    /// When it ended, once it has.
    pub compilation_end_time: Option<Millis>,
    /// Describe's FailureReason, when FAILED.
    pub failure_reason: Option<String>,
    /// Its tags, in ListTags order.
    pub tags: Vec<Tag>,
}

impl JobOverview {
    fn of(job: &Job) -> JobOverview {
        JobOverview {
            name: job.name.to_string(),
            status: job.status,
            creation_time: job.creation_time,
            last_modified_time: job.last_modified_time,
            compilation_start_time: job.compilation_start_time,
            compilation_end_time: job.compilation_end_time,
            failure_reason: job.failure.map(|failure| failure.reason()),
            tags: job.tags.to_vec(),
        }
    }
}

impl Service {
    /// Every partition that exists (any request for it made one), ordered by account
    /// then region, each with at most `newest` of its jobs, newest first: the cap keeps
    /// the store's lock short however many jobs a benchmark seeded.
    ///
    /// With a state directory, answers once everything shown is on disk, as Describe
    /// does, and fails as Describe would once the directory has failed.
    pub fn overview(&self, newest: usize) -> Result<Vec<PartitionOverview>, ApiError> {
        let mut partitions = self.lock();
        // Read under the lock, as `with_partition` does, so no partition is settled to a
        // time earlier than one another request has already acted at.
        let now = self.clock.now();
        let mut out: Vec<PartitionOverview> = partitions
            .iter_mut()
            .map(|((account, region), partition)| {
                partition.settle(now, &self.settings);
                let jobs = partition
                    .indexes()
                    .walk(
                        IndexKind::Creation,
                        (Bound::Unbounded, Bound::Unbounded),
                        true,
                    )
                    .filter_map(|key| partition.get(&key.name))
                    .take(newest)
                    .map(JobOverview::of)
                    .collect();
                PartitionOverview {
                    account: account.clone(),
                    region: region.clone(),
                    job_count: partition.len(),
                    jobs,
                }
            })
            .collect();
        let position = self.durable.as_ref().map(|durable| durable.position());
        drop(partitions);
        out.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
        self.when_durable(position, Ok(out))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::api::Operation;
    use crate::service::{CallContext, Clock, Settings};

    fn create(service: &Service, region: &str, name: &str, model: &str) {
        let context = CallContext {
            region: Some(region.to_owned()),
            account: None,
        };
        let body = json!({
            "CompilationJobName": name,
            "RoleArn": "arn:aws:iam::123456789012:role/service-role/Role",
            "InputConfig": {
                "S3Uri": format!("s3://bucket/{model}"),
                "Framework": "XGBOOST",
                "DataInputConfig": "{\"data\": [1, 4]}"
            },
            "OutputConfig": {"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 900},
            "Tags": [{"Key": "team", "Value": name}]
        });
        service
            .handle(&context, Operation::CreateCompilationJob, &body)
            .unwrap();
    }

    #[test]
    fn every_partition_is_shown_in_order_with_its_newest_jobs_first() {
        let service = Service::new(Settings::default(), Clock::manual_at(Millis(1_000_000)));
        create(&service, "us-west-2", "west", "model.tar.gz");
        create(&service, "eu-west-1", "first", "model.tar.gz");
        service.advance_clock(Duration::from_millis(5)).unwrap();
        create(&service, "eu-west-1", "second", "model.tar.gz");
        let overview = service.overview(10).unwrap();
        let shown: Vec<(&str, Vec<&str>)> = overview
            .iter()
            .map(|p| {
                let names = p.jobs.iter().map(|j| j.name.as_str()).collect();
                (p.region.as_str(), names)
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("eu-west-1", vec!["second", "first"]),
                ("us-west-2", vec!["west"])
            ]
        );
        assert_eq!(overview[0].jobs[0].tags[0].value, "second");
    }

    #[test]
    fn statuses_are_those_of_the_service_clock_not_of_the_last_request() {
        let service = Service::new(Settings::default(), Clock::manual_at(Millis(1_000_000)));
        create(&service, "us-east-1", "done", "model.tar.gz");
        create(&service, "us-east-1", "broken", "model.zip");
        service.advance_clock(Duration::from_secs(60)).unwrap();
        let overview = service.overview(10).unwrap();
        let jobs = &overview[0].jobs;
        let status = |name: &str| jobs.iter().find(|j| j.name == name).unwrap();
        assert_eq!(status("done").status, JobStatus::Completed);
        assert_eq!(status("broken").status, JobStatus::Failed);
        assert!(status("broken").failure_reason.is_some());
        assert!(status("done").compilation_end_time.is_some());
    }

    #[test]
    fn the_cap_limits_the_jobs_shown_but_not_the_count() {
        let service = Service::new(Settings::default(), Clock::manual_at(Millis(1_000_000)));
        for name in ["a", "b", "c"] {
            create(&service, "us-east-1", name, "model.tar.gz");
            service.advance_clock(Duration::from_millis(1)).unwrap();
        }
        let overview = service.overview(2).unwrap();
        assert_eq!(overview[0].job_count, 3);
        let names: Vec<&str> = overview[0].jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, ["c", "b"]);
    }
}
