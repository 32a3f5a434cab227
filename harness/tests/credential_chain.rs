//! The credential chain end to end: `cjh clean --sign` gets its keys from one source of
//! the SDK's chain and lists jobs on `cjh serve --auth sigv4`, which knows only the keys
//! that source hands out, so a clean exit proves the chain found them and signed with
//! them. The network sources (STS, the container endpoint, instance metadata) are
//! loopback stand-ins; the child's environment is cleared, so the user's `~/.aws` and
//! variables play no part. SSO and web identity are not exercised here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod process;

use process::Running;

/// A folder of its own per test, removed when the test ends.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let dir = std::env::temp_dir().join(format!("cjh-chain-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let file = self.0.join(name);
        std::fs::write(&file, text).unwrap();
        file
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `cjh serve --auth sigv4` accepting only this key.
fn serve(dir: &Dir, key: &str, secret: &str) -> Running {
    let file = dir.write(
        "accepted.toml",
        &format!(
            "[[credential]]\naccess_key_id = \"{key}\"\nsecret_access_key = \"{secret}\"\naccount_id = \"111122223333\"\n"
        ),
    );
    Running::start(&[
        "serve",
        "--port",
        "0",
        "--auth",
        "sigv4",
        "--credentials",
        file.to_str().unwrap(),
    ])
}

