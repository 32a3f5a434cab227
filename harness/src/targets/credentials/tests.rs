//! The credential order, each step with its own files and a fake environment.

use std::collections::HashMap;
use std::path::PathBuf;

use super::*;

/// A folder of its own per test, removed when the test ends.
struct Dir(PathBuf);

impl Dir {
    fn new(test: &str) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("cjh-credentials-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Dir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }

    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An environment holding only these variables.
fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn keys(credentials: &Credentials) -> (String, String, Option<String>) {
    (
        credentials.access_key_id().to_owned(),
        credentials.secret_access_key().to_owned(),
        credentials.session_token().map(str::to_owned),
    )
}

fn ok(result: Result<Credentials, CredentialsError>) -> (String, String, Option<String>) {
    match result {
        Ok(credentials) => keys(&credentials),
        Err(error) => panic!("expected credentials, got: {error}"),
    }
}

fn err(result: Result<Credentials, CredentialsError>) -> CredentialsError {
    match result {
        Ok(credentials) => panic!("expected an error, got {credentials:?}"),
        Err(error) => error,
    }
}

const CREDENTIALS: &str = "\
# written by aws configure
[default]
aws_access_key_id = FILEKEYDEFAULT
aws_secret_access_key = file-secret-default

[work]
aws_access_key_id=FILEKEYWORK   ; inline comment
aws_secret_access_key = file-secret-work
aws_session_token = file-token-work
";

#[test]
fn the_environment_comes_first_when_no_profile_is_named() {
    let dir = Dir::new("env-first");
    dir.write("home/.aws/credentials", CREDENTIALS);
    let home = format!("{}/home", dir.path());
    let found = ok(resolve_with(
        None,
        &env(&[
            ("HOME", &home),
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_SESSION_TOKEN", "env-token"),
        ]),
    ));
    assert_eq!(
        found,
        (
            "ENVKEY".into(),
            "env-secret".into(),
            Some("env-token".into())
        )
    );
}

#[test]
fn a_named_profile_wins_over_the_environment() {
    let dir = Dir::new("named-wins");
    let file = dir.write("credentials", CREDENTIALS);
    let found = ok(resolve_with(
        Some("work"),
        &env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", &file.display().to_string()),
            ("AWS_CONFIG_FILE", &format!("{}/none", dir.path())),
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ]),
    ));
    assert_eq!(
        found,
        (
            "FILEKEYWORK".into(),
            "file-secret-work".into(),
            Some("file-token-work".into())
        )
    );
}

#[test]
fn without_the_environment_the_default_profile_of_the_home_folder_is_used() {
    let dir = Dir::new("home-default");
    dir.write("home/.aws/credentials", CREDENTIALS);
    let home = format!("{}/home", dir.path());
    let found = ok(resolve_with(None, &env(&[("HOME", &home)])));
    assert_eq!(
        found,
        ("FILEKEYDEFAULT".into(), "file-secret-default".into(), None)
    );
}

#[test]
fn aws_profile_chooses_the_profile_when_none_is_named() {
    let dir = Dir::new("aws-profile");
    dir.write("home/.aws/credentials", CREDENTIALS);
    let home = format!("{}/home", dir.path());
    let found = ok(resolve_with(
        None,
        &env(&[("HOME", &home), ("AWS_PROFILE", "work")]),
    ));
    assert_eq!(found.0, "FILEKEYWORK");
}

#[test]
fn the_config_file_holds_profiles_under_profile_sections_and_default_as_is() {
    let dir = Dir::new("config");
    let config = dir.write(
        "config",
        "[default]\nregion = us-east-1\naws_access_key_id = CFGDEFAULT\naws_secret_access_key = cfg-secret\n\n[profile  ci]\ns3 =\n    max_concurrent_requests = 4\naws_access_key_id = CFGCI\naws_secret_access_key = cfg-ci-secret\n",
    );
    let lookup = env(&[
        ("AWS_CONFIG_FILE", &config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            &format!("{}/none", dir.path()),
        ),
    ]);
    assert_eq!(ok(resolve_with(None, &lookup)).0, "CFGDEFAULT");
    assert_eq!(ok(resolve_with(Some("ci"), &lookup)).0, "CFGCI");
}

