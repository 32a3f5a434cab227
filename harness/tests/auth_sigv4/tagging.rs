//! The Resource Groups Tagging API on the same endpoint is signed for the service
//! `tagging`, as its clients sign it; that scope is accepted for its targets only.

use super::*;

const GET_RESOURCES: &str = "ResourceGroupsTaggingAPI_20170126.GetResources";

#[tokio::test]
async fn get_resources_signed_for_tagging_lists_the_keys_accounts_tagged_jobs() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let mut body = create_body("tagged");
    body["Tags"] = json!([{"Key": "team", "Value": "ml"}]);
    let sagemaker = target(&url, signer(KEY_ONE, SECRET_ONE, "us-east-1"));
    let created = call(&sagemaker, "CreateCompilationJob", &body).await;
    assert_eq!(created.0, 200, "{created:?}");

    let request = HandSigned {
        service: "tagging",
        ..HandSigned::valid(b"{}")
    };
    let (status, answer) = request.send(&url, GET_RESOURCES).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({
            "PaginationToken": "",
            "ResourceTagMappingList": [{
                "ResourceARN": format!("arn:aws:sagemaker:us-east-1:{ACCOUNT_ONE}:compilation-job/tagged"),
                "Tags": [{"Key": "team", "Value": "ml"}],
            }],
        })
    );
}

#[tokio::test]
async fn each_api_refuses_a_scope_for_the_other() {
    let emulator = emulator().build();
    let url = emulator.start().await.unwrap();
    let as_sagemaker = HandSigned::valid(b"{}");
    assert_error(
        &as_sagemaker.send(&url, GET_RESOURCES).await,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'tagging'. ",
    );
    let as_tagging = HandSigned {
        service: "tagging",
        ..HandSigned::valid(b"{}")
    };
    assert_error(
        &as_tagging.send(&url, "ListCompilationJobs").await,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'sagemaker'. ",
    );
}
