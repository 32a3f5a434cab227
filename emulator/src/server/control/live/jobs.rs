//! The jobs part of the live view: one table per account and region.

use maud::{Markup, html};

use crate::service::{JobOverview, Millis, PartitionOverview};

use super::when;

/// Every partition's jobs, or a line saying there are none yet.
pub(super) fn section(partitions: &[PartitionOverview]) -> Markup {
    html! {
        @if partitions.is_empty() {
            p.muted { "No jobs yet: no request has reached any account or region." }
        }
        @for partition in partitions {
            h3 {
                "Account " code { (partition.account) } " · region " code { (partition.region) }
                " " span.muted { (count(partition)) }
            }
            @if !partition.jobs.is_empty() {
                (table(&partition.jobs))
            }
        }
    }
}

/// `3 jobs`, or `1,000 jobs, the newest 200 shown` when the page leaves some out.
fn count(partition: &PartitionOverview) -> String {
    let noun = if partition.job_count == 1 {
        "job"
    } else {
        "jobs"
    };
    let total = partition.job_count;
    if partition.jobs.len() < total {
        format!(
            "({total} {noun}, the newest {} shown)",
            partition.jobs.len()
        )
    } else {
        format!("({total} {noun})")
    }
}

fn table(jobs: &[JobOverview]) -> Markup {
    html! {
        table {
            thead {
                tr {
                    th { "Name" } th { "Status" } th { "Created (UTC)" } th { "Last modified" }
                    th { "Started" } th { "Ended" } th { "Failure reason" } th { "Tags" }
                }
            }
            tbody {
                @for job in jobs {
                    tr {
                        td { code { (job.name) } }
                        td { span class={ "status " (job.status.as_str()) } { (job.status.as_str()) } }
                        td.time { (when(job.creation_time)) }
                        td.time { (when(job.last_modified_time)) }
                        td.time { (optional(job.compilation_start_time)) }
                        td.time { (optional(job.compilation_end_time)) }
                        td.reason { (job.failure_reason.as_deref().unwrap_or_default()) }
                        td {
                            @for tag in &job.tags {
                                span.tag { (tag.key) "=" (tag.value) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn optional(time: Option<Millis>) -> String {
    time.map(when).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::api::{JobStatus, Tag};

    use super::*;

    fn job(name: &str, tag_value: &str) -> JobOverview {
        JobOverview {
            name: name.to_owned(),
            status: JobStatus::Failed,
            creation_time: Millis(1_714_564_800_123),
            last_modified_time: Millis(1_714_564_804_000),
            compilation_start_time: Some(Millis(1_714_564_801_000)),
            compilation_end_time: Some(Millis(1_714_564_804_000)),
            failure_reason: Some("ClientError: <bad> & worse".to_owned()),
            tags: vec![Tag {
                key: "team".to_owned(),
                value: tag_value.to_owned(),
            }],
        }
    }

    fn partition(jobs: Vec<JobOverview>, job_count: usize) -> PartitionOverview {
        PartitionOverview {
            account: "000000000000".to_owned(),
            region: "eu-west-1".to_owned(),
            job_count,
            jobs,
        }
    }

    #[test]
    fn a_job_shows_its_status_times_failure_and_tags() {
        let page = section(&[partition(vec![job("resnet", "vision")], 1)]).into_string();
        for shown in [
            "Account <code>000000000000</code> · region <code>eu-west-1</code>",
            "(1 job)",
            "<code>resnet</code>",
            "<span class=\"status FAILED\">FAILED</span>",
            "2024-05-01 12:00:00.123",
            "2024-05-01 12:00:04",
            "<span class=\"tag\">team=vision</span>",
        ] {
            assert!(page.contains(shown), "{shown} missing from {page}");
        }
    }

    #[test]
    fn tag_values_and_failure_reasons_are_escaped() {
        let page =
            section(&[partition(vec![job("x", "<script>alert(1)</script>")], 1)]).into_string();
        assert!(
            page.contains("team=&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        assert!(
            page.contains("ClientError: &lt;bad&gt; &amp; worse"),
            "{page}"
        );
        assert!(!page.contains("<script>"), "{page}");
    }

    #[test]
    fn a_partition_with_more_jobs_than_shown_says_so() {
        let page = section(&[partition(vec![job("x", "v")], 1_000)]).into_string();
        assert!(page.contains("(1000 jobs, the newest 1 shown)"), "{page}");
        let none = section(&[]).into_string();
        assert!(none.contains("No jobs yet"), "{none}");
    }
}
