//! The chain's order and messages, each test with its own files and an injected
//! environment (the process's is never read); instance metadata is off throughout.
//! The network sources (STS, container, instance metadata) are proved end to end in
//! `tests/credential_chain.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    /// An environment with HOME here, both files here, instance metadata off, and these.
    fn env(&self, pairs: &[(&str, &str)]) -> Environment {
        let mut vars: HashMap<String, String> = [
            ("HOME", self.path("")),
            ("AWS_CONFIG_FILE", self.path("config")),
            ("AWS_SHARED_CREDENTIALS_FILE", self.path("credentials")),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        vars.extend(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        Environment(vars)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
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

fn pair(key: &str, secret: &str, token: Option<&str>) -> (String, String, Option<String>) {
    (key.to_owned(), secret.to_owned(), token.map(str::to_owned))
}

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = FILEKEYDEFAULT
aws_secret_access_key = file-secret-default

[work]
aws_access_key_id = FILEKEYWORK
aws_secret_access_key = file-secret-work
aws_session_token = file-token-work
";

const REGION: &str = "us-east-1";

#[test]
fn the_environment_comes_first_when_no_profile_is_named() {
    let dir = Dir::new("env-first");
    dir.write("credentials", CREDENTIALS);
    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", "ENVKEY"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-token"),
    ]);
    let found = ok(env.resolve(None, REGION));
    assert_eq!(found, pair("ENVKEY", "env-secret", Some("env-token")));
}

#[test]
fn a_named_profile_wins_over_the_environment() {
    let dir = Dir::new("named-wins");
    dir.write("credentials", CREDENTIALS);
    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", "ENVKEY"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_PROFILE", "default"),
    ]);
    let found = ok(env.resolve(Some("work"), REGION));
    assert_eq!(
        found,
        pair("FILEKEYWORK", "file-secret-work", Some("file-token-work"))
    );
}

#[test]
fn aws_profile_chooses_the_profile_when_none_is_named() {
    let dir = Dir::new("aws-profile");
    dir.write("credentials", CREDENTIALS);
    let found = ok(dir.env(&[("AWS_PROFILE", "work")]).resolve(None, REGION));
    assert_eq!(found.0, "FILEKEYWORK");
}

#[test]
fn without_variables_the_default_profile_of_the_home_folder_is_used() {
    let dir = Dir::new("home");
    dir.write(
        ".aws/config",
        "[default]\naws_access_key_id = HOMEKEY\naws_secret_access_key = home-secret\n",
    );
    let mut env = dir.env(&[]);
    env.0.remove("AWS_CONFIG_FILE");
    env.0.remove("AWS_SHARED_CREDENTIALS_FILE");
    assert_eq!(
        ok(env.resolve(None, REGION)),
        pair("HOMEKEY", "home-secret", None)
    );
}

#[test]
fn a_tilde_in_a_file_variable_is_the_home_folder() {
    let dir = Dir::new("tilde");
    dir.write("elsewhere/creds", CREDENTIALS);
    let env = dir.env(&[("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds")]);
    assert_eq!(ok(env.resolve(None, REGION)).0, "FILEKEYDEFAULT");
}

#[test]
fn a_credential_process_profile_gets_the_keys_the_process_prints() {
    let dir = Dir::new("process");
    let script = dir.write(
        "process.sh",
        r#"echo '{"Version":1,"AccessKeyId":"PROCESSKEY","SecretAccessKey":"process-secret","SessionToken":"process-token"}'"#,
    );
    dir.write(
        "config",
        &format!(
            "[profile tool]\ncredential_process = sh {}\n",
            script.display()
        ),
    );
    let found = ok(dir.env(&[]).resolve(Some("tool"), REGION));
    assert_eq!(
        found,
        pair("PROCESSKEY", "process-secret", Some("process-token"))
    );
}

#[test]
fn a_failing_credential_process_is_reported_with_the_profile() {
    let dir = Dir::new("process-fails");
    dir.write(
        "config",
        "[profile tool]\ncredential_process = sh -c 'exit 3'\n",
    );
    let error = err(dir.env(&[]).resolve(Some("tool"), REGION));
    let text = error.to_string();
    assert!(
        matches!(error, CredentialsError::Failed { .. }) && text.contains("profile 'tool'"),
        "{text}"
    );
}

