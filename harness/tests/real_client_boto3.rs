//! boto3, the Python SDK, against `cjh serve`.
//!
//! The session itself is written in Python (`clients/boto3_session.py`) so it
//! exercises botocore exactly as a Python user would; this test supplies the
//! server and a sealed environment, and reports the script's log on failure.

mod support;

use std::path::Path;
use std::process::Command;

use support::{Server, TestResult};

/// Runs the boto3 session script against a fresh emulator and requires it to
/// pass every check.
#[test]
fn boto3_creates_lists_stops_deletes_and_reads_errors_from_the_emulator() -> TestResult {
    // Arrange
    let python = support::client_program("CJH_PYTHON")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/boto3_session.py");
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
