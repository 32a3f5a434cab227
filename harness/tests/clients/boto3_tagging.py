"""Tags through boto3 against a running emulator: SageMaker's tag calls and the
Resource Groups Tagging API client, whose get_resources paginator Cloud Custodian uses.

Usage: boto3_tagging.py URL

URL is the base URL of a fresh `cjh serve`. Credentials and region come from the
environment; harness/tests/real_client_boto3.rs sets them and runs this script. It
prints each step, and on the first mismatch prints what was expected and what was
found and exits 1.
"""

import sys

import boto3
from botocore.exceptions import ClientError

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole"
ARN_PREFIX = "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/"


class Mismatch(Exception):
    """The emulator answered differently from the contract."""


def step(text):
    print(f"-- {text}", flush=True)


def expect_equal(what, expected, found):
    if expected != found:
        raise Mismatch(f"{what}: expected {expected!r}, found {found!r}")


def run(base_url):
    sagemaker = boto3.client("sagemaker", endpoint_url=base_url)
    tagging = boto3.client("resourcegroupstaggingapi", endpoint_url=base_url)
    for i in range(5):
        sagemaker.create_compilation_job(
            CompilationJobName=f"tagged-{i}",
            RoleArn=ROLE_ARN,
            InputConfig={
                "S3Uri": "s3://bucket/model.tar.gz",
                "Framework": "XGBOOST",
                "DataInputConfig": '{"data": [1, 4]}',
            },
            OutputConfig={"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"},
            StoppingCondition={"MaxRuntimeInSeconds": 900},
            Tags=[{"Key": "team", "Value": "ml" if i % 2 else "cv"}],
        )
    step("created five tagged jobs")
    arn = ARN_PREFIX + "tagged-0"

    added = sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "me"}])
    expect_equal("AddTags answer", [{"Key": "owner", "Value": "me"}], added["Tags"])
    listed = [
        tag
        for page in sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn)
        for tag in page["Tags"]
    ]
    expect_equal(
        "ListTags through its paginator",
        [{"Key": "team", "Value": "cv"}, {"Key": "owner", "Value": "me"}],
        listed,
    )
    step("AddTags and the list_tags paginator")

    pages = list(
        tagging.get_paginator("get_resources").paginate(
            ResourceTypeFilters=["sagemaker:compilation-job"],
            TagFilters=[{"Key": "team", "Values": ["ml", "cv"]}],
            ResourcesPerPage=2,
        )
    )
    arns = [m["ResourceARN"] for page in pages for m in page["ResourceTagMappingList"]]
    expect_equal("GetResources pages", 3, len(pages))
    expect_equal("GetResources ARNs", [ARN_PREFIX + f"tagged-{i}" for i in range(5)], arns)
    expect_equal("the last page's token", "", pages[-1]["PaginationToken"])
    step("the get_resources paginator walks three pages to the empty token")

    unknown = ARN_PREFIX + "nobody"
    failed = tagging.tag_resources(ResourceARNList=[arn, unknown], Tags={"k": "v"})
    expect_equal("failed resources", [unknown], list(failed["FailedResourcesMap"]))
    expect_equal(
        "the failure's code",
        "InvalidParameterException",
        failed["FailedResourcesMap"][unknown]["ErrorCode"],
    )
    untagged = tagging.untag_resources(ResourceARNList=[arn], TagKeys=["k", "owner"])
    expect_equal("UntagResources failures", {}, untagged["FailedResourcesMap"])
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team"])
    expect_equal("tags left", [], sagemaker.list_tags(ResourceArn=arn)["Tags"])
    step("TagResources, UntagResources and DeleteTags")

    try:
        sagemaker.list_tags(ResourceArn=unknown)
    except ClientError as error:
        expect_equal("unknown ARN code", "ValidationException", error.response["Error"]["Code"])
    else:
        raise Mismatch("ListTags of an unknown ARN succeeded")
    step("an unknown ARN is refused")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        run(sys.argv[1])
    except Mismatch as mismatch:
        print(f"MISMATCH: {mismatch}", flush=True)
        return 1
    print("boto3 tagging: all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
