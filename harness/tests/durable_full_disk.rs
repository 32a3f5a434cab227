#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `cjh serve --state-dir` on a disk that fills up: every Create the disk cannot take is
//! answered 500 `InternalFailure` naming the directory, every request after it too, and
//! after `kill -9` and a restart every acknowledged Create is there.
//!
//! The disk is a real one that fills: a 1 MiB tmpfs, mounted in a mount namespace of its
//! own (`unshare --user --map-root-user --mount`, which needs no privilege where user
//! namespaces are allowed, as on the CI machines), held open by a `sleep` so that the
//! servers started in it with `nsenter` share it across the kill.

mod state_dir;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::json;

use state_dir::{Server, TempDir, command_in, create_body, post, spawn};

/// A mount namespace with a small tmpfs on `dir`; the namespace ends when dropped.
struct SmallDisk {
    holder: Child,
    dir: TempDir,
}

impl SmallDisk {
    fn new(size: &str) -> SmallDisk {
        let dir = TempDir::new();
        std::fs::create_dir_all(&dir.0).unwrap();
        let script = format!(
            "mount -t tmpfs -o size={size} tmpfs '{}' && echo mounted && exec sleep 600",
            dir.0.display()
        );
        let mut holder = Command::new("unshare")
            .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("unshare (util-linux) runs");
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "mounted",
            "a tmpfs could not be mounted in a user namespace"
        );
        SmallDisk { holder, dir }
    }

    /// `cjh serve` inside the namespace, on a state directory on the small disk.
    fn serve(&self) -> Server {
        let mut nsenter = Command::new("nsenter");
        nsenter
            .args(["--preserve-credentials", "--user", "--mount", "--target"])
            .arg(self.holder.id().to_string())
            .arg(env!("CARGO_BIN_EXE_cjh"));
        spawn(command_in(nsenter, &self.dir.0.join("state"), &[]))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

#[test]
fn a_full_disk_is_answered_500_naming_the_directory_and_loses_nothing_acknowledged() {
    let disk = SmallDisk::new("1m");
    let server = disk.serve();
    let mut acknowledged = BTreeMap::new();
    let mut refusal = None;
    for i in 0..20_000 {
        let name = format!("fill-{i:05}");
        let body = create_body(&name).to_string();
        let (status, answer) = post(
            &server.addr,
            "/",
            Some("SageMaker.CreateCompilationJob"),
            &body,
        )
        .unwrap();
        match status {
            200 => {
                acknowledged.insert(name, answer["CompilationJobArn"].clone());
            }
            500 => {
                refusal = Some(answer);
                break;
            }
            other => panic!("{name}: {other} {answer}"),
        }
    }
    let refusal = refusal.expect("the disk never filled");
    assert_eq!(refusal["__type"], "InternalFailure", "{refusal}");
    let message = refusal["Message"].as_str().unwrap();
    let state = disk.dir.0.join("state");
    assert!(
        message.contains(&state.display().to_string()) && message.contains("full"),
        "{message}"
    );
    assert!(
        acknowledged.len() > 10,
        "{} acknowledged",
        acknowledged.len()
    );
    // Once failed, reads are refused too: memory may hold what the disk does not.
    let (status, _) = server.call("ListCompilationJobs", &json!({}));
    assert_eq!(status, 500);
    server.kill();

    // Restarted on the same full disk: reads need no space.
    let server = disk.serve();
    let listed = server.walk();
    for (name, arn) in &acknowledged {
        let job = listed
            .get(name)
            .unwrap_or_else(|| panic!("{name} was acknowledged and is gone"));
        assert_eq!(&job["CompilationJobArn"], arn, "{name}");
    }
    eprintln!(
        "{} of {} acknowledged creates came back; {} listed",
        acknowledged.len(),
        acknowledged.len(),
        listed.len()
    );
}
