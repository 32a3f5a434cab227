//! Bringing fixtures into being through the public API, each to its status.

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ConstantBuilder};
use serde_json::{Value, json};

use crate::exchange::{Body, Request};
use crate::scenario::{Fixture, FixtureStatus, ScenarioModel, TimeName};
use crate::targets::Target;
use crate::targets::polling;

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
/// back and checks that their times are apart as the scenario needs. Errors name the
/// fixture and what the target answered.
pub(crate) async fn realize(
    file: &ScenarioModel,
    target: &dyn Target,
    context: &mut Context,
) -> Result<(), String> {
    let fixtures = &file.fixtures;
    let apart_modified = file.distinct_times.contains(&TimeName::LastModifiedTime);
    let mut last_answer: Option<Instant> = None;
    for (index, fixture) in fixtures.iter().enumerate() {
        let spaced = index > 0 && !fixture.same_time_as_previous;
        match target.clock() {
            Some(clock) if spaced => clock.advance(1.0),
            None if spaced => {
                let previous = context.real_name(&fixtures[index - 1].name);
                space(target, &previous, last_answer, apart_modified).await?;
            }
            _ => {}
        }
        let name = context.real_name(&fixture.name);
        let (status, body) = call(
            target,
            "CreateCompilationJob",
            &create_body(fixture, &name, context),
        )
        .await?;
        last_answer = Some(Instant::now());
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
            FixtureStatus::Any | FixtureStatus::Starting | FixtureStatus::Stopping
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
            any_status: fixture.status == FixtureStatus::Any,
            creation_time: time("CreationTime"),
            last_modified_time: time("LastModifiedTime"),
        });
    }
    let drifted: Vec<String> = fixtures
        .iter()
        .zip(&context.fixtures)
        .filter(|(wanted, got)| {
            wanted.status != FixtureStatus::Any && wanted.status.as_str() != got.status
        })
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
        apart(file, &context.fixtures)
    } else {
        Err(format!(
            "fixtures are not in their declared status ({}): the target may not offer that status, or a wait for a later fixture aged them (put fixtures whose status can still change after those that need a wait)",
            drifted.join(", ")
        ))
    }
}

/// The pause that parts two CreationTimes: the target stamps them in milliseconds, and
/// the previous job was stamped before its answer came, so a Create sent this long after
/// that answer is stamped at a later millisecond on any clock that runs forward.
const CREATION_RESOLUTION: Duration = Duration::from_millis(2);

/// How often `space` looks at the target's clock: it only waits for a second to turn.
const CLOCK_LOOK: Duration = Duration::from_millis(100);
/// How long `space` waits for the target's clock to pass a second.
const CLOCK_PATIENCE: Duration = Duration::from_secs(10);

