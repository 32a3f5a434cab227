//! Credentials for signing, found the way the AWS CLI and SDKs find them, so a user
//! who can run `aws sagemaker list-compilation-jobs` can sign cjh's requests too:
//!
//! 1. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional
//!    `AWS_SESSION_TOKEN`), unless a profile is named explicitly;
//! 2. the profile (the one named, else `AWS_PROFILE`, else `default`) in the shared
//!    credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`,
//!    section `[name]`) and the shared config file (`AWS_CONFIG_FILE`, else
//!    `~/.aws/config`, section `[profile name]`, or `[default]`); the credentials
//!    file wins a key both files set.
//!
//! Only static keys are read. A profile that gets its credentials by SSO, by assuming
//! a role or from a process is refused with the command that turns it into
//! environment variables: running those flows would make cjh an AWS client of its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aws_credential_types::Credentials;

/// Why no credentials could be found.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Only half of a key pair is set.
    #[error("{place} sets {present} but not {missing}")]
    Incomplete {
        /// The environment, or the profile and its files.
        place: String,
        /// The key that is set.
        present: &'static str,
        /// The key that is missing.
        missing: &'static str,
    },
    /// The profile gets credentials in a way cjh does not run.
    #[error(
        "profile '{profile}' gets its credentials by {mechanism}, which cjh does not run; export static or temporary credentials into the environment first, e.g. eval \"$(aws configure export-credentials --profile {profile} --format env)\""
    )]
    Unsupported {
        /// The profile.
        profile: String,
        /// What it uses (`SSO`, `role_arn`, `credential_process`, ...).
        mechanism: String,
    },
    /// A profile was named that neither file has.
    #[error("profile '{profile}' is in neither {}", show(files))]
    ProfileNotFound {
        /// The profile.
        profile: String,
        /// The files looked in.
        files: Vec<PathBuf>,
    },
    /// Nothing anywhere.
    #[error(
        "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or give profile '{profile}' static keys in {}",
        show(files)
    )]
    NotFound {
        /// The profile looked for.
        profile: String,
        /// The files looked in.
        files: Vec<PathBuf>,
    },
    /// A file exists but could not be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not INI.
    #[error("{}:{line}: {problem}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The line, 1-based.
        line: usize,
        /// What is wrong.
        problem: String,
    },
}

fn show(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(" nor ")
}

/// Resolves credentials from the process environment and the user's files.
pub fn resolve(profile: Option<&str>) -> Result<Credentials, CredentialsError> {
    resolve_with(profile, &|name| std::env::var(name).ok())
}

/// [`resolve`] with the environment given as a lookup, so the order can be tested
/// without touching the process environment (tests run in parallel). The lookup
/// also answers `HOME` (or `USERPROFILE`), which places `~/.aws`.
pub fn resolve_with(
    profile: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    if profile.is_none() {
        match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
            (Some(key), Some(secret)) => {
                return Ok(Credentials::new(
                    key,
                    secret,
                    var("AWS_SESSION_TOKEN"),
                    None,
                    "environment",
                ));
            }
            (Some(_), None) => {
                return Err(incomplete_env("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
            }
            (None, Some(_)) => {
                return Err(incomplete_env("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"));
            }
            (None, None) => {}
        }
    }
    let named = profile.is_some() || var("AWS_PROFILE").is_some();
    let name = profile
        .map(str::to_owned)
        .or_else(|| var("AWS_PROFILE"))
        .unwrap_or_else(|| "default".to_owned());
    let home = var("HOME")
        .or_else(|| var("USERPROFILE"))
        .map(PathBuf::from);
    let locate = |variable: &str, file: &str| -> PathBuf {
        match var(variable) {
            Some(path) => expand_home(&path, home.as_deref()),
            None => home.clone().unwrap_or_default().join(".aws").join(file),
        }
    };
    let credentials_file = locate("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let config_file = locate("AWS_CONFIG_FILE", "config");
    from_files(&name, named, &credentials_file, &config_file)
}

fn incomplete_env(present: &'static str, missing: &'static str) -> CredentialsError {
    CredentialsError::Incomplete {
        place: "the environment".to_owned(),
        present,
        missing,
    }
}

/// `~/x` as the SDKs read it.
fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// The profile's keys from both files. `named` says whether the profile was asked for
/// by name (a missing named profile is an error of its own).
fn from_files(
    name: &str,
    named: bool,
    credentials_file: &Path,
    config_file: &Path,
) -> Result<Credentials, CredentialsError> {
    let files = vec![credentials_file.to_path_buf(), config_file.to_path_buf()];
    let from_credentials =
        read_ini(credentials_file)?.and_then(|mut sections| sections.remove(name));
    let from_config = read_ini(config_file)?.and_then(|mut sections| {
        let key = if name == "default" && !sections.contains_key("profile default") {
            "default".to_owned()
        } else {
            format!("profile {name}")
        };
        sections.remove(&key)
    });
    if from_credentials.is_none() && from_config.is_none() {
        return Err(if named {
            CredentialsError::ProfileNotFound {
                profile: name.to_owned(),
                files,
            }
        } else {
            CredentialsError::NotFound {
                profile: name.to_owned(),
                files,
            }
        });
    }
    let mut keys = from_config.unwrap_or_default();
    keys.extend(from_credentials.unwrap_or_default());
    if let Some(mechanism) = unsupported(&keys) {
        return Err(CredentialsError::Unsupported {
            profile: name.to_owned(),
            mechanism,
        });
    }
    let get = |key: &str| keys.get(key).filter(|v| !v.is_empty()).cloned();
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(key), Some(secret)) => Ok(Credentials::new(
            key,
            secret,
            get("aws_session_token"),
            None,
            "profile",
        )),
        (None, None) => Err(CredentialsError::NotFound {
            profile: name.to_owned(),
            files,
        }),
        (present, _) => Err(CredentialsError::Incomplete {
            place: format!("profile '{name}'"),
            present: if present.is_some() {
                "aws_access_key_id"
            } else {
                "aws_secret_access_key"
            },
            missing: if present.is_some() {
                "aws_secret_access_key"
            } else {
                "aws_access_key_id"
            },
        }),
    }
}

