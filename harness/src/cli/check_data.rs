//! `cjh check-data [PATHS...]`: the secret scan over committed data. Prints each
//! finding as `path:line: kind: masked` and exits 1 when there is any, so CI stops
//! before a credential or a real account id is merged; exits 0 with one summary line
//! when the data is clean, and 2 when a path named on the command line does not exist.

use std::path::{Path, PathBuf};

use clap::Args;

use super::exit::{Exit, unusable};
use crate::recording::secrets;

/// The folders scanned when no path is given, relative to the current directory.
const DEFAULT_PATHS: &[&str] = &["recordings", "scenarios", "baselines"];

/// Flags of `cjh check-data`.
#[derive(Debug, Args)]
pub struct CheckDataArgs {
    /// Files or folders to scan (default: recordings, scenarios and baselines, those
    /// of them that exist).
    paths: Vec<PathBuf>,
}

/// Runs the scan; returns how it ended.
pub(super) fn run(args: &CheckDataArgs) -> anyhow::Result<Exit> {
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        let present: Vec<PathBuf> = DEFAULT_PATHS
            .iter()
            .map(PathBuf::from)
            .filter(|p| p.exists())
            .collect();
        if present.is_empty() {
            return Err(unusable(format!(
                "check-data: none of {} is here; run it from the repository root or name the paths",
                DEFAULT_PATHS.join(", ")
            )));
        }
        present
    } else {
        let missing: Vec<&PathBuf> = args.paths.iter().filter(|p| !p.exists()).collect();
        if let Some(first) = missing.first() {
            return Err(unusable(format!(
                "check-data: {}: no such file or folder",
                first.display()
            )));
        }
        args.paths.clone()
    };
    let roots: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let scanned = secrets::files(&roots).len();
    let findings = secrets::scan(&roots);
    let shown = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if findings.is_empty() {
        println!("check-data: clean ({scanned} files in {shown})");
        return Ok(Exit::Passed);
    }
    for finding in &findings {
        println!("{finding}");
    }
    println!(
        "check-data: {} finding(s) in {scanned} files in {shown}; scrub or remove them before committing",
        findings.len()
    );
    Ok(Exit::Failed)
}
