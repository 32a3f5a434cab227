//! The AWS CLI (v1, pinned in xtask/python-requirements.txt) against `cjh serve`.
//!
//! The CLI adds its own layer over botocore: shorthand and JSON argument
//! parsing, automatic pagination that merges pages, and its own error output.
//! These tests run the real `aws` program and read its JSON output.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};
use support::{Server, TestResult};

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole";
const GOOD_MODEL: &str = "s3://bucket/model.tar.gz";

/// The `aws` program pointed at one emulator.
struct AwsCli {
    program: PathBuf,
    server: Server,
}

impl AwsCli {
    fn start() -> TestResult<Self> {
        let program = support::client_program("CJH_AWS_CLI")?;
        Ok(Self {
            program,
            server: Server::start()?,
        })
    }

    /// Runs `aws sagemaker <args>` and returns its raw output, whatever its status.
    fn run(&self, args: &[&str]) -> TestResult<Output> {
        let output = Command::new(&self.program)
            .arg("sagemaker")
            .args(args)
            .args(["--endpoint-url", self.server.url(), "--output", "json"])
            .env_clear()
            .envs(support::sealed_aws_environment())
            .output()?;
        Ok(output)
    }

    /// Runs `aws sagemaker <args>`, requires success and parses stdout as JSON
    /// (`null` when the operation prints nothing, as Stop and Delete do).
    fn json(&self, args: &[&str]) -> TestResult<Value> {
        let output = self.run(args)?;
        if !output.status.success() {
            return Err(format!(
                "aws sagemaker {} exited with {}\n--- stderr ---\n{}--- cjh serve stderr ---\n{}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr),
                self.server.stderr(),
            )
            .into());
        }
        let stdout = String::from_utf8(output.stdout)?;
        if stdout.trim().is_empty() {
            return Ok(Value::Null);
        }
        Ok(serde_json::from_str(&stdout)?)
    }

    fn create(&self, name: &str, s3_uri: &str) -> TestResult<Value> {
        let input = json!({
            "S3Uri": s3_uri,
            "Framework": "XGBOOST",
            "DataInputConfig": "{\"data\": [1, 4]}",
        })
        .to_string();
        let output =
            json!({"S3OutputLocation": "s3://bucket/out/", "TargetDevice": "ml_c5"}).to_string();
        let stopping = json!({"MaxRuntimeInSeconds": 900}).to_string();
        self.json(&[
            "create-compilation-job",
            "--compilation-job-name",
            name,
            "--role-arn",
            ROLE_ARN,
            "--input-config",
            &input,
            "--output-config",
            &output,
            "--stopping-condition",
            &stopping,
        ])
    }

    fn status(&self, name: &str) -> TestResult<Value> {
        let described = self.json(&["describe-compilation-job", "--compilation-job-name", name])?;
        Ok(described["CompilationJobStatus"].clone())
    }

    /// Runs a command that must fail, and returns its stderr.
    fn failure(&self, args: &[&str]) -> TestResult<String> {
        let output = self.run(args)?;
        if output.status.success() {
            return Err(format!(
                "aws sagemaker {} succeeded; expected an error\n--- stdout ---\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stdout)
            )
            .into());
        }
        Ok(String::from_utf8(output.stderr)?)
    }
}

#[test]
fn the_cli_walks_a_job_from_creation_through_stop_to_deletion() -> TestResult {
    let cli = AwsCli::start()?;

    let created = cli.create("cli-job", GOOD_MODEL)?;
    assert_eq!(
        created,
        json!({"CompilationJobArn": "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/cli-job"})
    );

    let described = cli.json(&[
        "describe-compilation-job",
        "--compilation-job-name",
        "cli-job",
    ])?;
    assert_eq!(described["CompilationJobName"], "cli-job");
    assert_eq!(described["CompilationJobStatus"], "STARTING");
    assert_eq!(described["RoleArn"], ROLE_ARN);
    assert_eq!(described["InputConfig"]["S3Uri"], GOOD_MODEL);
    assert_eq!(described["StoppingCondition"]["MaxRuntimeInSeconds"], 900);

    cli.server.advance_clock(1)?;
    assert_eq!(cli.status("cli-job")?, "INPROGRESS");

    cli.json(&["stop-compilation-job", "--compilation-job-name", "cli-job"])?;
    assert_eq!(cli.status("cli-job")?, "STOPPING");
    cli.server.advance_clock(1)?;
    assert_eq!(cli.status("cli-job")?, "STOPPED");

    cli.json(&[
        "delete-compilation-job",
        "--compilation-job-name",
        "cli-job",
    ])?;
    let listed = cli.json(&["list-compilation-jobs"])?;
    assert_eq!(listed["CompilationJobSummaries"], json!([]));
    Ok(())
}

#[test]
fn the_cli_merges_one_job_pages_into_one_listing_in_creation_order() -> TestResult {
    // Arrange: distinct creation times, so the order does not rest on tie-breaking
    let cli = AwsCli::start()?;
    for name in ["cli-list-1", "cli-list-2", "cli-list-3"] {
        cli.create(name, GOOD_MODEL)?;
        cli.server.advance_clock(1)?;
    }

    // Act: --page-size 1 makes the CLI send MaxResults=1 and follow NextToken
    let listed = cli.json(&["list-compilation-jobs", "--page-size", "1"])?;

    // Assert
    let names: Vec<&str> = listed["CompilationJobSummaries"]
        .as_array()
        .ok_or_else(|| format!("no CompilationJobSummaries list in {listed}"))?
        .iter()
        .filter_map(|summary| summary["CompilationJobName"].as_str())
        .collect();
    assert_eq!(names, ["cli-list-1", "cli-list-2", "cli-list-3"]);
    assert_eq!(
        listed.get("NextToken"),
        None,
        "a complete listing has no NextToken"
    );
    Ok(())
}

#[test]
fn describing_a_missing_job_fails_with_the_exact_validation_exception() -> TestResult {
    let cli = AwsCli::start()?;

    let stderr = cli.failure(&[
        "describe-compilation-job",
        "--compilation-job-name",
        "cli-missing",
    ])?;

    assert!(
        stderr.contains(
            "An error occurred (ValidationException) when calling the DescribeCompilationJob operation: Could not find compilation job 'cli-missing'."
        ),
        "unexpected stderr:\n{stderr}"
    );
    Ok(())
}

#[test]
fn a_page_size_over_100_fails_with_the_exact_validation_exception() -> TestResult {
    let cli = AwsCli::start()?;

    // The CLI sends --page-size as MaxResults without checking its maximum.
    let stderr = cli.failure(&["list-compilation-jobs", "--page-size", "1000"])?;

    assert!(
        stderr.contains(
            "An error occurred (ValidationException) when calling the ListCompilationJobs operation: 1 validation error detected: Value '1000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
        ),
        "unexpected stderr:\n{stderr}"
    );
    Ok(())
}
