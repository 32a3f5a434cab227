//! What the proxy tests share: a folder of their own, `cjh serve --auth sigv4` that
//! accepts one key only, and `cjh proxy` holding that key in an environment sealed off
//! from the host's AWS configuration.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crate::process::Running;

pub(crate) mod https;

/// A folder of its own, removed when the test ends.
pub(crate) struct Dir(PathBuf);

impl Dir {
    pub(crate) fn new() -> Dir {
        let dir = std::env::temp_dir().join(format!("cjh-proxy-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A key pair only the proxy holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keys {
    pub(crate) id: &'static str,
    pub(crate) secret: &'static str,
}

/// `cjh serve --auth sigv4` accepting only `keys`, for `account`, with more flags.
pub(crate) fn sigv4_server(dir: &Dir, keys: Keys, account: &str, extra: &[&str]) -> Running {
    let file = dir.path("credentials.toml");
    std::fs::write(
        &file,
        format!(
            "[[credential]]\naccess_key_id = \"{}\"\nsecret_access_key = \"{}\"\naccount_id = \"{account}\"\n",
            keys.id, keys.secret
        ),
    )
    .unwrap();
    let mut args = vec![
        "serve",
        "--port",
        "0",
        "--auth",
        "sigv4",
        "--credentials",
        file.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    Running::start(&args)
}

/// `cjh proxy` to `upstream` on a free port, recording to `record`, with `keys` in its
/// environment, no config files, no instance metadata, and `env` added.
pub(crate) fn keyed_proxy(
    upstream: &str,
    record: &Path,
    keys: Keys,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Running {
    let missing = std::env::temp_dir().join("cjh-test-no-such-dir");
    let missing = missing.to_str().unwrap();
    let mut args = vec![
        "proxy",
        "--upstream",
        upstream,
        "--record",
        record.to_str().unwrap(),
        "--port",
        "0",
    ];
    args.extend_from_slice(extra);
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID", keys.id),
        ("AWS_SECRET_ACCESS_KEY", keys.secret),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", missing),
        ("AWS_SHARED_CREDENTIALS_FILE", missing),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    vars.extend_from_slice(env);
    Running::start_with_env(&args, &vars)
}

/// `cjh mock` of the recording `record` (its rules file beside it, if any) on a free port.
pub(crate) fn mock_of(record: &Path) -> Running {
    Running::start(&[
        "mock",
        "--recording",
        record.to_str().unwrap(),
        "--port",
        "0",
    ])
}
