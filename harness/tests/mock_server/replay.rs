//! Every scenario replayed from its recording gives the transcript it was recorded with.

use super::*;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

async fn record_scenario(scenario: &Scenario) -> (Recording, RunOutcome) {
    let target = recorder();
    let outcome = cjh::runner::run(scenario, &target, &Profile::default(), PREFIX).await;
    (recording(&scenario.id, target.exchanges()), outcome)
}

fn failures(outcome: &RunOutcome) -> Vec<String> {
    outcome
        .failures
        .iter()
        .map(|f| format!("{:?}: {}", f.step, f.message))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_replayed_from_its_recording_gives_the_transcript_it_was_recorded_with() {
    // Arrange
    let (scenarios, errors) = discover(&corpus());
    assert!(errors.is_empty(), "{errors:?}");
    assert!(scenarios.len() > 20, "the corpus is missing");
    let profile = Profile::default();
    let mut broken = Vec::new();
    for scenario in &scenarios {
        let (recording, recorded) = record_scenario(scenario).await;

        // Act
        let replay = ReplayTarget::start(&recording).await.unwrap();
        let seen = RecordingTarget::new(Box::new(replay));
        let replayed = cjh::runner::run(scenario, &seen, &profile, PREFIX).await;

        // Assert (collected, so one run names every scenario that breaks)
        let expected = normalize(&recorded.transcript, &profile);
        let actual = normalize(&replayed.transcript, &profile);
        if seen.exchanges() != recording.exchanges {
            broken.push(format!("{}: the replay sent other requests", scenario.id));
        } else if expected != actual || failures(&recorded) != failures(&replayed) {
            broken.push(format!(
                "{}: {}",
                scenario.id,
                cjh::compare::snapshot_diff(&expected, &actual).map_or_else(
                    || format!("{:?}", failures(&replayed)),
                    |d| format!("{:?}", d.first)
                )
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[tokio::test]
async fn a_replay_sends_exactly_the_recorded_requests_without_sleeping_or_cleaning_up() {
    // Arrange: a scenario with two waits, so the recording holds repeated polls
    let (scenarios, _) = discover(&corpus());
    let scenario = scenarios
        .iter()
        .find(|s| s.id == "lifecycle/a-starting-job-moves-to-inprogress-then-completed")
        .unwrap();
    let (recording, _) = record_scenario(scenario).await;
    let replay = ReplayTarget::start(&recording).await.unwrap();
    let label = replay.label();
    let seen = RecordingTarget::new(Box::new(replay));

    // Act
    let started = Instant::now();
    let outcome = cjh::runner::run(scenario, &seen, &Profile::default(), PREFIX).await;

    // Assert
    assert_eq!(label, format!("replay:{}", scenario.id));
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let polls = recording
        .exchanges
        .iter()
        .filter(|e| e.operation == "DescribeCompilationJob")
        .count();
    assert!(polls > 3, "the waits polled: {polls}");
    assert_eq!(seen.exchanges(), recording.exchanges);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no real-time waiting: {:?}",
        started.elapsed()
    );
}
