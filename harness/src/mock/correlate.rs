//! Names bound between a recording and the application replaying it (see `rules`):
//! which recorded value each generated one stands for, applied to requests while
//! matching and to answers when they are sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};

use super::rules::{Effective, MatchRules};

/// One mock server's rules and bindings, shared by all its mocks.
#[derive(Debug, Clone)]
pub(crate) struct Correlation {
    /// The rules of an operation without a section of its own.
    default: Arc<Effective>,
    /// The rules of each operation that has a section.
    by_operation: Arc<HashMap<String, Effective>>,
    bound: Arc<Mutex<Bindings>>,
}

#[derive(Debug, Default)]
struct Bindings {
    /// Recorded value to the application's.
    to_new: HashMap<String, String>,
    /// The application's value to the recorded one.
    to_recorded: HashMap<String, String>,
}

impl Correlation {
    /// Rules whose patterns were checked when loaded (a bad one matches nothing).
    pub(crate) fn new(rules: &MatchRules) -> Correlation {
        Correlation {
            default: Arc::new(rules.effective(None)),
            by_operation: Arc::new(
                rules
                    .operation
                    .keys()
                    .map(|name| (name.clone(), rules.effective(Some(name))))
                    .collect(),
            ),
            bound: Arc::default(),
        }
    }

    /// The rules for a request with this `X-Amz-Target` (`SageMaker.NAME`).
    fn rules(&self, target: Option<&str>) -> &Effective {
        target
            .and_then(|t| t.rsplit('.').next())
            .and_then(|operation| self.by_operation.get(operation))
            .unwrap_or(&self.default)
    }

    fn bindings(&self) -> std::sync::MutexGuard<'_, Bindings> {
        self.bound.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether an incoming JSON body is the recorded one under the rules of the
    /// request's operation (`target`, its `X-Amz-Target`).
    pub(crate) fn accepts(&self, target: Option<&str>, recorded: &Value, incoming: &Value) -> bool {
        let (Value::Object(want), Value::Object(got)) = (recorded, incoming) else {
            return recorded == incoming;
        };
        let rules = self.rules(target);
        let (mut want, mut got) = (want.clone(), got.clone());
        for member in &rules.ignore {
            want.remove(member);
            got.remove(member);
        }
        for (member, pattern) in &rules.patterns {
            let fits = got
                .remove(member)
                .is_some_and(|v| v.as_str().is_some_and(|s| pattern.is_match(s)));
            if want.remove(member).is_some() != fits {
                return false;
            }
        }
        let bindings = self.bindings();
        for member in &rules.correlate {
            let (Some(Value::String(recorded)), Some(Value::String(new))) =
                (want.get(member), got.get(member))
            else {
                continue;
            };
            let fits = match bindings.to_recorded.get(new) {
                Some(bound) => bound == recorded,
                // Unbound on both sides: this may be the first appearance.
                None => new == recorded || !bindings.to_new.contains_key(recorded),
            };
            if !fits {
                return false;
            }
            got.insert(member.clone(), Value::String(recorded.clone()));
        }
        want == got
    }

    /// Binds the correlated members of the request a mock is answering.
    pub(crate) fn bind(&self, target: Option<&str>, recorded: &Value, incoming: &Value) {
        let mut bindings = self.bindings();
        for member in &self.rules(target).correlate {
            if let (Some(Value::String(recorded)), Some(Value::String(new))) =
                (recorded.get(member), incoming.get(member))
                && recorded != new
                && !bindings.to_recorded.contains_key(new)
            {
                bindings.to_new.insert(recorded.clone(), new.clone());
                bindings.to_recorded.insert(new.clone(), recorded.clone());
            }
        }
    }

    /// Every bound recorded name in an answer replaced by the application's: a string
    /// that is the name, or that ends in `/name` (an ARN, in the name's case or lower).
    pub(crate) fn rewrite(&self, answer: &mut Value) {
        let bindings = self.bindings();
        if bindings.to_new.is_empty() {
            return;
        }
        rewrite(answer, &bindings.to_new);
    }
}

impl PartialEq for Correlation {
    /// The same server's state, not equal contents.
    fn eq(&self, other: &Correlation) -> bool {
        Arc::ptr_eq(&self.bound, &other.bound)
    }
}

