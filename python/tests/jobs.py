"""A compilation job the emulator accepts, and the checks the tests share."""

from __future__ import annotations

from typing import Any, Dict, Sequence

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole"


def create_job(client: Any, name: str, tags: Sequence[Dict[str, str]] = ()) -> str:
    """Creates `name` and returns its ARN."""
    answer: Dict[str, Any] = client.create_compilation_job(
        CompilationJobName=name,
        RoleArn=ROLE_ARN,
        InputConfig={
            # The emulator compiles models whose key ends in .tar.gz.
            "S3Uri": "s3://bucket/model.tar.gz",
            "Framework": "XGBOOST",
            "DataInputConfig": '{"data": [1, 4]}',
        },
        OutputConfig={"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"},
        StoppingCondition={"MaxRuntimeInSeconds": 900},
        **({"Tags": list(tags)} if tags else {}),
    )
    arn: str = answer["CompilationJobArn"]
    return arn


def status(client: Any, name: str) -> str:
    """The job's status as Describe answers it."""
    described: Dict[str, Any] = client.describe_compilation_job(CompilationJobName=name)
    value: str = described["CompilationJobStatus"]
    return value


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # The state follows the command name, which is in parentheses.
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