#[test]
fn a_named_profile_that_no_file_has_is_named_in_the_error() {
    let dir = Dir::new("named-missing");
    dir.write("credentials", CREDENTIALS);
    let text = err(dir.env(&[]).resolve(Some("nope"), REGION)).to_string();
    assert!(
        text.contains("profile 'nope' is in neither")
            && text.contains(&dir.path("credentials"))
            && text.contains(&dir.path("config"))
            && text.contains("aws configure --profile nope"),
        "{text}"
    );
}

#[test]
fn an_aws_profile_that_no_file_has_is_named_in_the_error() {
    let dir = Dir::new("aws-profile-missing");
    dir.write("credentials", CREDENTIALS);
    let error = err(dir.env(&[("AWS_PROFILE", "gone")]).resolve(None, REGION));
    assert!(
        matches!(&error, CredentialsError::ProfileNotFound { profile, .. } if profile == "gone"),
        "{error}"
    );
}

#[test]
fn nothing_anywhere_says_where_it_looked() {
    let dir = Dir::new("nothing");
    let text = err(dir.env(&[]).resolve(None, REGION)).to_string();
    for place in [
        "no credentials for profile 'default'",
        "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)",
        &dir.path("credentials"),
        &dir.path("config"),
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "instance metadata (off: AWS_EC2_METADATA_DISABLED)",
        "aws configure",
    ] {
        assert!(text.contains(place), "{place:?} missing from: {text}");
    }
}

#[test]
fn half_a_key_pair_is_an_error_not_a_fallback() {
    let dir = Dir::new("half");
    dir.write("credentials", CREDENTIALS);
    let text = err(dir
        .env(&[("AWS_ACCESS_KEY_ID", "ENVKEY")])
        .resolve(None, REGION))
    .to_string();
    assert!(
        text.contains("sets AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY"),
        "{text}"
    );
    // A named profile ignores the environment's keys, halves included.
    let named = dir.env(&[("AWS_SECRET_ACCESS_KEY", "env-secret")]);
    assert_eq!(ok(named.resolve(Some("work"), REGION)).0, "FILEKEYWORK");
}

#[tokio::test]
async fn the_sync_resolve_works_inside_a_runtime() {
    let dir = Dir::new("in-runtime");
    dir.write("credentials", CREDENTIALS);
    assert_eq!(ok(dir.env(&[]).resolve(None, REGION)).0, "FILEKEYDEFAULT");
}

#[tokio::test]
async fn the_async_chain_resolves_in_the_callers_runtime() {
    let dir = Dir::new("async");
    dir.write("credentials", CREDENTIALS);
    let chain = dir.env(&[]).chain(Some("work"), REGION).await;
    let found = match chain {
        Ok(chain) => chain.credentials().await,
        Err(error) => Err(error),
    };
    assert_eq!(ok(found).0, "FILEKEYWORK");
}

/// A source that counts its fetches and hands out credentials valid for `lifetime`.
#[derive(Debug)]
struct Counting {
    fetches: Arc<AtomicUsize>,
    lifetime: Option<Duration>,
}

impl ProvideCredentials for Counting {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.fetches.fetch_add(1, Ordering::SeqCst);
        let expiry = self.lifetime.map(|l| SystemTime::now() + l);
        future::ProvideCredentials::ready(Ok(Credentials::new(
            format!("KEY{n}"),
            "secret",
            None,
            expiry,
            "counting",
        )))
    }
}

async fn fetches_after_three_calls(lifetime: Option<Duration>) -> (usize, String) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let source = SharedCredentialsProvider::new(Counting {
        fetches: fetches.clone(),
        lifetime,
    });
    let first = match source.provide_credentials().await {
        Ok(credentials) => credentials,
        Err(error) => panic!("{error}"),
    };
    let refreshing = Refreshing::new(source, first);
    let mut last = String::new();
    for _ in 0..3 {
        match refreshing.provide_credentials().await {
            Ok(credentials) => last = credentials.access_key_id().to_owned(),
            Err(error) => panic!("{error}"),
        }
    }
    (fetches.load(Ordering::SeqCst), last)
}

#[tokio::test]
async fn the_provider_keeps_credentials_that_do_not_expire_soon() {
    assert_eq!(
        fetches_after_three_calls(None).await,
        (1, "KEY0".to_owned())
    );
    let hour = Some(Duration::from_secs(3600));
    assert_eq!(
        fetches_after_three_calls(hour).await,
        (1, "KEY0".to_owned())
    );
}

#[tokio::test]
async fn the_provider_fetches_again_credentials_about_to_expire() {
    let minute = Some(Duration::from_secs(60));
    assert_eq!(
        fetches_after_three_calls(minute).await,
        (4, "KEY3".to_owned())
    );
}
