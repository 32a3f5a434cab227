"""A short boto3 session against `cjh serve`, recorded by VCR.py (or by whatever proxy
sits at URL), for the `cjh import` tests to import.

Usage: import_session.py URL [--vcr CASSETTE]

URL is the endpoint boto3 is given (a fresh `cjh serve --clock manual`, or a proxy in
front of one). With --vcr, the session runs inside `vcr.use_cassette(CASSETTE)`, so the
cassette is what VCR.py itself writes for botocore's traffic; harness/tests/
import_sources.rs runs it that way. Without it, the traffic is recorded by the proxy:
harness/tests/data/import/make-har.sh runs it behind mitmdump to make the HAR fixture.

The session: Create, Describe, List (NameContains), Stop, Describe, and a Describe of a
job that does not exist (an AWS-shaped 400). It prints each step and exits 1 on the
first surprise, so the Rust test can show the log.
"""

import sys

import boto3
from botocore.exceptions import ClientError

# The default profile's values: an import is scrubbed, and scrubbing turns any other
# role or bucket into a placeholder, which the replay's requests would then not match.
ROLE_ARN = "arn:aws:iam::000000000000:role/service-role/AmazonSageMaker-ExecutionRole-cjh"
NAME = "cjhimport-job"


def session(url):
    client = boto3.client("sagemaker", endpoint_url=url, region_name="us-east-1")
    client.create_compilation_job(
        CompilationJobName=NAME,
        RoleArn=ROLE_ARN,
        InputConfig={
            "S3Uri": "s3://cjh-models/resnet50/model.tar.gz",
            "Framework": "XGBOOST",
            "DataInputConfig": '{"data": [1, 4]}',
        },
        OutputConfig={"S3OutputLocation": "s3://cjh-models/compiled/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
    )
    print("-- created", flush=True)
    status = client.describe_compilation_job(CompilationJobName=NAME)["CompilationJobStatus"]
    print(f"-- described: {status}", flush=True)
    jobs = client.list_compilation_jobs(NameContains="cjhimport")["CompilationJobSummaries"]
    if [job["CompilationJobName"] for job in jobs] != [NAME]:
        raise SystemExit(f"listed {jobs!r}, expected only {NAME}")
    print("-- listed", flush=True)
    client.stop_compilation_job(CompilationJobName=NAME)
    print("-- stopped", flush=True)
    status = client.describe_compilation_job(CompilationJobName=NAME)["CompilationJobStatus"]
    print(f"-- described: {status}", flush=True)
    try:
        client.describe_compilation_job(CompilationJobName="cjhimport-missing")
    except ClientError as error:
        print(f"-- missing job: {error.response['Error']['Code']}", flush=True)
    else:
        raise SystemExit("a job that does not exist was described")


def main():
    url = sys.argv[1]
    if len(sys.argv) == 4 and sys.argv[2] == "--vcr":
        import vcr

        with vcr.use_cassette(sys.argv[3], record_mode="all"):
            session(url)
    elif len(sys.argv) == 2:
        session(url)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
