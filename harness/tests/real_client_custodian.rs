//! Cloud Custodian (PyPI `c7n`) against `cjh serve` alone, with only `AWS_ENDPOINT_URL`
//! pointing at it: one policy lists jobs by name, status and tag (Custodian reads the
//! tags through the Resource Groups Tagging API's GetResources), one stops the
//! INPROGRESS jobs. Custodian comes from tests/clients/custodian-requirements.txt, in a
//! venv of its own under target/.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{Server, TestResult};

fn clients() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// Runs `program` with the sealed AWS environment aimed at `server`; fails with its log
/// unless it succeeds.
fn run(program: &Path, args: &[&std::ffi::OsStr], server: &Server) -> TestResult<Output> {
    let output = Command::new(program)
        .args(args)
        .env_clear()
        .envs(support::sealed_aws_environment())
        .env("AWS_ENDPOINT_URL", server.url())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "{} {args:?} exited with {}\n--- stdout ---\n{}--- stderr ---\n{}--- cjh serve stderr ---\n{}",
            program.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            server.stderr(),
        )
        .into());
    }
    Ok(output)
}

/// The job names of a policy's `resources.json`.
fn names(out: &Path, policy: &str) -> TestResult<Vec<String>> {
    let text = std::fs::read_to_string(out.join(policy).join("resources.json"))?;
    let resources: Vec<serde_json::Value> = serde_json::from_str(&text)?;
    let mut names: Vec<String> = resources
        .iter()
        .filter_map(|r| r["CompilationJobName"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

#[test]
fn custodian_lists_jobs_by_name_status_and_tag_and_stops_the_inprogress_ones() -> TestResult {
    // Arrange
    let requirements = clients().join("custodian-requirements.txt");
    let python = support::venv::pinned_tool("cjh-custodian-venv", &requirements, "bin/python")?;
    let custodian = python.with_file_name("custodian");
    let jobs = clients().join("custodian_jobs.py");
    let server = Server::start()?;
    run(&python, &[jobs.as_os_str(), "create".as_ref()], &server)?;
    // Past STARTING (1 s by default), before the outcome (3 s of compiling).
    server.advance_clock(2)?;
    let out = std::env::temp_dir().join(format!("cjh-custodian-{}", uuid::Uuid::new_v4()));

    // Act
    let policies = clients().join("custodian-policies.yml");
    let ran = run(
        &custodian,
        &[
            "run".as_ref(),
            "--cache-period".as_ref(),
            "0".as_ref(),
            "-s".as_ref(),
            out.as_os_str(),
            policies.as_os_str(),
        ],
        &server,
    );
    let listed = names(&out, "list-by-name-status-and-tag");
    let stopped = names(&out, "stop-inprogress");
    let _ = std::fs::remove_dir_all(&out);
    ran?;

    // Assert
    assert_eq!(listed?, ["c7n-ml"]);
    assert_eq!(stopped?, ["c7n-cv", "c7n-ml", "c7n-untagged"]);
    let statuses = run(&python, &[jobs.as_os_str(), "statuses".as_ref()], &server)?;
    assert_eq!(
        String::from_utf8_lossy(&statuses.stdout),
        "c7n-cv STOPPING\nc7n-ml STOPPING\nc7n-untagged STOPPING\n"
    );
    Ok(())
}
