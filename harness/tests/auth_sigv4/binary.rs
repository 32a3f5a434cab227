//! `cjh serve --auth sigv4 --credentials FILE` as a process.

use super::*;

/// `cjh serve` with these flags.
pub(super) fn spawn(args: &[&str]) -> Running {
    let mut all = vec!["serve"];
    all.extend_from_slice(args);
    Running::start(&all)
}

/// A credentials file of these keys, each `(key, secret, account)`.
fn credentials_file_of(keys: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cjh-auth-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("credentials.toml");
    let tables: String = keys
        .iter()
        .map(|(key, secret, account)| {
            format!(
                "[[credential]]\naccess_key_id = \"{key}\"\nsecret_access_key = \"{secret}\"\naccount_id = \"{account}\"\n"
            )
        })
        .collect();
    std::fs::write(&file, tables).unwrap();
    file
}

pub(super) fn credentials_file() -> std::path::PathBuf {
    credentials_file_of(&[(KEY_ONE, SECRET_ONE, ACCOUNT_ONE)])
}

#[tokio::test]
async fn the_server_checks_signatures_with_keys_from_a_credentials_file() {
    let file = credentials_file();
    let server = spawn(&[
        "--port",
        "0",
        "--auth",
        "sigv4",
        "--credentials",
        file.to_str().unwrap(),
        "--region",
        "us-east-2",
        "--pin-region",
    ]);
    let one = target(server.url(), signer(KEY_ONE, SECRET_ONE, "us-east-2"));
    let (status, body) = call(&one, "CreateCompilationJob", &create_body("from-cli")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["CompilationJobArn"],
        "arn:aws:sagemaker:us-east-2:111122223333:compilation-job/from-cli"
    );
    let wrong = target(server.url(), signer(KEY_ONE, "wrong", "us-east-2"));
    let answer = call(&wrong, "ListCompilationJobs", &json!({})).await;
    assert_error(&answer, "InvalidSignatureException", MISMATCH);
    let elsewhere = target(server.url(), signer(KEY_ONE, SECRET_ONE, "us-east-1"));
    let answer = call(&elsewhere, "ListCompilationJobs", &json!({})).await;
    assert_error(
        &answer,
        "InvalidSignatureException",
        "Credential should be scoped to a valid region. ",
    );
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[test]
fn sigv4_without_a_credentials_file_stops_the_server_with_a_reason() {
    let output = Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(["serve", "--port", "0", "--auth", "sigv4"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--credentials"), "{stderr}");
}

#[tokio::test]
async fn a_page_token_of_one_account_is_invalid_for_another_account() {
    let file = credentials_file_of(&[
        (KEY_ONE, SECRET_ONE, ACCOUNT_ONE),
        (KEY_TWO, SECRET_TWO, ACCOUNT_TWO),
    ]);
    let server = spawn(&[
        "--port",
        "0",
        "--auth",
        "sigv4",
        "--credentials",
        file.to_str().unwrap(),
    ]);
    let one = target(server.url(), signer(KEY_ONE, SECRET_ONE, "us-east-1"));
    let two = target(server.url(), signer(KEY_TWO, SECRET_TWO, "us-east-1"));
    // The same two names in both accounts, so the token would be a position in either.
    for client in [&one, &two] {
        for name in ["first", "second"] {
            let (status, body) = call(client, "CreateCompilationJob", &create_body(name)).await;
            assert_eq!(status, 200, "{body}");
        }
    }
    let (status, page) = call(&one, "ListCompilationJobs", &json!({ "MaxResults": 1 })).await;
    assert_eq!(status, 200, "{page}");
    let next = json!({ "MaxResults": 1, "NextToken": page["NextToken"] });
    assert!(next["NextToken"].is_string(), "{page}");

    let (status, body) = call(&two, "ListCompilationJobs", &next).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["__type"], "ValidationException");
    assert_eq!(body["Message"], "Invalid pagination token");
    // The token itself is good in the account that got it.
    let (status, body) = call(&one, "ListCompilationJobs", &next).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["CompilationJobSummaries"][0]["CompilationJobName"],
        "second"
    );
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}
