//! The secret scan behind `cargo xtask check-data`: committed data (recordings,
//! scenarios, snapshots, baselines) must never hold a credential or a real account id,
//! because a recording made against AWS passes through a person's account. The scan
//! is the second line behind scrubbing: it finds what scrubbing would have removed.
//!
//! Account ids `000000000000` (the emulator's) and the documentation examples
//! `123456789012`, `111122223333` and `444455556666` are allowed
//! ([`patterns::EXAMPLE_ACCOUNTS`]); scenarios send them literally.

pub mod patterns;

use std::fmt;
use std::path::{Path, PathBuf};

pub use patterns::{EXAMPLE_ACCOUNTS, Kind};

/// Something that looks like a secret or a real account id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The file.
    pub path: PathBuf,
    /// The line, 1-based.
    pub line: usize,
    /// What was found, in words.
    pub kind: String,
    /// The matched text, masked so a report never repeats the secret.
    pub masked: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.path.display(),
            self.line,
            self.kind,
            self.masked
        )
    }
}

/// The file kinds that hold committed data: recordings (`.json`, `.jsonl`), scenarios and
/// baselines (`.toml`), snapshots (`.snap`).
const EXTENSIONS: &[&str] = &["json", "jsonl", "toml", "snap"];

/// The files [`scan`] reads: a root that is a file is taken as given, a folder is
/// walked for the data file kinds; sorted, so reports are stable.
pub fn files(roots: &[&Path]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in roots {
        if root.is_file() {
            out.push(root.to_path_buf());
            continue;
        }
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e))
            })
            .collect();
        found.sort();
        out.extend(found);
    }
    out
}

/// Scans every recording, scenario, snapshot and baseline under `roots`. A file that
/// cannot be read is reported as a finding too: a scan that skipped it would not
/// prove it clean.
pub fn scan(roots: &[&Path]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for path in files(roots) {
        match std::fs::read(&path) {
            Ok(bytes) => findings.extend(scan_text(&path, &String::from_utf8_lossy(&bytes))),
            Err(error) => findings.push(Finding {
                path,
                line: 0,
                kind: "unreadable file".to_owned(),
                masked: error.to_string(),
            }),
        }
    }
    findings
}

/// Scans one file's text; `path` names it in the findings.
pub fn scan_text(path: &Path, text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for hit in patterns::find(line) {
            findings.push(Finding {
                path: path.to_path_buf(),
                line: index + 1,
                kind: hit.kind.as_str().to_owned(),
                masked: patterns::mask(&line[hit.range]),
            });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_names_file_line_kind_and_masked_text() {
        let key = ["AKIA", "Z7Q4", "M2XW", "9KDL", "P3RT"].concat();
        let text = format!("{{\n  \"note\": \"uses {key}\"\n}}\n");
        let findings = scan_text(Path::new("r/a.json"), &text);
        assert_eq!(findings.len(), 1);
        let shown = findings[0].to_string();
        assert!(
            shown.starts_with("r/a.json:2: access key id: AKIA"),
            "{shown}"
        );
        assert!(!shown.contains(&key));
    }

    #[test]
    fn clean_text_has_no_findings() {
        let text = r#"{"x-amzn-requestid": "5f0e1c2a-3b4d-4e5f-8a9b-123456789014", "CreationTime": 1712345678.123}"#;
        assert!(scan_text(Path::new("a.json"), text).is_empty());
    }
}