/// Waits until a fixture created now gets times apart from the previous fixture's: its
/// CreationTime always; its LastModifiedTime (whole seconds) when asked, by looking at
/// the target's clock (its `Date` header) until the second of the previous job's
/// LastModifiedTime has passed there.
async fn space(
    target: &dyn Target,
    previous: &str,
    last_answer: Option<Instant>,
    apart_modified: bool,
) -> Result<(), String> {
    if let Some(at) = last_answer {
        let since = at.elapsed();
        if since < CREATION_RESOLUTION {
            tokio::time::sleep(CREATION_RESOLUTION - since).await;
        }
    }
    if !apart_modified {
        return Ok(());
    }
    /// Why a look did not find the target's clock past the second: not yet (with the
    /// previous job's LastModifiedTime), or a failed call.
    enum Behind {
        Still(f64),
        Failed(String),
    }
    let look = || async {
        let exchange = target
            .send(Request::aws_json(
                Some("SageMaker.DescribeCompilationJob"),
                Body::Json(json!({ "CompilationJobName": previous })),
            ))
            .await
            .map_err(|e| Behind::Failed(e.to_string()))?;
        let modified = exchange
            .response
            .body
            .json()
            .and_then(|b| b.get("LastModifiedTime"))
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let now = exchange
            .response
            .headers
            .get("date")
            .and_then(|d| httpdate::parse_http_date(d).ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or_else(local_now, |d| d.as_secs_f64());
        if now.floor() > modified.floor() {
            Ok(())
        } else {
            Err(Behind::Still(modified))
        }
    };
    let started = Instant::now();
    let pauses = ConstantBuilder::new()
        .with_delay(CLOCK_LOOK)
        .without_max_times()
        .build();
    polling::poll(target, pauses, look, |behind| {
        matches!(behind, Behind::Still(_)) && started.elapsed() <= CLOCK_PATIENCE
    })
    .await
    .map_err(|behind| match behind {
        Behind::Still(modified) => format!(
            "the target's clock did not pass {previous}'s LastModifiedTime ({modified}) within {} s",
            CLOCK_PATIENCE.as_secs()
        ),
        Behind::Failed(why) => why,
    })
}

fn local_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Checks that the fixtures' times rise in file order as the scenario needs: every
/// CreationTime (but one declared the same as the previous), and every LastModifiedTime
/// when `distinct_times` lists it.
fn apart(file: &ScenarioModel, realized: &[FixtureState]) -> Result<(), String> {
    let apart_modified = file.distinct_times.contains(&TimeName::LastModifiedTime);
    for (i, pair) in realized.windows(2).enumerate() {
        let (before, after) = (&pair[0], &pair[1]);
        let same_wanted = file.fixtures[i + 1].same_time_as_previous;
        let created_ok = if same_wanted {
            after.creation_time == before.creation_time
        } else {
            after.creation_time > before.creation_time
        };
        if !created_ok {
            return Err(format!(
                "fixture {}'s CreationTime {} is not {} {}'s {}: the target's clock cannot give the times this scenario needs",
                after.alias,
                after.creation_time,
                if same_wanted { "equal to" } else { "after" },
                before.alias,
                before.creation_time
            ));
        }
        if apart_modified && after.last_modified_time <= before.last_modified_time {
            return Err(format!(
                "fixture {}'s LastModifiedTime {} is not after {}'s {}, which the scenario needs (distinct_times)",
                after.alias, after.last_modified_time, before.alias, before.last_modified_time
            ));
        }
    }
    Ok(())
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

/// Waits until a fixture is in `status`, looking with the same backoff on every target
/// (see [`polling`]): up to [`VIRTUAL_LIMIT_SECS`] of a virtual clock, or the profile's
/// wait timeout of real time.
pub(crate) async fn wait_for(
    target: &dyn Target,
    context: &Context,
    alias: &str,
    status: FixtureStatus,
) -> Result<(), String> {
    /// Why a look did not find the status: not yet, or never.
    enum Missed {
        Still(String),
        Never(String),
    }
    let name = context.real_name(alias);
    let limit = match target.clock() {
        Some(_) => VIRTUAL_LIMIT_SECS,
        None => context.profile.wait_timeout_secs as f64,
    };
    let look = || async {
        let job = describe(target, &name).await.map_err(Missed::Never)?;
        let now = job["CompilationJobStatus"].as_str().unwrap_or("");
        if now == status.as_str() {
            Ok(())
        } else if ["COMPLETED", "FAILED", "STOPPED"].contains(&now) {
            Err(Missed::Never(format!(
                "{alias} ended {now} while waiting for {}",
                status.as_str()
            )))
        } else {
            Err(Missed::Still(now.to_owned()))
        }
    };
    let pauses = polling::schedule(Some(Duration::from_secs_f64(limit)));
    polling::poll(target, pauses, look, |missed| {
        matches!(missed, Missed::Still(_))
    })
    .await
    .map_err(|missed| match missed {
        Missed::Still(now) => format!("{alias} did not reach {} (still {now})", status.as_str()),
        Missed::Never(why) => why,
    })
}
