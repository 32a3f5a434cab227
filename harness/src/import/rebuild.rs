//! Requests rebuilt for sources that kept only the answers (placebo).
//!
//! A replay matches a request by its `X-Amz-Target` and its body, so a recording
//! without requests answers nothing; this rebuilds the smallest request that the
//! answer, or an answer before it, proves: the operation's target, the AWS JSON 1.1
//! content type, and only the members that name what the answer is about. Anything
//! else the client sent (filters, page sizes, tags) is not in the answers and is not
//! guessed: those requests get `{}` and the exchange says it was reconstructed.
//!
//! - `Describe<R>`: `{"<R>Name": ...}` from the answer's own `<R>Name` (else the last
//!   one seen), so DescribeCompilationJob names the job it describes.
//! - `Stop<R>`, `Delete<R>`: the last `<R>Name` an earlier answer showed: the job that
//!   was listed or described before it was stopped.
//! - `ListTags`: `{"ResourceArn": ...}`, the last resource ARN an earlier answer showed
//!   (`<R>Arn` beside `<R>Name`, so a job's ARN and not its role's).
//! - every other `List*` (`{}`: no filter) and any other operation (`{}`, noted as a
//!   body that could not be rebuilt).

use serde_json::{Map, Value, json};

use crate::exchange::{Body, Request};

/// The `X-Amz-Target` prefix of a service, by the service name placebo puts in its
/// file names: SageMaker's (`api.sagemaker` is its endpoint prefix, `sagemaker` its
/// boto3 name) and the Resource Groups Tagging API's, which Cloud Custodian calls to
/// read and write tags. A service not listed has no rebuilt request: its files are
/// skipped, with a note, rather than given a target that might be wrong.
pub(crate) fn target_prefix(service: &str) -> Option<&'static str> {
    match service {
        "sagemaker" | "api.sagemaker" => Some("SageMaker"),
        "tagging" => Some("ResourceGroupsTaggingAPI_20170126"),
        _ => None,
    }
}

/// What the answers so far have shown: the last value of each `...Name` member and
/// the last resource ARN, at any depth.
#[derive(Debug, Clone, Default)]
pub(crate) struct Seen {
    names: Map<String, Value>,
    last_arn: Option<String>,
}

