//! How a run differs from its snapshot, computed once: every place that differs (the
//! fixtures, then each step with its pages together) and the first differing answer.
//! `cjh run`, its baseline and the test suite all read this one result, so a run the
//! reports call divergent is the run the tests call divergent, at the same step.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use similar::TextDiff;

/// One place a run differs from its snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceDiff {
    /// The step (1-based), or `None` for the fixtures or a snapshot that is not a
    /// transcript.
    pub step: Option<usize>,
    /// A unified diff of that place, snapshot first.
    pub diff: String,
}

/// Everything a run does differently from its snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotDiff {
    /// Where it first differs, narrowed to the first differing page of that step so a
    /// long walk shows the answer that went wrong rather than every page.
    pub first: PlaceDiff,
    /// Every differing place in order, fixtures first, pages of a step together: what a
    /// baseline names and reports show.
    pub places: Vec<PlaceDiff>,
}

/// Compares a snapshot's content with a run's normalized transcript; `None` when they
/// agree.
pub fn snapshot_diff(expected: &str, actual: &str) -> Option<SnapshotDiff> {
    if expected.trim_end() == actual.trim_end() {
        return None;
    }
    let whole = || {
        let place = PlaceDiff {
            step: None,
            diff: unified(expected, actual),
        };
        SnapshotDiff {
            first: place.clone(),
            places: vec![place],
        }
    };
    let (Ok(want), Ok(got)) = (
        serde_json::from_str::<Value>(expected),
        serde_json::from_str::<Value>(actual),
    ) else {
        return Some(whole());
    };
    let mut first = None;
    let mut places = Vec::new();
    if want["fixtures"] != got["fixtures"] {
        let place = PlaceDiff {
            step: None,
            diff: unified(&pretty(&want["fixtures"]), &pretty(&got["fixtures"])),
        };
        first = Some(place.clone());
        places.push(place);
    }
    let (want_steps, got_steps) = (by_step(&want), by_step(&got));
    let numbers: BTreeSet<usize> = want_steps.keys().chain(got_steps.keys()).copied().collect();
    let none = Vec::new();
    for n in numbers {
        let w = want_steps.get(&n).unwrap_or(&none);
        let g = got_steps.get(&n).unwrap_or(&none);
        if w == g {
            continue;
        }
        if first.is_none() {
            first = Some(first_page(n, w, g));
        }
        let show = |pages: &Vec<&Value>| {
            if pages.is_empty() {
                String::new()
            } else {
                pretty(&Value::Array(pages.iter().map(|&v| v.clone()).collect()))
            }
        };
        places.push(PlaceDiff {
            step: Some(n),
            diff: unified(&show(w), &show(g)),
        });
    }
    // Texts that differ while their JSON agrees (layout only) still differ as a whole.
    match first {
        Some(first) => Some(SnapshotDiff { first, places }),
        None => Some(whole()),
    }
}

/// A transcript's answers by step number, in order.
fn by_step(transcript: &Value) -> BTreeMap<usize, Vec<&Value>> {
    let mut steps: BTreeMap<usize, Vec<&Value>> = BTreeMap::new();
    for answer in transcript["steps"].as_array().into_iter().flatten() {
        let n = answer["step"].as_u64().unwrap_or(0) as usize;
        steps.entry(n).or_default().push(answer);
    }
    steps
}

/// The first differing page of a step that differs.
fn first_page(step: usize, want: &[&Value], got: &[&Value]) -> PlaceDiff {
    let show = |v: Option<&&Value>| v.map(|v| pretty(v)).unwrap_or_default();
    let at = (0..want.len().max(got.len()))
        .find(|&i| want.get(i) != got.get(i))
        .unwrap_or(0);
    PlaceDiff {
        step: Some(step),
        diff: unified(&show(want.get(at)), &show(got.get(at))),
    }
}

/// Pretty JSON with a final newline, as diffs compare it line by line.
pub fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn unified(expected: &str, actual: &str) -> String {
    unified_under(expected, actual, ("snapshot", "this run"))
}

/// A unified diff of two texts, three lines of context, under these headers.
pub fn unified_under(expected: &str, actual: &str, headers: (&str, &str)) -> String {
    TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header(headers.0, headers.1)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_differing_step_is_named_with_its_diff() {
        let want = r#"{"fixtures": [], "steps": [{"step": 1, "status": 200}, {"step": 2, "status": 200}]}"#;
        let got = r#"{"fixtures": [], "steps": [{"step": 1, "status": 200}, {"step": 2, "status": 400}]}"#;
        let diff = snapshot_diff(want, got);
        let first = diff.as_ref().map(|d| &d.first);
        assert_eq!(first.and_then(|d| d.step), Some(2));
        let text = first.map(|d| d.diff.as_str()).unwrap_or_default();
        assert!(
            text.contains("-  \"status\": 200") && text.contains("+  \"status\": 400"),
            "{text}"
        );
    }

    #[test]
    fn every_differing_place_is_listed_with_the_pages_of_a_step_together() {
        let want = r#"{"fixtures": [{"name": "a"}], "steps": [
            {"step": 1, "page": 1, "n": 0}, {"step": 1, "page": 2, "n": 0},
            {"step": 2, "n": 0}, {"step": 3, "n": 0}]}"#;
        let got = r#"{"fixtures": [{"name": "b"}], "steps": [
            {"step": 1, "page": 1, "n": 0}, {"step": 1, "page": 2, "n": 1},
            {"step": 2, "n": 0}, {"step": 3, "n": 1}]}"#;
        let diff = snapshot_diff(want, got).unwrap_or_else(|| panic!("they differ"));
        let steps: Vec<Option<usize>> = diff.places.iter().map(|p| p.step).collect();
        assert_eq!(steps, [None, Some(1), Some(3)]);
        assert_eq!(diff.first, diff.places[0]);
        // Inside the step's list of pages, one level deeper than a lone answer.
        assert!(
            diff.places[1].diff.contains("-    \"n\": 0"),
            "{}",
            diff.places[1].diff
        );
    }

    #[test]
    fn the_first_place_narrows_to_the_page_that_differs() {
        let want = r#"{"fixtures": [], "steps": [{"step": 1, "page": 1}, {"step": 1, "page": 2, "n": 0}]}"#;
        let got = r#"{"fixtures": [], "steps": [{"step": 1, "page": 1}, {"step": 1, "page": 2, "n": 1}]}"#;
        let diff = snapshot_diff(want, got).unwrap_or_else(|| panic!("they differ"));
        assert_eq!(diff.first.step, Some(1));
        assert!(
            !diff.first.diff.contains("\"page\": 1"),
            "{}",
            diff.first.diff
        );
    }

    #[test]
    fn agreeing_transcripts_have_no_diff_and_text_that_is_not_json_differs_whole() {
        assert_eq!(snapshot_diff("{}\n", "{}"), None);
        let diff = snapshot_diff("a\n", "b\n").unwrap_or_else(|| panic!("they differ"));
        assert_eq!(diff.places.len(), 1);
        assert_eq!(diff.first.step, None);
    }
}
