//! boto3, the Python SDK, against `cjh serve`.
//!
//! The sessions are written in Python (`clients/boto3_session.py`, and for tags
//! `clients/boto3_tagging.py`) so they exercise botocore exactly as a Python user
//! would; these tests supply the server and a sealed environment, and report the
//! script's log on failure.

mod support;

use std::path::Path;
use std::process::Command;

use support::{Server, TestResult};

/// Runs the boto3 session script against a fresh emulator and requires it to
/// pass every check.
#[test]
fn boto3_creates_lists_stops_deletes_and_reads_errors_from_the_emulator() -> TestResult {
    run_script("boto3_session.py")
}

/// Tags through boto3's SageMaker client and its Resource Groups Tagging API client,
/// whose get_resources paginator must stop at the empty PaginationToken.
#[test]
fn boto3_tags_jobs_and_walks_get_resources_with_its_paginator() -> TestResult {
    run_script("boto3_tagging.py")
}

/// Runs one script of `tests/clients/` against a fresh emulator.
fn run_script(name: &str) -> TestResult {
    // Arrange
    let python = support::client_program("CJH_PYTHON")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(name);
    let server = Server::start()?;

    // Act
    let output = Command::new(&python)
        .arg(&script)
        .arg(server.url())
        .env_clear()
        .envs(support::sealed_aws_environment())
        .output()?;

    // Assert
    if !output.status.success() {
        return Err(format!(
            "{} {} {} exited with {}\n--- stdout ---\n{}--- stderr ---\n{}--- cjh serve stderr ---\n{}",
            python.display(),
            script.display(),
            server.url(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            server.stderr(),
        )
        .into());
    }
    Ok(())
}