/// The credential source a profile names that is not static keys, if any; checked
/// first because the SDKs prefer these over keys in the same profile.
fn unsupported(keys: &BTreeMap<String, String>) -> Option<String> {
    const MECHANISMS: &[(&str, &str)] = &[
        ("role_arn", "assuming a role (role_arn)"),
        ("source_profile", "assuming a role (source_profile)"),
        ("credential_source", "assuming a role (credential_source)"),
        (
            "web_identity_token_file",
            "web identity (web_identity_token_file)",
        ),
        ("sso_session", "SSO (sso_session)"),
        ("sso_start_url", "SSO (sso_start_url)"),
        ("sso_account_id", "SSO (sso_account_id)"),
        (
            "credential_process",
            "an external process (credential_process)",
        ),
        ("login_session", "a console login session (login_session)"),
    ];
    MECHANISMS
        .iter()
        .find(|(key, _)| keys.contains_key(*key))
        .map(|(_, words)| (*words).to_owned())
}

/// The sections of an INI file by name, each a map of keys (lower case) to values.
type Sections = BTreeMap<String, BTreeMap<String, String>>;

/// Sections of an INI file (names as written, keys in lower case), or `None` when the
/// file does not exist.
fn read_ini(path: &Path) -> Result<Option<Sections>, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_ini(&text)
            .map(Some)
            .map_err(|(line, problem)| CredentialsError::Parse {
                path: path.to_path_buf(),
                line,
                problem,
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(CredentialsError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The AWS flavour of INI: `[section]` headers (inner spaces collapsed, so
/// `[profile  x]` is `profile x`), `key = value` lines, whole-line comments with `#` or
/// `;`, inline comments after whitespace, and indented continuation lines (nested
/// settings such as `s3 =` blocks), which are skipped. A key outside any section is
/// ignored, as the SDKs do.
fn parse_ini(text: &str) -> Result<Sections, (usize, String)> {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if raw.starts_with([' ', '\t']) && current.is_some() {
            continue;
        }
        if let Some(inner) = line.strip_prefix('[') {
            let Some(inner) = strip_comment(inner).strip_suffix(']') else {
                return Err((index + 1, format!("section header without ']': {line}")));
            };
            let name = inner.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err((
                index + 1,
                "expected 'key = value' or '[section]'".to_owned(),
            ));
        };
        if let Some(section) = &current {
            sections.entry(section.clone()).or_default().insert(
                key.trim().to_ascii_lowercase(),
                strip_comment(value).to_owned(),
            );
        }
    }
    Ok(sections)
}

/// A value without a trailing ` # comment` or ` ; comment`.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    let cut = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace())
        .unwrap_or(bytes.len());
    value[..cut].trim()
}

#[cfg(test)]
mod tests;
