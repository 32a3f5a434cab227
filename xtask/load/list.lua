-- wrk request: ListCompilationJobs, MaxResults 10, over keep-alive connections.
-- wrk counts every non-2xx answer in summary.errors.status, printed at the end.
wrk.method = "POST"
wrk.body = '{"MaxResults": 10}'
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "SageMaker.ListCompilationJobs"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDLOADTEST/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=0"

function done(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
