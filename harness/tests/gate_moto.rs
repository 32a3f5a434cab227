//! The CI gate against a real peer, moto_server: the committed baseline makes the run
//! pass; removing one entry makes a real divergence fail it; adding a fake entry for a
//! scenario moto passes fails it as unexpectedly passing. moto is blocked at the fixtures of
//! at most 25 scenarios, and only where the subject needs a status moto cannot make.
//!
//! moto_server comes from the venv `cargo xtask test` prepares (`CJH_MOTO_SERVER`); the
//! test fails, never skips, without it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use cjh::baseline::{Baseline, KnownDivergence, StepRef};

struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto() -> Moto {
    let program = std::env::var_os("CJH_MOTO_SERVER")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .expect("CJH_MOTO_SERVER is not set to moto_server; run the tests with `cargo xtask test`");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn gate(moto: &Moto, baseline: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjh"))
        .current_dir(root())
        .args(["run", "--target", &moto.url, "--baseline"])
        .arg(baseline)
        .output()
        .unwrap()
}

fn committed() -> Baseline {
    Baseline::read(&root().join("baselines/moto.toml")).unwrap()
}

fn temp_baseline(name: &str, baseline: &Baseline) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cjh-gate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, baseline.to_toml()).unwrap();
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_committed_moto_baseline_passes_removing_an_entry_fails_and_a_stale_entry_fails() {
    let moto = moto();
    let baseline = committed();
    assert!(
        baseline.divergences.len() > 50,
        "the baseline lists moto's divergences"
    );

    let passing = gate(&moto, &root().join("baselines/moto.toml"));
    let report = stdout(&passing);
    assert_eq!(passing.status.code(), Some(0), "{report}");
    // The baseline's fixture entries are the scenarios the run was blocked in, no more.
    let blocked = blocked_at_fixtures(&baseline).len();
    assert!(
        report.contains(&format!(" {blocked} blocked at fixtures,")),
        "{report}"
    );

    // A real divergence that the baseline no longer excuses.
    let mut fewer = baseline.clone();
    let removed = fewer.divergences.remove(0);
    let output = gate(&moto, &temp_baseline("fewer.toml", &fewer));
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("--- {} on {}", removed.scenario, moto.url)),
        "{text}"
    );

    // A fake entry for a scenario moto passes: the baseline must shrink.
    let passed = report
        .lines()
        .find_map(|line| {
            let mut cols = line.split_whitespace();
            let (scenario, _target, result) = (cols.next()?, cols.next()?, cols.next()?);
            (result == "pass").then(|| scenario.to_owned())
        })
        .expect("moto passes at least one scenario");
    let mut more = baseline.clone();
    more.divergences.push(KnownDivergence {
        scenario: passed.clone(),
        step: StepRef::Step(1),
        path: None,
        reason: "planted by the test".to_owned(),
    });
    let output = gate(&moto, &temp_baseline("more.toml", &more));
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with(&passed) && l.contains("UNEXPECTED PASS")),
        "{text}"
    );
    assert!(text.contains("--update-baseline"), "{text}");
}

/// The scenarios whose fixtures moto could not make, as the committed baseline names them
/// (the gate above fails on a missing or stale entry, so these are the run's own).
fn blocked_at_fixtures(baseline: &Baseline) -> Vec<String> {
    let mut names: Vec<String> = baseline
        .divergences
        .iter()
        .filter(|d| matches!(d.step, StepRef::Fixtures(_)))
        .map(|d| d.scenario.clone())
        .collect();
    names.dedup();
    names
}

#[test]
fn moto_is_blocked_at_fixtures_in_at_most_25_scenarios_each_about_the_lifecycle_or_a_status() {
    let blocked = blocked_at_fixtures(&committed());
    assert!(!blocked.is_empty(), "moto cannot make a FAILED job");
    assert!(
        blocked.len() <= 25,
        "{} blocked: {blocked:?}",
        blocked.len()
    );
    for scenario in &blocked {
        let path = root().join("scenarios").join(format!("{scenario}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let subject = text
            .parse::<toml::Table>()
            .unwrap()
            .get("subject")
            .and_then(|s| s.as_str().map(str::to_owned));
        assert!(
            matches!(subject.as_deref(), Some("lifecycle" | "status")),
            "{scenario} is blocked at fixtures on moto, but its subject is {subject:?}: \
             its fixtures should ask only for what the subject needs"
        );
    }
}
