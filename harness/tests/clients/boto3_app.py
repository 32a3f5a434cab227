"""An application's compilation-job session with boto3, written as a user would write it.

Usage: boto3_app.py URL ROLE_ARN BUCKET

It knows nothing of cjh: no control endpoints, no clock moves. It creates a job and waits
for it to finish by polling Describe (boto3 has no compilation-job waiter), creates a
second, walks the list one job per page with boto3's paginator, stops the second while it
starts, and meets two errors.
It prints one line per thing it saw, without times or request ids, so two runs that saw
the same answers print the same lines: harness/tests/proxy_round_trip_boto3.rs runs it
through `cjh proxy` and then against `cjh mock` of the recording and compares the output.
Credentials and region come from the environment.
"""

import sys
import time

import boto3
from botocore.exceptions import ClientError

TERMINAL = {"COMPLETED", "FAILED", "STOPPED"}


def create(client, name, role, bucket):
    response = client.create_compilation_job(
        CompilationJobName=name,
        RoleArn=role,
        InputConfig={
            "S3Uri": f"s3://{bucket}/model.tar.gz",
            "Framework": "PYTORCH",
            "DataInputConfig": '{"input0": [1, 3, 224, 224]}',
        },
        OutputConfig={"S3OutputLocation": f"s3://{bucket}/out/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
    )
    print(f"created {response['CompilationJobArn'].rsplit('/', 1)[-1]}", flush=True)


def wait(client, name):
    """Polls until the job ends; prints the statuses seen in order, repeats collapsed."""
    seen = []
    for _ in range(60):
        status = client.describe_compilation_job(CompilationJobName=name)["CompilationJobStatus"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in TERMINAL:
            break
        time.sleep(0.5)
    print(f"{name} went {' -> '.join(seen)}", flush=True)


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as error:
        return f"{error.response['Error']['Code']}: {error.response['Error']['Message']}"
    return "no error"


def run(url, role, bucket):
    client = boto3.client("sagemaker", endpoint_url=url)
    create(client, "alpha", role, bucket)
    wait(client, "alpha")
    create(client, "beta", role, bucket)
    paginator = client.get_paginator("list_compilation_jobs")
    for page in paginator.paginate(PaginationConfig={"PageSize": 1}):
        names = [s["CompilationJobName"] for s in page["CompilationJobSummaries"]]
        print(f"page {names}, more: {'NextToken' in page}", flush=True)
    client.stop_compilation_job(CompilationJobName="beta")
    status = client.describe_compilation_job(CompilationJobName="beta")["CompilationJobStatus"]
    print(f"beta after stop is {status}", flush=True)
    print(f"delete beta: {error_of(client.delete_compilation_job, CompilationJobName='beta')}")
    client.delete_compilation_job(CompilationJobName="alpha")
    print("deleted alpha", flush=True)
    missing = error_of(client.describe_compilation_job, CompilationJobName="alpha")
    print(f"describe alpha: {missing}", flush=True)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    run(*sys.argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