impl Seen {
    /// Takes in one answer body.
    pub(crate) fn observe(&mut self, answer: &Value) {
        match answer {
            Value::Object(members) => {
                for (name, value) in members {
                    if let Value::String(text) = value {
                        if name.ends_with("Name") {
                            self.names.insert(name.clone(), value.clone());
                        }
                        if is_resource_arn(name, members) {
                            self.last_arn = Some(text.clone());
                        }
                    } else {
                        self.observe(value);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.observe(item)),
            _ => {}
        }
    }
}

/// Whether member `name` is the ARN of the thing an object describes: `<R>Arn` beside
/// `<R>Name` (CompilationJobArn, not the RoleArn a job also carries), or the tagging
/// API's `ResourceARN`.
fn is_resource_arn(name: &str, members: &Map<String, Value>) -> bool {
    if name == "ResourceARN" || name == "ResourceArn" {
        return true;
    }
    name.strip_suffix("Arn")
        .is_some_and(|resource| members.contains_key(&format!("{resource}Name")))
}

/// A rebuilt request, and whether its body is only a placeholder (`{}` where the
/// operation surely took members the answers do not show).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rebuilt {
    /// `POST /` with the target, content type and body.
    pub(crate) request: Request,
    /// True when nothing in the answers gave the body's members.
    pub(crate) body_unknown: bool,
}

/// The request of `operation` (of the service whose target prefix is `prefix`), given
/// its `answer` and what earlier answers showed.
pub(crate) fn request(prefix: &str, operation: &str, answer: &Value, seen: &Seen) -> Rebuilt {
    let (body, body_unknown) = body(operation, answer, seen);
    Rebuilt {
        request: Request::aws_json(Some(&format!("{prefix}.{operation}")), Body::Json(body)),
        body_unknown,
    }
}

fn body(operation: &str, answer: &Value, seen: &Seen) -> (Value, bool) {
    if operation == "ListTags" {
        return match &seen.last_arn {
            Some(arn) => (json!({ "ResourceArn": arn }), false),
            None => (json!({}), true),
        };
    }
    if operation.starts_with("List") {
        return (json!({}), false);
    }
    let named = |resource: &str, own: Option<&Value>| {
        let member = format!("{resource}Name");
        let value = own
            .and_then(|answer| answer.get(&member))
            .filter(|v| v.is_string())
            .or_else(|| seen.names.get(&member))?;
        let mut body = Map::new();
        body.insert(member, value.clone());
        Some(Value::Object(body))
    };
    let rebuilt = if let Some(resource) = operation.strip_prefix("Describe") {
        named(resource, Some(answer))
    } else if let Some(resource) = operation
        .strip_prefix("Stop")
        .or_else(|| operation.strip_prefix("Delete"))
    {
        named(resource, None)
    } else {
        None
    };
    match rebuilt {
        Some(body) => (body, false),
        None => (json!({}), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(rebuilt: &Rebuilt) -> Value {
        rebuilt.request.body.json().cloned().unwrap_or(Value::Null)
    }

    #[test]
    fn describe_names_the_job_its_answer_describes() {
        let answer =
            json!({ "CompilationJobName": "c7n-test-2", "CompilationJobStatus": "INPROGRESS" });
        let rebuilt = request(
            "SageMaker",
            "DescribeCompilationJob",
            &answer,
            &Seen::default(),
        );
        assert_eq!(
            rebuilt.request.target(),
            Some("SageMaker.DescribeCompilationJob")
        );
        assert_eq!(
            rebuilt
                .request
                .headers
                .get("content-type")
                .map(String::as_str),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(
            body_of(&rebuilt),
            json!({ "CompilationJobName": "c7n-test-2" })
        );
        assert!(!rebuilt.body_unknown);
    }

    #[test]
    fn stop_names_the_job_seen_last_and_list_tags_the_last_arn() {
        let mut seen = Seen::default();
        seen.observe(&json!({ "CompilationJobSummaries": [
            { "CompilationJobName": "a", "CompilationJobArn": "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/a" }
        ] }));
        seen.observe(
            &json!({ "CompilationJobName": "b", "CompilationJobArn": "arn:b",
                              "RoleArn": "arn:aws:iam::000000000000:role/r" }),
        );
        let stop = request("SageMaker", "StopCompilationJob", &json!({}), &seen);
        assert_eq!(body_of(&stop), json!({ "CompilationJobName": "b" }));
        let tags = request("SageMaker", "ListTags", &json!({ "Tags": [] }), &seen);
        assert_eq!(body_of(&tags), json!({ "ResourceArn": "arn:b" }));
        let list = request("SageMaker", "ListCompilationJobs", &json!({}), &seen);
        assert_eq!(body_of(&list), json!({}));
        assert!(!list.body_unknown);
    }

    #[test]
    fn an_operation_whose_members_the_answers_do_not_show_gets_an_empty_body_marked_unknown() {
        let rebuilt = request(
            "ResourceGroupsTaggingAPI_20170126",
            "TagResources",
            &json!({ "FailedResourcesMap": {} }),
            &Seen::default(),
        );
        assert_eq!(
            rebuilt.request.target(),
            Some("ResourceGroupsTaggingAPI_20170126.TagResources")
        );
        assert_eq!(body_of(&rebuilt), json!({}));
        assert!(rebuilt.body_unknown);
        let stop = request(
            "SageMaker",
            "StopCompilationJob",
            &json!({}),
            &Seen::default(),
        );
        assert!(stop.body_unknown, "no job was seen before the stop");
    }

    #[test]
    fn only_sagemaker_and_tagging_have_target_prefixes() {
        assert_eq!(target_prefix("api.sagemaker"), Some("SageMaker"));
        assert_eq!(target_prefix("sagemaker"), Some("SageMaker"));
        assert_eq!(
            target_prefix("tagging"),
            Some("ResourceGroupsTaggingAPI_20170126")
        );
        assert_eq!(target_prefix("ec2"), None);
    }
}
