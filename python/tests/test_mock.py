"""`cjh.mock_sagemaker()` as a decorator and as a context manager, as `@mock_aws` is used."""

from __future__ import annotations

import os

import boto3
import pytest

import cjh
from jobs import create_job, status


@cjh.mock_sagemaker()
def list_names() -> list:
    client = boto3.client("sagemaker")
    create_job(client, "decorated")
    return [job["CompilationJobName"] for job in client.list_compilation_jobs()["CompilationJobSummaries"]]


def test_as_a_decorator_boto3_reaches_a_fresh_emulator_without_being_told_where() -> None:
    assert list_names() == ["decorated"]
    # The same name again: the second call started fresh, so no ResourceInUse.
    assert list_names() == ["decorated"]


def test_as_a_context_manager_it_gives_the_server_to_advance_its_clock() -> None:
    with cjh.mock_sagemaker() as server:
        client = boto3.client("sagemaker")
        create_job(client, "managed", tags=[{"Key": "team", "Value": "vision"}])
        server.advance_clock(1)
        assert status(client, "managed") == "INPROGRESS"
        tagged = boto3.client("resourcegroupstaggingapi").get_resources(
            TagFilters=[{"Key": "team", "Values": ["vision"]}]
        )
        assert [item["ResourceARN"].rsplit("/", 1)[1] for item in tagged["ResourceTagMappingList"]] == [
            "managed"
        ]
        assert [entry["operation"] for entry in server.requests()][0] == "CreateCompilationJob"


def test_the_environment_is_the_blocks_only_and_restored_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDOUTSIDETHEBLOCK")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "a-real-session-token")
    monkeypatch.delenv("AWS_ENDPOINT_URL_SAGEMAKER", raising=False)

    with cjh.mock_sagemaker() as server:
        assert os.environ["AWS_ENDPOINT_URL_SAGEMAKER"] == server.url
        assert os.environ["AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API"] == server.url
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert "AWS_SESSION_TOKEN" not in os.environ

    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIDOUTSIDETHEBLOCK"
    assert os.environ["AWS_SESSION_TOKEN"] == "a-real-session-token"
    assert "AWS_ENDPOINT_URL_SAGEMAKER" not in os.environ


def test_it_reuses_the_session_server_of_the_fixtures(cjh_server: cjh.Server) -> None:
    with cjh.mock_sagemaker() as server:
        assert server is cjh_server
