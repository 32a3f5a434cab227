"""The SageMaker Python SDK's compile-and-wait path, as an application uses it.

Usage: sagemaker_app.py URL ROLE_ARN BUCKET

It names its job with the SDK's own `sagemaker.utils.name_from_base` (a timestamp, so
never the same twice), compiles a model with `Model.compile`, which creates the job and
waits for it with `Session.wait_for_compilation_job` (a Describe every 5 s), then reads
the job back. It prints what it saw without its job's name, which differs per run (that goes to
stderr):
harness/tests/proxy_round_trip_sagemaker.rs records a first run through `cjh proxy
--correlate CompilationJobName` and replays a second one, with a new name, against
`cjh mock` of that recording. Credentials and region come from the environment.
"""

import sys

import boto3
import sagemaker
from sagemaker.model import Model
from sagemaker.utils import name_from_base

IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:1.8.1-cpu-py36"


def run(url, role, bucket):
    boto_session = boto3.Session()
    client = boto_session.client("sagemaker", endpoint_url=url)
    session = sagemaker.Session(boto_session=boto_session, sagemaker_client=client)
    model = Model(
        image_uri=IMAGE,
        model_data=f"s3://{bucket}/model.tar.gz",
        role=role,
        sagemaker_session=session,
    )
    name = name_from_base("cjh-app")
    print(f"job name: {name}", file=sys.stderr, flush=True)
    model.compile(
        target_instance_family="ml_c5",
        input_shape={"input0": [1, 3, 224, 224]},
        output_path=f"s3://{bucket}/out",
        role=role,
        job_name=name,
        framework="pytorch",
        framework_version="1.8",
    )
    print("", flush=True)  # ends the SDK's line of progress dots
    print(f"compiled model: {model.model_data.rsplit('/', 1)[-1]}", flush=True)
    print(f"inference image set: {model.image_uri != IMAGE}", flush=True)
    described = client.describe_compilation_job(CompilationJobName=name)
    print(f"the answer names my job: {described['CompilationJobName'] == name}", flush=True)
    print(f"status: {described['CompilationJobStatus']}", flush=True)
    print(f"framework: {described['InputConfig']['Framework']}", flush=True)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    run(*sys.argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
