//! Holding a verdict against a baseline.

use std::collections::BTreeMap;

use crate::report::{Divergence, Outcome};
use crate::runner::{Reach, Verdict};

use super::file::{Baseline, StepRef};

/// A divergent place: a step, or the fixtures (`None`).
pub type StepKey = Option<usize>;

/// The divergences of a verdict, by step: broken facts and the snapshot diff together.
pub fn divergent_steps(verdict: &Verdict) -> Vec<Divergence> {
    let mut by_step: BTreeMap<StepKey, Divergence> = BTreeMap::new();
    fn entry(map: &mut BTreeMap<StepKey, Divergence>, step: StepKey) -> &mut Divergence {
        map.entry(step).or_insert_with(|| Divergence {
            step,
            messages: Vec::new(),
            diff: None,
            known: None,
        })
    }
    for failure in &verdict.failures {
        entry(&mut by_step, failure.step)
            .messages
            .push(failure.message.clone());
    }
    let places = verdict.snapshot_diff.iter().flat_map(|d| &d.places);
    for place in places {
        entry(&mut by_step, place.step).diff = Some(place.diff.clone());
    }
    if verdict.snapshot_missing {
        entry(&mut by_step, None)
            .messages
            .push("no committed snapshot".to_owned());
    }
    by_step.into_values().collect()
}

/// The outcome of a verdict under a baseline (none for the reference emulator), with
/// the divergences marked known where the baseline lists them.
pub fn classify(
    verdict: &Verdict,
    baseline: Option<&Baseline>,
) -> (Outcome, Vec<Divergence>, Option<String>) {
    if let Reach::NotApplicable(why) = &verdict.reach {
        return (Outcome::NotApplicable, Vec::new(), Some(why.clone()));
    }
    judge(&verdict.scenario, divergent_steps(verdict), baseline)
}

/// The outcome of `scenario`'s divergences under a baseline (none: any divergence
/// fails), with each marked known where the baseline lists its step: the rule every
/// command that gates holds (`cjh run` for scenarios, `cjh verify` for recordings).
pub fn judge(
    scenario: &str,
    mut divergences: Vec<Divergence>,
    baseline: Option<&Baseline>,
) -> (Outcome, Vec<Divergence>, Option<String>) {
    let Some(baseline) = baseline else {
        let outcome = if divergences.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail
        };
        return (outcome, divergences, None);
    };
    if let Some(reason) = baseline.pending_reason(scenario) {
        let outcome = if divergences.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Pending
        };
        return (outcome, divergences, Some(reason.to_owned()));
    }
    let entries: Vec<_> = baseline.entries(scenario).collect();
    for divergence in &mut divergences {
        let key = StepRef::of(divergence.step);
        divergence.known = entries
            .iter()
            .find(|e| e.step == key)
            .map(|e| e.reason.clone());
    }
    let unknown = divergences.iter().any(|d| d.known.is_none());
    let stale: Vec<String> = entries
        .iter()
        .filter(|e| !divergences.iter().any(|d| StepRef::of(d.step) == e.step))
        .map(|e| match e.step.step() {
            Some(step) => format!("step {step}"),
            None => "fixtures".to_owned(),
        })
        .collect();
    let reason = entries.first().map(|e| e.reason.clone());
    if unknown {
        (Outcome::Fail, divergences, reason)
    } else if !stale.is_empty() {
        let note = format!(
            "the baseline lists divergences at {} that no longer happen; shrink it with --update-baseline",
            stale.join(", ")
        );
        divergences.push(Divergence {
            step: None,
            messages: vec![note],
            diff: None,
            known: None,
        });
        (Outcome::UnexpectedPass, divergences, reason)
    } else if divergences.is_empty() {
        (Outcome::Pass, divergences, None)
    } else {
        (Outcome::Known, divergences, reason)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::baseline::{KnownDivergence, Pending};
    use crate::runner::{AnswerStats, Failure};

    fn verdict(failing_steps: &[usize]) -> Verdict {
        Verdict {
            scenario: "area/name".to_owned(),
            target: "http://127.0.0.1:1".to_owned(),
            failures: failing_steps
                .iter()
                .map(|s| Failure {
                    step: Some(*s),
                    message: format!("step {s} broke"),
                })
                .collect(),
            snapshot: String::new(),
            snapshot_diff: None,
            snapshot_missing: false,
            stats: AnswerStats::default(),
            elapsed: Duration::ZERO,
            reach: Reach::Steps,
            left_behind: Vec::new(),
        }
    }

    fn known(step: usize) -> KnownDivergence {
        KnownDivergence {
            scenario: "area/name".to_owned(),
            step: StepRef::Step(step),
            path: None,
            reason: format!("step {step} is known"),
        }
    }

    fn baseline(entries: Vec<KnownDivergence>) -> Baseline {
        Baseline {
            divergences: entries,
            pending: Vec::new(),
        }
    }

    #[test]
    fn without_a_baseline_any_divergence_fails() {
        assert_eq!(classify(&verdict(&[2]), None).0, Outcome::Fail);
        assert_eq!(classify(&verdict(&[]), None).0, Outcome::Pass);
    }

    #[test]
    fn listed_divergences_are_known_and_unlisted_ones_fail() {
        let b = baseline(vec![known(2)]);
        let (outcome, divergences, _) = classify(&verdict(&[2]), Some(&b));
        assert_eq!(outcome, Outcome::Known);
        assert_eq!(divergences[0].known.as_deref(), Some("step 2 is known"));
        assert_eq!(classify(&verdict(&[2, 3]), Some(&b)).0, Outcome::Fail);
    }

    #[test]
    fn a_listed_divergence_that_is_gone_is_an_unexpected_pass() {
        let b = baseline(vec![known(2), known(3)]);
        let (outcome, divergences, _) = classify(&verdict(&[2]), Some(&b));
        assert_eq!(outcome, Outcome::UnexpectedPass);
        assert!(divergences.iter().any(|d| {
            d.messages
                .iter()
                .any(|m| m.contains("step 3") && m.contains("--update-baseline"))
        }));
        assert_eq!(classify(&verdict(&[]), Some(&b)).0, Outcome::UnexpectedPass);
    }

    #[test]
    fn a_pending_scenario_never_fails() {
        let b = Baseline {
            divergences: Vec::new(),
            pending: vec![Pending {
                scenario: "area/name".to_owned(),
                reason: "new".to_owned(),
            }],
        };
        assert_eq!(classify(&verdict(&[1, 2]), Some(&b)).0, Outcome::Pending);
        assert_eq!(classify(&verdict(&[]), Some(&b)).0, Outcome::Pass);
        assert!(!Outcome::Pending.fails());
    }
}
