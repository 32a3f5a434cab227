//! Bringing fixtures into being through the public API, each to its status.

use std::time::Duration;

use serde_json::{Value, json};

use crate::exchange::{Body, Request};
use crate::scenario::{Fixture, FixtureStatus};
use crate::targets::Target;

use super::context::Context;
use crate::transcript::FixtureState;

/// The longest virtual wait: far beyond any lifecycle.
const VIRTUAL_LIMIT_SECS: f64 = 3600.0;

/// `None` for a success, else the error code (`__type`, or the status).
fn answer_code(status: u16, body: &Value) -> Option<String> {
    (status != 200).then(|| {
        body.get("__type")
            .and_then(Value::as_str)
            .map_or_else(|| status.to_string(), str::to_owned)
    })
}

/// Sends one operation and returns (status, JSON body).
pub(crate) async fn call(
    target: &dyn Target,
    operation: &str,
    body: &Value,
) -> Result<(u16, Value), String> {
    let target_header = format!("SageMaker.{operation}");
    let response = target
        .send(Request::aws_json(
            Some(&target_header),
            Body::Json(body.clone()),
        ))
        .await
        .map_err(|e| e.to_string())?
        .response;
    let json = response.body.json().cloned().unwrap_or(Value::Null);
    Ok((response.status, json))
}

fn create_body(fixture: &Fixture, name: &str, context: &Context) -> Value {
    let framework = fixture
        .framework
        .clone()
        .unwrap_or_else(|| "PYTORCH".to_owned());
    let model = if fixture.status == FixtureStatus::Failed {
        &context.profile.failing_model
    } else {
        &context.profile.model
    };
    let mut input = json!({
        "S3Uri": model,
        "DataInputConfig": "{\"input0\": [1, 3, 224, 224]}",
        "Framework": framework,
    });
    if ["MXNET", "PYTORCH", "TENSORFLOW", "TFLITE"].contains(&framework.as_str()) {
        input["FrameworkVersion"] = json!("2.0");
    }
    let mut output = json!({ "S3OutputLocation": context.profile.output });
    match &fixture.platform {
        Some(platform) => {
            let mut p = json!({ "Os": platform.os, "Arch": platform.arch });
            if let Some(accelerator) = &platform.accelerator {
                p["Accelerator"] = json!(accelerator);
                if accelerator == "NVIDIA" {
                    output["CompilerOptions"] = json!(
                        "{\"gpu-code\": \"sm_72\", \"trt-ver\": \"8.2\", \"cuda-ver\": \"11.4\"}"
                    );
                }
            }
            output["TargetPlatform"] = p;
        }
        None => output["TargetDevice"] = json!(fixture.device.as_deref().unwrap_or("ml_c5")),
    }
    json!({
        "CompilationJobName": name,
        "RoleArn": context.profile.role,
        "InputConfig": input,
        "OutputConfig": output,
        "StoppingCondition": { "MaxRuntimeInSeconds": 900 },
    })
}

/// Creates every fixture in order and brings each to its status, then reads them all
/// back. Errors name the fixture and what the target answered.
pub(crate) async fn realize(
    fixtures: &[Fixture],
    target: &dyn Target,
    context: &mut Context,
) -> Result<(), String> {
    for (index, fixture) in fixtures.iter().enumerate() {
        if let Some(clock) = target.clock()
            && index > 0
            && !fixture.same_time_as_previous
        {
            clock.advance(1.0);
        }
        let name = context.real_name(&fixture.name);
        let (status, body) = call(
            target,
            "CreateCompilationJob",
            &create_body(fixture, &name, context),
        )
        .await?;
        context.setup_answers.push(answer_code(status, &body));
        if status != 200 {
            return Err(format!(
                "fixture {}: CreateCompilationJob answered {status}: {body}",
                fixture.name
            ));
        }
        let stop = matches!(
            fixture.status,
            FixtureStatus::Stopping | FixtureStatus::Stopped
        );
        if stop {
            let (status, body) = call(
                target,
                "StopCompilationJob",
                &json!({ "CompilationJobName": name }),
            )
            .await?;
            context.setup_answers.push(answer_code(status, &body));
            if status != 200 {
                return Err(format!(
                    "fixture {}: StopCompilationJob answered {status}: {body}",
                    fixture.name
                ));
            }
        }
        if !matches!(
            fixture.status,
            FixtureStatus::Starting | FixtureStatus::Stopping
        ) {
            wait_for(target, context, &fixture.name, fixture.status).await?;
        }
    }
    context.fixtures.clear();
    for fixture in fixtures {
        let name = context.real_name(&fixture.name);
        let job = describe(target, &name).await?;
        let time = |member: &str| job.get(member).and_then(Value::as_f64).unwrap_or(0.0);
        context.fixtures.push(FixtureState {
            alias: fixture.name.clone(),
            name,
            status: job["CompilationJobStatus"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
            creation_time: time("CreationTime"),
            last_modified_time: time("LastModifiedTime"),
        });
    }
    let drifted: Vec<String> = fixtures
        .iter()
        .zip(&context.fixtures)
        .filter(|(wanted, got)| wanted.status.as_str() != got.status)
        .map(|(wanted, got)| {
            format!(
                "{} is {}, not {}",
                wanted.name,
                got.status,
                wanted.status.as_str()
            )
        })
        .collect();
    if drifted.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fixtures are not in their declared status ({}): the target may not offer that status, or a wait for a later fixture aged them (put fixtures whose status can still change after those that need a wait)",
            drifted.join(", ")
        ))
    }
}

async fn describe(target: &dyn Target, name: &str) -> Result<Value, String> {
    let (status, body) = call(
        target,
        "DescribeCompilationJob",
        &json!({ "CompilationJobName": name }),
    )
    .await?;
    if status == 200 {
        Ok(body)
    } else {
        Err(format!(
            "DescribeCompilationJob {name} answered {status}: {body}"
        ))
    }
}

/// Waits until a fixture is in `status`, looking with the same backoff (1 s, doubling,
/// at most 30 s) on every target: a virtual clock is moved by each pause instead of
/// sleeping, so a virtual run looks at the same moments a real one would, and a
/// recording of it holds a real run's number of polls.
pub(crate) async fn wait_for(
    target: &dyn Target,
    context: &Context,
    alias: &str,
    status: FixtureStatus,
) -> Result<(), String> {
    let name = context.real_name(alias);
    let mut waited = 0.0;
    let mut pause = 1.0_f64;
    loop {
        let job = describe(target, &name).await?;
        let now = job["CompilationJobStatus"].as_str().unwrap_or("");
        if now == status.as_str() {
            return Ok(());
        }
        if ["COMPLETED", "FAILED", "STOPPED"].contains(&now) {
            return Err(format!(
                "{alias} ended {now} while waiting for {}",
                status.as_str()
            ));
        }
        match target.clock() {
            Some(clock) if waited < VIRTUAL_LIMIT_SECS => {
                clock.advance(pause);
                waited += pause;
                pause = (pause * 2.0).min(30.0);
            }
            None if waited < context.profile.wait_timeout_secs as f64 => {
                tokio::time::sleep(Duration::from_secs_f64(pause)).await;
                waited += pause;
                pause = (pause * 2.0).min(30.0);
            }
            _ => {
                return Err(format!(
                    "{alias} did not reach {} (still {now})",
                    status.as_str()
                ));
            }
        }
    }
}
