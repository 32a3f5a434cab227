"""The pytest plugin's fixtures driving boto3 against the emulator."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import cjh as cjh_package
from jobs import create_job, status


def test_a_job_moves_through_each_status_as_the_manual_clock_advances(
    sagemaker_client: Any, cjh: cjh_package.Server
) -> None:
    create_job(sagemaker_client, "resnet")
    assert status(sagemaker_client, "resnet") == "STARTING"

    cjh.advance_clock(1)
    assert status(sagemaker_client, "resnet") == "INPROGRESS"

    cjh.advance_clock(3)
    assert status(sagemaker_client, "resnet") == "COMPLETED"


def test_the_paginator_lists_every_job_a_page_at_a_time(
    sagemaker_client: Any, cjh: cjh_package.Server
) -> None:
    for name in ["job-a", "job-b", "job-c"]:
        create_job(sagemaker_client, name)

    pages = list(
        sagemaker_client.get_paginator("list_compilation_jobs").paginate(
            PaginationConfig={"PageSize": 1}
        )
    )

    names = [job["CompilationJobName"] for page in pages for job in page["CompilationJobSummaries"]]
    assert sorted(names) == ["job-a", "job-b", "job-c"]
    assert len([page for page in pages if page["CompilationJobSummaries"]]) == 3


def test_a_stopped_job_can_be_deleted(sagemaker_client: Any, cjh: cjh_package.Server) -> None:
    create_job(sagemaker_client, "to-stop")
    cjh.advance_clock(1)

    sagemaker_client.stop_compilation_job(CompilationJobName="to-stop")
    assert status(sagemaker_client, "to-stop") == "STOPPING"
    cjh.advance_clock(1)
    assert status(sagemaker_client, "to-stop") == "STOPPED"
    sagemaker_client.delete_compilation_job(CompilationJobName="to-stop")

    with pytest.raises(ClientError) as raised:
        sagemaker_client.describe_compilation_job(CompilationJobName="to-stop")
    assert raised.value.response["Error"]["Code"] == "ValidationException"


def test_the_journal_shows_what_the_test_sent(sagemaker_client: Any, cjh: cjh_package.Server) -> None:
    create_job(sagemaker_client, "journaled")
    sagemaker_client.describe_compilation_job(CompilationJobName="journaled")

    created = cjh.requests("CreateCompilationJob")

    assert [entry["status"] for entry in created] == [200]
    assert '"CompilationJobName": "journaled"' in created[0]["request_body"]
    assert [entry["operation"] for entry in cjh.requests()] == [
        "CreateCompilationJob",
        "DescribeCompilationJob",
    ]


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_starts_with_no_jobs_on_the_same_server(
    sagemaker_client: Any, cjh: cjh_package.Server, cjh_server: cjh_package.Server, attempt: int
) -> None:
    assert cjh is cjh_server
    assert sagemaker_client.list_compilation_jobs()["CompilationJobSummaries"] == []
    assert [entry["operation"] for entry in cjh.requests()] == ["ListCompilationJobs"]
    create_job(sagemaker_client, "same-name")


def test_injected_faults_reach_the_client(cjh: cjh_package.Server) -> None:
    # One attempt: boto3 would otherwise retry the throttled call with back-off.
    client = boto3.client(
        "sagemaker",
        endpoint_url=cjh.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )
    cjh.faults(fault_throttling=1.0)
    try:
        with pytest.raises(ClientError) as raised:
            client.list_compilation_jobs()
        assert raised.value.response["Error"]["Code"] == "ThrottlingException"
        assert cjh.faults()["stats"]["throttled"] >= 1
    finally:
        cjh.clear_faults()
    assert cjh.faults()["faults"]["fault_throttling"] == 0
