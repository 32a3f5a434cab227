"""Jobs for the Cloud Custodian test, made and read with the boto3 of its venv.

Usage: custodian_jobs.py create|statuses

The endpoint is AWS_ENDPOINT_URL, as for Custodian itself. `create` makes three jobs
(c7n-ml tagged team=ml, c7n-cv tagged team=cv, c7n-untagged); `statuses` prints each
job's name and status, one a line, sorted by name.
"""

import sys

import boto3

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole"


def create(client):
    for name, tags in [
        ("c7n-ml", [{"Key": "team", "Value": "ml"}]),
        ("c7n-cv", [{"Key": "team", "Value": "cv"}]),
        ("c7n-untagged", []),
    ]:
        client.create_compilation_job(
            CompilationJobName=name,
            RoleArn=ROLE_ARN,
            InputConfig={
                "S3Uri": "s3://bucket/model.tar.gz",
                "Framework": "XGBOOST",
                "DataInputConfig": '{"data": [1, 4]}',
            },
            OutputConfig={"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"},
            StoppingCondition={"MaxRuntimeInSeconds": 900},
            Tags=tags,
        )


def statuses(client):
    jobs = client.list_compilation_jobs(SortBy="Name")["CompilationJobSummaries"]
    for job in jobs:
        print(job["CompilationJobName"], job["CompilationJobStatus"])


def main():
    client = boto3.client("sagemaker")
    command = sys.argv[1] if len(sys.argv) == 2 else ""
    if command == "create":
        create(client)
    elif command == "statuses":
        statuses(client)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