/// `cjh clean --sign` against `server` in an environment holding only PATH, a HOME in
/// `dir`, files in `dir` (which may not exist), instance metadata off, and `env`
/// (where a `None` value removes the variable).
async fn clean(server: &Running, dir: &Dir, env: &[(&str, Option<&str>)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cjh"));
    command
        .args(["clean", "--target", server.url(), "--prefix", "cjh-chain"])
        .args(["--sign", "--region", "us-east-1"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("AWS_CONFIG_FILE", dir.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// The sweep listed the (empty) account, so the server accepted the signature.
fn assert_accepted(output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("0 removed, 0 left behind"),
        "cjh clean --sign failed\nstdout: {stdout}\nstderr: {stderr}"
    );
}

/// An expiry an hour away, as the AWS services write it.
fn in_an_hour() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(3600)).to_string()
}

/// A profile whose `credential_process` prints these keys.
fn process_profile(dir: &Dir, key: &str, secret: &str) {
    let script = dir.write(
        "process.sh",
        &format!(
            "echo '{{\"Version\":1,\"AccessKeyId\":\"{key}\",\"SecretAccessKey\":\"{secret}\",\"SessionToken\":\"process-token\",\"Expiration\":\"{}\"}}'\n",
            in_an_hour()
        ),
    );
    dir.write(
        "config",
        &format!(
            "[profile tool]\ncredential_process = sh {}\n",
            script.display()
        ),
    );
}

#[tokio::test]
async fn keys_from_a_credential_process_sign_requests_the_server_accepts() {
    // Arrange
    let dir = Dir::new();
    let server = serve(&dir, "PROCESSKEY", "process-secret");
    process_profile(&dir, "PROCESSKEY", "process-secret");

    // Act
    let output = clean(&server, &dir, &[("AWS_PROFILE", Some("tool"))]).await;

    // Assert
    assert_accepted(&output);
}

#[tokio::test]
async fn keys_the_server_does_not_know_are_refused() {
    // Arrange: the check above is live, not a server accepting anything.
    let dir = Dir::new();
    let server = serve(&dir, "PROCESSKEY", "process-secret");
    process_profile(&dir, "PROCESSKEY", "another-secret");

    // Act
    let output = clean(&server, &dir, &[("AWS_PROFILE", Some("tool"))]).await;

    // Assert
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && stderr.contains("answered 403"),
        "{stderr}"
    );
}

#[tokio::test]
async fn an_assumed_role_signs_with_the_keys_sts_returns() {
    // Arrange
    let dir = Dir::new();
    let server = serve(&dir, "ASIAROLEKEY", "role-secret");
    let sts = MockServer::start().await;
    let answer = format!(
        r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:cjh</AssumedRoleId>
      <Arn>arn:aws:sts::111122223333:assumed-role/cjh-deploy/cjh</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAROLEKEY</AccessKeyId>
      <SecretAccessKey>role-secret</SecretAccessKey>
      <SessionToken>role-token</SessionToken>
      <Expiration>{}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#,
        in_an_hour()
    );
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRole"))
        .and(body_string_contains("cjh-deploy"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(answer, "text/xml"))
        .expect(1)
        .mount(&sts)
        .await;
    dir.write(
        "config",
        "[profile base]\naws_access_key_id = SOURCEKEY\naws_secret_access_key = source-secret\n\n\
         [profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/cjh-deploy\nsource_profile = base\n",
    );

    // Act
    let output = clean(
        &server,
        &dir,
        &[
            ("AWS_PROFILE", Some("deploy")),
            ("AWS_ENDPOINT_URL_STS", Some(sts.uri().as_str())),
        ],
    )
    .await;

    // Assert
    assert_accepted(&output);
    let requests = sts.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one AssumeRole call");
    let authorization = requests[0].headers["authorization"].to_str().unwrap();
    assert!(
        authorization.contains("Credential=SOURCEKEY/")
            && authorization.contains("/sts/aws4_request"),
        "STS was not asked with the source profile's keys: {authorization}"
    );
}

#[tokio::test]
async fn container_credentials_sign_requests_the_server_accepts() {
    // Arrange
    let dir = Dir::new();
    let server = serve(&dir, "ASIACONTAINERKEY", "container-secret");
    let endpoint = MockServer::start().await;
    let answer = serde_json::json!({
        "AccessKeyId": "ASIACONTAINERKEY",
        "SecretAccessKey": "container-secret",
        "Token": "container-token",
        "Expiration": in_an_hour(),
    });
    Mock::given(method("GET"))
        .and(path("/v2/credentials/cjh"))
        .and(header("authorization", "container-auth"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&endpoint)
        .await;
    let uri = format!("{}/v2/credentials/cjh", endpoint.uri());

    // Act
    let output = clean(
        &server,
        &dir,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", Some(uri.as_str())),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", Some("container-auth")),
        ],
    )
    .await;

    // Assert
    assert_accepted(&output);
    endpoint.verify().await;
}

#[tokio::test]
async fn instance_metadata_credentials_sign_requests_the_server_accepts() {
    // Arrange
    let dir = Dir::new();
    let server = serve(&dir, "ASIAINSTANCEKEY", "instance-secret");
    let imds = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .and(header("x-aws-ec2-metadata-token-ttl-seconds", "21600"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
                .set_body_string("imds-session"),
        )
        .expect(1..)
        .mount(&imds)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/iam/security-credentials/"))
        .and(header("x-aws-ec2-metadata-token", "imds-session"))
        .respond_with(ResponseTemplate::new(200).set_body_string("cjh-instance-role"))
        .expect(1..)
        .mount(&imds)
        .await;
    let answer = serde_json::json!({
        "Code": "Success",
        "LastUpdated": humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        "Type": "AWS-HMAC",
        "AccessKeyId": "ASIAINSTANCEKEY",
        "SecretAccessKey": "instance-secret",
        "Token": "instance-token",
        "Expiration": in_an_hour(),
    });
    Mock::given(method("GET"))
        .and(path(
            "/latest/meta-data/iam/security-credentials/cjh-instance-role",
        ))
        .and(header("x-aws-ec2-metadata-token", "imds-session"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1..)
        .mount(&imds)
        .await;

    // Act
    let output = clean(
        &server,
        &dir,
        &[
            ("AWS_EC2_METADATA_DISABLED", None),
            (
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                Some(imds.uri().as_str()),
            ),
        ],
    )
    .await;

    // Assert
    assert_accepted(&output);
    imds.verify().await;
}

#[tokio::test]
async fn no_credentials_anywhere_says_where_the_chain_looked() {
    // Arrange
    let dir = Dir::new();
    let server = serve(&dir, "UNUSEDKEY", "unused-secret");

    // Act
    let output = clean(&server, &dir, &[]).await;

    // Assert
    let stderr = String::from_utf8_lossy(&output.stderr);
    let config = dir.path().join("config");
    assert!(
        !output.status.success()
            && stderr.contains("no credentials for profile 'default'")
            && stderr.contains(&config.display().to_string())
            && stderr.contains("instance metadata (off: AWS_EC2_METADATA_DISABLED)"),
        "{stderr}"
    );
}
