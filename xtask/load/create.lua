-- wrk request: CreateCompilationJob with a name unique to the run, the wrk thread and the
-- request, over keep-alive connections. Set RUN to tell runs against one server apart.
-- wrk counts every non-2xx answer in summary.errors.status, printed at the end.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  prefix = (os.getenv("RUN") or "load") .. "-" .. id .. "-"
  counter = 0
end

local head = '{"CompilationJobName":"'
local tail = '","RoleArn":"arn:aws:iam::123456789012:role/service-role/Role",'
  .. '"InputConfig":{"S3Uri":"s3://bucket/models/resnet.tar.gz","Framework":"PYTORCH",'
  .. '"FrameworkVersion":"2.0","DataInputConfig":"{\\"input0\\": [1, 3, 224, 224]}"},'
  .. '"OutputConfig":{"S3OutputLocation":"s3://bucket/out/","TargetDevice":"ml_c5"},'
  .. '"StoppingCondition":{"MaxRuntimeInSeconds":900}}'
local headers = {
  ["Content-Type"] = "application/x-amz-json-1.1",
  ["X-Amz-Target"] = "SageMaker.CreateCompilationJob",
}

function request()
  counter = counter + 1
  return wrk.format("POST", "/", headers, head .. prefix .. counter .. tail)
end

function done(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", summary.errors.status))
end
