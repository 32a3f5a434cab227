"""The SageMaker Python SDK 2.x's compile-and-wait path through the `cjh` package.

`mock_sagemaker(server)` points boto3 at a `cjh.Server(lifecycle="instant")`, then
`Model.compile` creates the job and waits for it (`Session.wait_for_compilation_job`, a
Describe every few seconds) exactly as against SageMaker. With the instant lifecycle the
first Describe already sees COMPLETED, so nothing waits. Exits non-zero on any mismatch.
Run by harness/tests/python_package.rs in the SDK's own venv, with the wheel installed.
"""

import sys

import boto3
import sagemaker
from sagemaker.model import Model

import cjh

IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:1.8.1-cpu-py36"
ROLE = "arn:aws:iam::000000000000:role/service-role/NeoRole"
NAME = "cjh-sdk-compile-and-wait"


def main() -> int:
    with cjh.Server(lifecycle="instant") as server, cjh.mock_sagemaker(server):
        boto_session = boto3.Session()
        client = boto_session.client("sagemaker")
        session = sagemaker.Session(boto_session=boto_session, sagemaker_client=client)
        model = Model(
            image_uri=IMAGE,
            model_data="s3://cjh-models/model.tar.gz",
            role=ROLE,
            sagemaker_session=session,
        )
        model.compile(
            target_instance_family="ml_c5",
            input_shape={"input0": [1, 3, 224, 224]},
            output_path="s3://cjh-models/out",
            role=ROLE,
            job_name=NAME,
            framework="pytorch",
            framework_version="1.8",
        )
        described = client.describe_compilation_job(CompilationJobName=NAME)
        created = server.requests("CreateCompilationJob")
        problems = []
        if described["CompilationJobStatus"] != "COMPLETED":
            problems.append(f"status {described['CompilationJobStatus']}")
        if not model.model_data.startswith("s3://cjh-models/out/"):
            problems.append(f"model data {model.model_data}")
        if len(created) != 1 or created[0]["status"] != 200:
            problems.append(f"creates in the journal: {created}")
        if problems:
            print("compile-and-wait diverged: " + "; ".join(problems), file=sys.stderr)
            return 1
        print(f"compiled {NAME}: {described['CompilationJobStatus']}, {model.model_data}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
