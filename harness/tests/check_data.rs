#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The secret scan behind `cargo xtask check-data`: the committed data is clean, and a
//! credential or a real account id planted in a copy of it is found, by the library
//! and by `cjh check-data`, with its file and line and without being repeated.
//!
//! Every planted value is built at run time, so this file is not itself data the scan
//! would flag.

use std::path::{Path, PathBuf};
use std::process::Command;

use cjh::recording::secrets::{Finding, scan};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness is inside the workspace")
        .to_path_buf()
}

/// A folder of its own per test, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("cjh-check-data-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Copies a committed file under the scratch folder, keeping its relative path.
    fn copy(&self, relative: &str) -> PathBuf {
        let to = self.0.join(relative);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo().join(relative), &to).unwrap();
        to
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The first committed file with this extension under a folder of the repository.
fn first(folder: &str, extension: &str) -> String {
    let mut files: Vec<PathBuf> = walk(&repo().join(folder))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    let file = files
        .first()
        .unwrap_or_else(|| panic!("no .{extension} under {folder}"));
    file.strip_prefix(repo()).unwrap().display().to_string()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Replaces line `line` (1-based) of a file with `text`'s line inserted before it, so
/// the planted value is on a known line and the file otherwise unchanged.
fn plant(path: &Path, line: usize, text: &str) {
    let original = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<&str> = original.lines().collect();
    lines.insert(line - 1, text);
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn fake_key() -> String {
    ["AKIA", "Z7Q4", "M2XW", "9KDL", "P3RT"].concat()
}

fn only(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    &findings[0]
}

#[test]
fn the_committed_recordings_scenarios_and_baselines_are_clean() {
    let root = repo();
    let findings = scan(&[
        &root.join("recordings"),
        &root.join("scenarios"),
        &root.join("baselines"),
    ]);
    let shown: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

#[test]
fn a_planted_access_key_is_found_with_its_file_and_line_and_the_cli_exits_1() {
    let scratch = Scratch::new("key");
    let recording = scratch.copy(&first("recordings", "jsonl"));
    let scenario = scratch.copy(&first("scenarios", "toml"));
    let key = fake_key();
    plant(&scenario, 3, &format!("# reached with {key}"));
    let findings = scan(&[&scratch.0]);
    let finding = only(&findings);
    assert_eq!(finding.path, scenario);
    assert_eq!(finding.line, 3);
    assert_eq!(finding.kind, "access key id");
    assert!(!finding.masked.contains(&key), "{}", finding.masked);
    assert!(!finding.to_string().contains(&key));

    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .arg("check-data")
        .arg(&scratch.0)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("{}:3: access key id: AKIA", scenario.display())),
        "{stdout}"
    );
    assert!(!stdout.contains(&key), "{stdout}");
    assert!(
        !stdout.contains(&recording.display().to_string()),
        "{stdout}"
    );
}

#[test]
fn the_cli_says_clean_and_exits_0_on_clean_data() {
    let scratch = Scratch::new("clean");
    scratch.copy(&first("recordings", "jsonl"));
    scratch.copy(&first("scenarios", "toml"));
    scratch.copy(&first("scenarios", "snap"));
    scratch.copy("baselines/moto.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .arg("check-data")
        .arg(&scratch.0)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("check-data: clean (4 files"), "{stdout}");
}

#[test]
fn the_cli_refuses_a_path_that_does_not_exist() {
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["check-data", "/no/such/cjh/folder"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/no/such/cjh/folder"));
}

#[test]
fn a_planted_real_looking_account_id_is_found_and_a_documentation_example_is_not() {
    let scratch = Scratch::new("account");
    let recording = scratch.copy(&first("recordings", "jsonl"));
    let account = ["6441", "6055", "8196"].concat();
    plant(
        &recording,
        2,
        &format!("  \"note\": \"arn:aws:iam::{account}:role/r arn:aws:iam::123456789012:role/r\","),
    );
    let findings = scan(&[&scratch.0]);
    let finding = only(&findings);
    assert_eq!((finding.line, finding.kind.as_str()), (2, "account id"));
    assert!(!finding.masked.contains(&account), "{}", finding.masked);
}

#[test]
fn a_planted_session_token_is_found() {
    let scratch = Scratch::new("token");
    let snapshot = scratch.copy(&first("scenarios", "snap"));
    let token = [
        "IQoJb3JpZ2lu",
        "ZWMQ8//////////wEaCXVzLWVhc3QtMSJH",
        "MEUCIQDxAbC",
    ]
    .concat();
    plant(&snapshot, 4, &format!("  \"token\": \"{token}\","));
    let findings = scan(&[&scratch.0]);
    let finding = only(&findings);
    assert_eq!((finding.line, finding.kind.as_str()), (4, "session token"));
    assert!(!finding.masked.contains(&token), "{}", finding.masked);
}

#[test]
fn a_planted_authorization_header_is_found_as_one_finding() {
    let scratch = Scratch::new("authorization");
    let baseline = scratch.copy("baselines/moto.toml");
    let value = format!(
        "AWS4-HMAC-SHA256 Credential={}/20240416/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature={}",
        fake_key(),
        "3f".repeat(32)
    );
    plant(&baseline, 1, &format!("# authorization = \"{value}\""));
    let findings = scan(&[&scratch.0]);
    let finding = only(&findings);
    assert_eq!(
        (finding.line, finding.kind.as_str()),
        (1, "Authorization header")
    );
    assert!(!finding.masked.contains(&value));
    assert!(!finding.masked.contains(&fake_key()));
}

#[test]
fn a_planted_secret_key_next_to_its_name_is_found() {
    let scratch = Scratch::new("secret");
    let scenario = scratch.copy(&first("scenarios", "toml"));
    let secret = ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "1234567890"].concat();
    plant(&scenario, 1, &format!("# aws_secret_access_key = {secret}"));
    let findings = scan(&[&scratch.0]);
    let finding = only(&findings);
    assert_eq!(
        (finding.line, finding.kind.as_str()),
        (1, "secret access key")
    );
    assert!(!finding.masked.contains(&secret));
}