fn rewrite(value: &mut Value, to_new: &HashMap<String, String>) {
    match value {
        Value::String(text) => {
            if let Some(new) = to_new.get(text.as_str()) {
                *text = new.clone();
                return;
            }
            for (recorded, new) in to_new {
                for (from, to) in [
                    (recorded.clone(), new.clone()),
                    (recorded.to_lowercase(), new.to_lowercase()),
                ] {
                    if let Some(head) = text.strip_suffix(&format!("/{from}")) {
                        *text = format!("{head}/{to}");
                        return;
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, to_new)),
        Value::Object(members) => {
            let taken: Map<String, Value> = std::mem::take(members);
            for (name, mut member) in taken {
                rewrite(&mut member, to_new);
                members.insert(name, member);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::Correlation;
    use crate::mock::MatchRules;

    const LIST: Option<&str> = Some("SageMaker.ListCompilationJobs");
    const DESCRIBE: Option<&str> = Some("SageMaker.DescribeCompilationJob");

    fn correlation(toml: &str) -> Correlation {
        Correlation::new(&toml::from_str::<MatchRules>(toml).unwrap())
    }

    #[test]
    fn an_ignored_member_may_differ_or_be_missing() {
        let rules = correlation(r#"ignore = ["ClientToken"]"#);
        let recorded = json!({"CompilationJobName": "a", "ClientToken": "t1"});
        assert!(rules.accepts(
            DESCRIBE,
            &recorded,
            &json!({"CompilationJobName": "a", "ClientToken": "t2"})
        ));
        assert!(rules.accepts(DESCRIBE, &recorded, &json!({"CompilationJobName": "a"})));
        assert!(!rules.accepts(DESCRIBE, &recorded, &json!({"CompilationJobName": "b"})));
    }

    #[test]
    fn a_pattern_member_must_match_in_full_and_be_there() {
        let rules = correlation("[regex]\nNameContains = \"run-[0-9]+\"");
        let recorded = json!({"NameContains": "run-1"});
        assert!(rules.accepts(LIST, &recorded, &json!({"NameContains": "run-42"})));
        assert!(!rules.accepts(LIST, &recorded, &json!({"NameContains": "run-42x"})));
        assert!(!rules.accepts(LIST, &recorded, &json!({})));
    }

    #[test]
    fn an_operations_section_applies_to_that_operation_only() {
        let rules = correlation("[operation.ListCompilationJobs]\nignore = [\"NameContains\"]");
        let recorded = json!({"NameContains": "alpha"});
        let incoming = json!({"NameContains": "beta"});
        assert!(rules.accepts(LIST, &recorded, &incoming));
        assert!(!rules.accepts(DESCRIBE, &recorded, &incoming));
        assert!(!rules.accepts(None, &recorded, &incoming));
    }

    #[test]
    fn a_correlated_name_binds_at_its_first_answer_and_answers_say_the_new_name() {
        let rules = correlation(r#"correlate = ["CompilationJobName"]"#);
        let recorded = json!({"CompilationJobName": "compile-1"});
        let mine = json!({"CompilationJobName": "compile-2"});
        assert!(rules.accepts(DESCRIBE, &recorded, &mine));
        rules.bind(DESCRIBE, &recorded, &mine);
        assert!(!rules.accepts(
            DESCRIBE,
            &recorded,
            &json!({"CompilationJobName": "compile-3"})
        ));
        let mut answer = json!({"CompilationJobName": "compile-1",
            "CompilationJobArn": "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/compile-1"});
        rules.rewrite(&mut answer);
        assert_eq!(answer["CompilationJobName"], "compile-2");
        assert!(
            answer["CompilationJobArn"]
                .as_str()
                .unwrap()
                .ends_with("/compile-2")
        );
    }

    #[test]
    fn an_unknown_key_in_an_operations_section_is_refused() {
        let error =
            toml::from_str::<MatchRules>("[operation.ListCompilationJobs]\nignored = [\"X\"]")
                .unwrap_err();
        assert!(error.to_string().contains("ignored"), "{error}");
    }

    #[test]
    fn a_bad_pattern_in_a_section_is_named_by_its_section() {
        let rules: MatchRules =
            toml::from_str("[operation.ListCompilationJobs.regex]\nNameContains = \"(\"").unwrap();
        let (member, _) = rules.patterns().unwrap_err();
        assert_eq!(member, "operation.ListCompilationJobs.NameContains");
    }
}
