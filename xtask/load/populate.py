"""Creates N compilation jobs on an endpoint over one keep-alive connection.

Usage: populate.py URL N. Used by load-test.sh for cjh and moto alike, so both hold the
same jobs. The Authorization header is unsigned; it only carries the credential scope
that moto routes on.
"""
import http.client
import json
import sys
import time
from urllib.parse import urlparse

HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDLOADTEST/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=0",
}


def main() -> int:
    url, count = urlparse(sys.argv[1]), int(sys.argv[2])
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    started = time.monotonic()
    for i in range(count):
        body = {
            "CompilationJobName": f"load-job-{i:06d}",
            "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole",
            "InputConfig": {"S3Uri": f"s3://bucket/models/{i}/model.tar.gz", "Framework": "PYTORCH", "FrameworkVersion": "2.0", "DataInputConfig": "{\"input0\": [1, 3, 224, 224]}"},
            "OutputConfig": {"S3OutputLocation": "s3://bucket/compiled/", "TargetDevice": "ml_c5"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 900},
        }
        headers = dict(HEADERS, **{"X-Amz-Target": "SageMaker.CreateCompilationJob"})
        connection.request("POST", "/", json.dumps(body), headers)
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200:
            print(f"create {i} failed: {response.status} {payload[:300]!r}", file=sys.stderr)
            return 1
    headers = dict(HEADERS, **{"X-Amz-Target": "SageMaker.ListCompilationJobs"})
    connection.request("POST", "/", json.dumps({"MaxResults": 10}), headers)
    response = connection.getresponse()
    page = json.loads(response.read())
    if len(page.get("CompilationJobSummaries", [])) != 10:
        print(f"unexpected first page: {page}", file=sys.stderr)
        return 1
    print(f"created {count} jobs in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
