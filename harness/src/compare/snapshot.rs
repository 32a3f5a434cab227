//! Snapshot files (insta's format: a YAML header between `---` lines, then the content)
//! and the first place a run diverges from one.

use std::path::Path;

use serde_json::Value;
use similar::TextDiff;

/// The content of a snapshot file, without insta's header; `None` if there is no file.
pub fn read_snapshot(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(strip_header(&text))
}

fn strip_header(text: &str) -> String {
    let mut lines = text.lines();
    if lines.next() != Some("---") {
        return text.to_owned();
    }
    for line in lines.by_ref() {
        if line == "---" {
            break;
        }
    }
    let mut content: String = lines.collect::<Vec<_>>().join("\n");
    content.push('\n');
    content
}

/// Where a run first differs from its snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// The first differing step (1-based), or `None` when the fixtures differ or the
    /// snapshot is not a transcript.
    pub step: Option<u64>,
    /// A unified diff of that part, snapshot first.
    pub diff: String,
}

/// Compares a normalized transcript with a snapshot's content.
pub fn diverges(expected: &str, actual: &str) -> Option<Divergence> {
    if expected.trim_end() == actual.trim_end() {
        return None;
    }
    let parsed = (
        serde_json::from_str::<Value>(expected),
        serde_json::from_str::<Value>(actual),
    );
    if let (Ok(want), Ok(got)) = parsed {
        if want["fixtures"] != got["fixtures"] {
            return Some(Divergence {
                step: None,
                diff: unified(&pretty(&want["fixtures"]), &pretty(&got["fixtures"])),
            });
        }
        let empty = Vec::new();
        let want_steps = want["steps"].as_array().unwrap_or(&empty);
        let got_steps = got["steps"].as_array().unwrap_or(&empty);
        for i in 0..want_steps.len().max(got_steps.len()) {
            let (w, g) = (want_steps.get(i), got_steps.get(i));
            if w != g {
                let step = w.or(g).and_then(|s| s["step"].as_u64());
                let show = |v: Option<&Value>| v.map(pretty).unwrap_or_default();
                return Some(Divergence {
                    step,
                    diff: unified(&show(w), &show(g)),
                });
            }
        }
    }
    Some(Divergence {
        step: None,
        diff: unified(expected, actual),
    })
}

/// Every place a run differs from its snapshot: the fixtures (`None`) and each step,
/// with a unified diff per place (pages of one step together).
pub fn step_diffs(expected: &str, actual: &str) -> Vec<(Option<usize>, String)> {
    if expected.trim_end() == actual.trim_end() {
        return Vec::new();
    }
    let (Ok(want), Ok(got)) = (
        serde_json::from_str::<Value>(expected),
        serde_json::from_str::<Value>(actual),
    ) else {
        return vec![(None, unified(expected, actual))];
    };
    let mut out = Vec::new();
    if want["fixtures"] != got["fixtures"] {
        out.push((
            None,
            unified(&pretty(&want["fixtures"]), &pretty(&got["fixtures"])),
        ));
    }
    let by_step = |v: &Value| {
        let mut steps: std::collections::BTreeMap<usize, Vec<Value>> = Default::default();
        for s in v["steps"].as_array().into_iter().flatten() {
            let n = s["step"].as_u64().unwrap_or(0) as usize;
            steps.entry(n).or_default().push(s.clone());
        }
        steps
    };
    let (want_steps, got_steps) = (by_step(&want), by_step(&got));
    let numbers: std::collections::BTreeSet<usize> =
        want_steps.keys().chain(got_steps.keys()).copied().collect();
    for n in numbers {
        let (w, g) = (want_steps.get(&n), got_steps.get(&n));
        if w != g {
            let show = |v: Option<&Vec<Value>>| {
                v.map(|v| pretty(&Value::Array(v.clone())))
                    .unwrap_or_default()
            };
            out.push((Some(n), unified(&show(w), &show(g))));
        }
    }
    out
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
    fn the_insta_header_is_not_content() {
        let text = "---\nsource: x\nexpression: y\n---\n{\n  \"a\": 1\n}\n";
        assert_eq!(strip_header(text), "{\n  \"a\": 1\n}\n");
    }

    #[test]
    fn the_first_differing_step_is_named_with_its_diff() {
        let want = r#"{"fixtures": [], "steps": [{"step": 1, "status": 200}, {"step": 2, "status": 200}]}"#;
        let got = r#"{"fixtures": [], "steps": [{"step": 1, "status": 200}, {"step": 2, "status": 400}]}"#;
        let divergence = diverges(want, got);
        assert_eq!(divergence.as_ref().and_then(|d| d.step), Some(2));
        let diff = divergence.map(|d| d.diff).unwrap_or_default();
        assert!(
            diff.contains("-  \"status\": 200") && diff.contains("+  \"status\": 400"),
            "{diff}"
        );
    }
}