#[test]
fn the_credentials_file_wins_a_key_both_files_set() {
    let dir = Dir::new("both");
    let credentials = dir.write("credentials", CREDENTIALS);
    let config = dir.write(
        "config",
        "[profile work]\naws_access_key_id = CFGWORK\naws_secret_access_key = cfg-secret\nregion = eu-west-1\n",
    );
    let lookup = env(&[
        ("AWS_CONFIG_FILE", &config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            &credentials.display().to_string(),
        ),
    ]);
    assert_eq!(ok(resolve_with(Some("work"), &lookup)).0, "FILEKEYWORK");
}

#[test]
fn sso_role_and_process_profiles_are_refused_with_the_export_command() {
    let dir = Dir::new("unsupported");
    let config = dir.write(
        "config",
        "[profile sso]\nsso_session = corp\nsso_account_id = 000000000000\n\n[profile assume]\nrole_arn = arn:aws:iam::000000000000:role/x\nsource_profile = default\n\n[profile proc]\ncredential_process = /usr/bin/get-creds\n",
    );
    let lookup = env(&[
        ("AWS_CONFIG_FILE", &config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            &format!("{}/none", dir.path()),
        ),
    ]);
    for (profile, mechanism) in [
        ("sso", "SSO"),
        ("assume", "role_arn"),
        ("proc", "credential_process"),
    ] {
        let message = err(resolve_with(Some(profile), &lookup)).to_string();
        assert!(message.contains(mechanism), "{message}");
        assert!(
            message.contains(&format!(
                "aws configure export-credentials --profile {profile} --format env"
            )),
            "{message}"
        );
    }
}

#[test]
fn a_named_profile_that_no_file_has_is_named_in_the_error() {
    let dir = Dir::new("missing-profile");
    let credentials = dir.write("credentials", CREDENTIALS);
    let lookup = env(&[
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            &credentials.display().to_string(),
        ),
        ("AWS_CONFIG_FILE", &format!("{}/none", dir.path())),
    ]);
    let error = err(resolve_with(Some("nope"), &lookup));
    assert!(
        matches!(error, CredentialsError::ProfileNotFound { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("'nope'"));
}

#[test]
fn nothing_anywhere_says_what_to_set() {
    let dir = Dir::new("nothing");
    let error = err(resolve_with(None, &env(&[("HOME", &dir.path())])));
    assert!(
        matches!(error, CredentialsError::NotFound { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("AWS_ACCESS_KEY_ID"));
}

#[test]
fn half_a_key_pair_is_an_error_not_a_fallback() {
    let dir = Dir::new("half");
    let error = err(resolve_with(
        None,
        &env(&[("HOME", &dir.path()), ("AWS_ACCESS_KEY_ID", "ENVKEY")]),
    ));
    assert!(
        error.to_string().contains("not AWS_SECRET_ACCESS_KEY"),
        "{error}"
    );
    let credentials = dir.write("credentials", "[default]\naws_access_key_id = K\n");
    let error = err(resolve_with(
        None,
        &env(&[
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                &credentials.display().to_string(),
            ),
            ("AWS_CONFIG_FILE", &format!("{}/none", dir.path())),
        ]),
    ));
    assert!(
        error.to_string().contains("aws_secret_access_key"),
        "{error}"
    );
}

#[test]
fn a_tilde_in_a_file_variable_is_the_home_folder() {
    let dir = Dir::new("tilde");
    dir.write("home/creds/x", CREDENTIALS);
    let home = format!("{}/home", dir.path());
    let found = ok(resolve_with(
        None,
        &env(&[
            ("HOME", &home),
            ("AWS_SHARED_CREDENTIALS_FILE", "~/creds/x"),
        ]),
    ));
    assert_eq!(found.0, "FILEKEYDEFAULT");
}

#[test]
fn a_malformed_file_is_reported_with_its_line() {
    let dir = Dir::new("malformed");
    let credentials = dir.write("credentials", "[default]\nthis is not ini\n");
    let error = err(resolve_with(
        None,
        &env(&[
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                &credentials.display().to_string(),
            ),
            ("AWS_CONFIG_FILE", &format!("{}/none", dir.path())),
        ]),
    ));
    assert!(
        error
            .to_string()
            .ends_with(":2: expected 'key = value' or '[section]'"),
        "{error}"
    );
}

#[test]
fn ini_comments_whitespace_and_inline_comments_are_understood() {
    let sections = parse_ini(
        "; top\n  # indented comment\n[ a ]\nkey1 = v1 # note\nKEY2=v#2\n[profile   b] ; c\nx = y\n",
    )
    .unwrap_or_default();
    assert_eq!(sections["a"]["key1"], "v1");
    assert_eq!(sections["a"]["key2"], "v#2");
    assert_eq!(sections["profile b"]["x"], "y");
}
