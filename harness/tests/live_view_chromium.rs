//! The live view (`GET /_cjh/`) as a browser sees it: headless Chromium loads the page
//! from a running emulator and dumps the DOM it built, and the test looks for the jobs,
//! their statuses and the journaled requests in it. A page that only looked right as
//! bytes (unclosed tables, a Content-Security-Policy that blocks its own style, markup
//! the parser moves elsewhere) would fail here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use cjh_emulator::{ClockMode, Emulator};
use serde_json::json;
use tokio::process::Command;

#[path = "../../emulator/tests/common/mod.rs"]
mod common;

const CHROMIUM: &str = "/usr/bin/chromium";

/// How long Chromium may take before the test gives up on it.
const DEADLINE: Duration = Duration::from_secs(120);

/// A fresh directory under the target dir for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("live_view_chromium")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The DOM headless Chromium built from `url`, serialized; fails if Chromium is missing,
/// fails or hangs. `dir` holds its profile and its log.
async fn dumped_dom(url: &str, dir: &Path) -> String {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing; `.ci/run` installs it (Debian package chromium: \
         apt-get install -y chromium)"
    );
    let log = dir.join("chromium.log");
    let child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        // A file, not a pipe: Chromium is chatty on stderr.
        .stderr(std::fs::File::create(&log).unwrap())
        // Dropped (on the timeout below, or a panic) means killed, never left running.
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let output = tokio::time::timeout(DEADLINE, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("chromium took more than two minutes to load {url}"))
        .unwrap();
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        output.status.success() && !output.stdout.is_empty(),
        "chromium failed ({}):\n{log}",
        output.status
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The `<tr>` of the DOM that names `name` in a `<code>` cell.
fn row<'a>(dom: &'a str, name: &str) -> &'a str {
    dom.split("<tr")
        .find(|row| row.contains(&format!("<code>{name}</code>")))
        .unwrap_or_else(|| panic!("no row for {name} in:\n{dom}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_chromium_renders_the_jobs_their_statuses_and_the_requests() {
    let emulator = Emulator::builder().clock(ClockMode::Manual).build();
    let url = emulator.start().await.unwrap();
    let mut tagged = common::create_body("rendered-resnet");
    tagged["Tags"] = json!([{ "Key": "team", "Value": "vision" }]);
    common::ok(&emulator, "CreateCompilationJob", &tagged);
    emulator.advance_clock(Duration::from_secs(60)).unwrap();
    common::create(&emulator, "rendered-starting");
    common::err(
        &emulator,
        "DescribeCompilationJob",
        &common::named("not-there"),
        "ValidationException",
    );

    let dir = scratch("dump");
    let dom = dumped_dom(&format!("{url}/_cjh/?refresh=0"), &dir).await;
    std::fs::write(dir.join("dom.html"), &dom).unwrap();
    println!("dom: {}", dir.join("dom.html").display());

    assert!(dom.contains("<title>cjh live view</title>"), "{dom}");
    assert!(
        dom.contains("Account <code>000000000000</code> · region <code>us-east-1</code>"),
        "{dom}"
    );
    let completed = row(&dom, "rendered-resnet");
    assert!(
        completed.contains("<span class=\"status COMPLETED\">COMPLETED</span>"),
        "{completed}"
    );
    assert!(
        completed.contains("<span class=\"tag\">team=vision</span>"),
        "{completed}"
    );
    let starting = row(&dom, "rendered-starting");
    assert!(
        starting.contains("<span class=\"status STARTING\">STARTING</span>"),
        "{starting}"
    );
    // Chromium's parser keeps the rows inside their tables: each job row lies between
    // the jobs heading and the requests heading.
    let requests = dom.find("<h2>Latest requests</h2>").unwrap();
    assert!(dom.find("<code>rendered-resnet</code>").unwrap() < requests);
    let journal = &dom[requests..];
    let failed = journal
        .split("<tr")
        .find(|row| row.contains("<code>DescribeCompilationJob</code>"))
        .unwrap_or_else(|| panic!("no Describe request in:\n{journal}"));
    assert!(
        failed.contains(">400<") && failed.contains(">ValidationException<"),
        "{failed}"
    );
    assert_eq!(
        journal.matches("<code>CreateCompilationJob</code>").count(),
        2,
        "{journal}"
    );
    assert!(!dom.contains("http-equiv=\"refresh\""), "refresh=0 reloads");
}
