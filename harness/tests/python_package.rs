//! The Python package (python/, docs/python.md) as a user gets it: its wheel built with
//! the pinned maturin into target/, installed with python/test-requirements.txt into a
//! fresh venv under target/, `cjh --version` run from that venv, then the package's own
//! pytest suite (python/tests, on two xdist workers) run with that venv's Python, and no
//! `cjh serve` from the venv left running after it; then the SageMaker Python SDK's
//! compile-and-wait path through the package (python/sdk/compile_and_wait.py), in the
//! SDK's own pinned venv with the same wheel installed.
//!
//! The wheel is built without `--release`, on the shared target/ folder: the binary is
//! then the one `cargo test` already compiled, instead of a second, optimized build of the
//! whole workspace (see docs/python.md for the release wheel's numbers).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::TestResult;

fn root() -> TestResult<PathBuf> {
    Ok(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()?)
}

/// Runs `command`, failing with everything it printed when it does not succeed.
fn run(what: &str, command: &mut Command) -> TestResult<Output> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!(
            "{what}: {command:?} exited with {}\n--- stdout ---\n{}--- stderr ---\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(output)
}

/// The pids of the processes running `binary` (from /proc: each one's executable).
fn processes_of(binary: &Path) -> Vec<String> {
    let Ok(binary) = binary.canonicalize() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| exe == binary))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_wheel_installs_the_binary_and_a_package_whose_own_tests_pass_on_two_workers() -> TestResult {
    // Arrange: the wheel.
    let root = root()?;
    let python_dir = root.join("python");
    let maturin = support::venv::pinned_tool(
        "cjh-maturin-venv",
        &python_dir.join("build-requirements.txt"),
        "bin/maturin",
    )?;
    let work = root.join("target/cjh-python-package");
    let wheels = work.join("wheels");
    let venv = work.join("venv");
    let _ = std::fs::remove_dir_all(&wheels);
    let mut build = Command::new(&maturin);
    // What `cargo test` sets for a test (CARGO_PKG_*, CARGO_MANIFEST_DIR, LD_LIBRARY_PATH)
    // would reach the build scripts and make cargo rebuild the dependencies they build, and
    // then rebuild them again on the next `cargo test`.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if (name.starts_with("CARGO_") && name != "CARGO_HOME") || name == "LD_LIBRARY_PATH" {
            build.env_remove(&*name);
        }
    }
    run(
        "building the wheel",
        build
            // Unstripped, as `cargo test` built it: stripping changes the binary's rustc
            // flags, so cargo would relink it here and again on the next `cargo test`.
            .args(["build", "--quiet", "--strip", "false", "--out"])
            .arg(&wheels)
            .current_dir(&python_dir)
            .env("CARGO_TARGET_DIR", root.join("target")),
    )?;
    let wheel = std::fs::read_dir(&wheels)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .ok_or("maturin built no .whl")?;

    // Arrange: a fresh venv with the wheel and the test requirements.
    let bootstrap = support::client_program("CJH_PYTHON")?;
    run(
        "creating the venv",
        Command::new(&bootstrap)
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    )?;
    let python = venv.join("bin/python");
    run(
        "installing the wheel",
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
            ])
            .args(["-q", "-r"])
            .arg(python_dir.join("test-requirements.txt"))
            .arg(&wheel)
            // Downloads stay under target/, which CI keeps between runs.
            .env("PIP_CACHE_DIR", root.join("target/cjh-pip-cache")),
    )?;
    let binary = venv.join("bin/cjh");

    // Act
    let version = run("cjh --version", Command::new(&binary).arg("--version"))?;
    // No cargo and no target/ on PATH: the package must find its binary in the venv, as
    // on a machine without Rust.
    let path_without_cargo = format!("{}:/usr/bin:/bin", venv.join("bin").display());
    let tests = Command::new(&python)
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "-rfE"])
        .arg(python_dir.join("tests"))
        .current_dir(&work)
        .env_clear()
        .envs(support::sealed_aws_environment())
        .env("PATH", &path_without_cargo)
        .output()?;
    let stdout = String::from_utf8_lossy(&tests.stdout);
    let log = format!(
        "--- stdout ---\n{stdout}--- stderr ---\n{}",
        String::from_utf8_lossy(&tests.stderr)
    );

    // Assert
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("cjh {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(tests.status.success(), "pytest failed\n{log}");
    assert!(
        stdout.contains(" passed") && !stdout.contains(" failed"),
        "{log}"
    );
    assert_eq!(
        processes_of(&binary),
        Vec::<String>::new(),
        "cjh serve from the venv still runs after pytest\n{log}"
    );

    // Act and assert: the SDK's compile-and-wait, in the venv the SDK's pins live in
    // (harness/tests/clients/sagemaker-requirements.txt), with this wheel added.
    let sdk_python = support::venv::pinned_tool(
        "cjh-sagemaker-venv",
        &root.join("harness/tests/clients/sagemaker-requirements.txt"),
        "bin/python",
    )?;
    run(
        "installing the wheel beside the SDK",
        Command::new(&sdk_python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
            ])
            .args(["-q", "--no-deps", "--force-reinstall"])
            .arg(&wheel)
            .env("PIP_CACHE_DIR", root.join("target/cjh-pip-cache")),
    )?;
    let compiled = run(
        "the SDK's compile-and-wait",
        Command::new(&sdk_python)
            .arg(python_dir.join("sdk/compile_and_wait.py"))
            .env_clear()
            .envs(support::sealed_aws_environment())
            .env("PATH", &path_without_cargo)
            .env("SAGEMAKER_SUPPRESS_V2_WARNING", "1"),
    )?;
    let said = String::from_utf8_lossy(&compiled.stdout);
    assert!(
        said.contains("compiled cjh-sdk-compile-and-wait: COMPLETED, s3://cjh-models/out/"),
        "{said}"
    );
    Ok(())
}
