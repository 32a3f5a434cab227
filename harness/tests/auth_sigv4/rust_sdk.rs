//! aws-sdk-sagemaker, unchanged, against an endpoint that checks signatures.

use aws_sdk_sagemaker::Client;
use aws_sdk_sagemaker::error::ProvideErrorMetadata;

use super::*;

fn client(url: &str, secret: &str) -> Client {
    let config = common::sdk_config(url, "ap-southeast-2", KEY_TWO, secret).build();
    Client::from_conf(config)
}

#[tokio::test]
async fn the_sdk_with_matching_static_credentials_works_unchanged() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let client = client(&url, SECRET_TWO);
    let created = common::sdk_create(&client, "from-the-sdk")
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.compilation_job_arn(),
        Some("arn:aws:sagemaker:ap-southeast-2:444455556666:compilation-job/from-the-sdk")
    );
    let described = client
        .describe_compilation_job()
        .compilation_job_name("from-the-sdk")
        .send()
        .await
        .unwrap();
    assert_eq!(described.compilation_job_name(), Some("from-the-sdk"));
    let listed = client.list_compilation_jobs().send().await.unwrap();
    assert_eq!(listed.compilation_job_summaries().len(), 1);
}

#[tokio::test]
async fn the_sdk_with_the_wrong_secret_gets_an_invalid_signature() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let error = client(&url, "not-the-secret")
        .list_compilation_jobs()
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("InvalidSignatureException"));
    assert_eq!(error.message(), Some(MISMATCH));
}
