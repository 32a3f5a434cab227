"""One compilation-job session driven through boto3 against a running emulator.

Usage: boto3_session.py URL

URL is the base URL of `cjh serve --clock manual`, e.g. http://127.0.0.1:40123.
Clock moves go to CJH_CONTROL_URL when it is set (the server itself, when URL is
a proxy in front of it), with CJH_CONTROL_TOKEN as the bearer token the
server's control endpoints then require.
The emulator must be fresh (no jobs). Credentials and region come from the
environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION);
harness/tests/real_client_boto3.rs sets them and runs this script.

The script checks what a Python user of the emulator sees through botocore's
own serializer, signer, parsers and paginator. It prints each step, and on the
first mismatch prints what was expected and what was found and exits 1, so the
Rust test can show the whole log.
"""

import json
import os
import sys
import urllib.request

import boto3
from botocore.exceptions import ClientError

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole"
GOOD_MODEL = "s3://bucket/model.tar.gz"  # compiles: the emulator wants .tar.gz
BAD_MODEL = "s3://bucket/model.zip"  # fails to compile
ARN_PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/"
MAX_RESULTS_MESSAGE = (
    "1 validation error detected: Value '1000' at 'maxResults' failed to satisfy "
    "constraint: Member must have value less than or equal to 100"
)


class Mismatch(Exception):
    """The emulator answered differently from the contract."""


def step(text):
    print(f"-- {text}", flush=True)


def expect_equal(what, expected, found):
    if expected != found:
        raise Mismatch(f"{what}: expected {expected!r}, found {found!r}")


def advance_clock(base_url, seconds):
    """Moves the emulator's manual clock; no AWS client can call this endpoint."""
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("CJH_CONTROL_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    control_url = os.environ.get("CJH_CONTROL_URL", base_url)
    request = urllib.request.Request(
        f"{control_url}/_cjh/clock/advance",
        data=json.dumps({"seconds": seconds}).encode(),
        headers=headers,
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        expect_equal("clock advance HTTP status", 200, response.status)
    step(f"advanced the clock by {seconds}s")


def create(client, name, s3_uri):
    response = client.create_compilation_job(
        CompilationJobName=name,
        RoleArn=ROLE_ARN,
        InputConfig={
            "S3Uri": s3_uri,
            "Framework": "XGBOOST",
            "DataInputConfig": '{"data": [1, 4]}',
        },
        OutputConfig={"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
    )
    expect_equal(f"ARN of {name}", ARN_PREFIX + name, response["CompilationJobArn"])
    step(f"created {name} ({s3_uri})")


def expect_status(client, name, expected):
    found = client.describe_compilation_job(CompilationJobName=name)["CompilationJobStatus"]
    expect_equal(f"status of {name}", expected, found)
    step(f"{name} is {found}")


def expect_client_error(call, code, message=None, **kwargs):
    """Runs `call(**kwargs)`, which must raise ClientError with `code` (and `message`)."""
    try:
        call(**kwargs)
    except ClientError as error:
        expect_equal("error code", code, error.response["Error"]["Code"])
        if message is not None:
            expect_equal("error message", message, error.response["Error"]["Message"])
        request_id = error.response.get("ResponseMetadata", {}).get("RequestId")
        if not request_id:
            raise Mismatch(f"error response has no RequestId: {error.response!r}")
        step(f"got {code}: {error.response['Error']['Message']}")
        return
    raise Mismatch(f"{call.__name__}({kwargs!r}) succeeded; expected {code}")


def list_all_pages(client, page_size):
    paginator = client.get_paginator("list_compilation_jobs")
    return list(paginator.paginate(PaginationConfig={"PageSize": page_size}))


def run(base_url):
    client = boto3.client("sagemaker", endpoint_url=base_url)

    step("jobs are created one clock second apart, so creation order is unambiguous")
    create(client, "boto3-a", GOOD_MODEL)
    described = client.describe_compilation_job(CompilationJobName="boto3-a")
    expect_equal("name", "boto3-a", described["CompilationJobName"])
    expect_equal("status", "STARTING", described["CompilationJobStatus"])
    expect_equal("input S3Uri", GOOD_MODEL, described["InputConfig"]["S3Uri"])
    expect_equal("target device", "ml_c5", described["OutputConfig"]["TargetDevice"])
    advance_clock(base_url, 1)
    create(client, "boto3-b", BAD_MODEL)
    advance_clock(base_url, 1)
    create(client, "boto3-c", GOOD_MODEL)
    expect_status(client, "boto3-a", "INPROGRESS")

    step("the paginator walks all jobs in creation order, two per page")
    pages = list_all_pages(client, 2)
    expect_equal("page sizes", [2, 1], [len(p["CompilationJobSummaries"]) for p in pages])
    if "NextToken" in pages[-1]:
        raise Mismatch(f"the last page carries a NextToken: {pages[-1]['NextToken']!r}")
    names = [s["CompilationJobName"] for p in pages for s in p["CompilationJobSummaries"]]
    expect_equal("listed names", ["boto3-a", "boto3-b", "boto3-c"], names)

    step("stopping a running job shows STOPPING, and it cannot be deleted yet")
    advance_clock(base_url, 1)
    expect_status(client, "boto3-c", "INPROGRESS")
    client.stop_compilation_job(CompilationJobName="boto3-c")
    expect_status(client, "boto3-c", "STOPPING")
    expect_client_error(
        client.delete_compilation_job, "ValidationException", CompilationJobName="boto3-c"
    )

    step("at t=4s boto3-a completes and boto3-c has stopped; at t=5s boto3-b fails")
    advance_clock(base_url, 1)
    expect_status(client, "boto3-a", "COMPLETED")
    expect_status(client, "boto3-c", "STOPPED")
    advance_clock(base_url, 1)
    expect_status(client, "boto3-b", "FAILED")

    step("a deleted job is gone")
    client.delete_compilation_job(CompilationJobName="boto3-a")
    expect_client_error(
        client.describe_compilation_job,
        "ValidationException",
        "Could not find compilation job 'boto3-a'.",
        CompilationJobName="boto3-a",
    )
    remaining = [
        s["CompilationJobName"] for p in list_all_pages(client, 2) for s in p["CompilationJobSummaries"]
    ]
    expect_equal("names after delete", ["boto3-b", "boto3-c"], remaining)

    step("botocore does not check MaxResults' maximum, so the emulator must")
    expect_client_error(
        client.list_compilation_jobs, "ValidationException", MAX_RESULTS_MESSAGE, MaxResults=1000
    )


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        run(sys.argv[1])
    except Mismatch as mismatch:
        print(f"MISMATCH: {mismatch}", flush=True)
        return 1
    print("boto3 session: all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
