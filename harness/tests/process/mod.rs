//! A serving `cjh` subcommand (`serve`, `mock`) as a child process: started with its
//! flags, ready once it prints `listening on URL`, signalled like a supervisor would,
//! and killed when the test ends, pass or fail, so no server outlives its test.

// Each test crate includes this module and uses a different subset of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A running `cjh` child.
#[derive(Debug)]
pub(crate) struct Running {
    child: Child,
    url: String,
}

impl Running {
    /// Runs `cjh <args>` and waits for its ready line.
    pub(crate) fn start(args: &[&str]) -> Running {
        Running::start_with_env(args, &[])
    }

    /// Runs `cjh <args>` with these variables added to its environment.
    pub(crate) fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cjh"))
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // The guard exists before the line is checked, so a bad start still kills it.
        let mut running = Running {
            child,
            url: String::new(),
        };
        running.url = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("cjh {args:?}: unexpected ready line {line:?}"))
            .to_owned();
        running
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// `127.0.0.1:PORT`.
    pub(crate) fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// The process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (`-TERM`, `-INT`, `-KILL`) and waits up to ten seconds for the
    /// process to end.
    pub(crate) fn signal_and_wait(&mut self, signal: &str) -> ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(sent.success(), "kill {signal} {pid} failed");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the process did not stop after {signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Errors are ignored: the process may already have exited.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
