//! Names bound between a recording and the application replaying it (see `rules`):
//! which recorded value each generated one stands for, applied to requests while
//! matching and to answers when they are sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use regex::Regex;
use serde_json::{Map, Value};

use super::rules::MatchRules;

/// One mock server's rules and bindings, shared by all its mocks.
#[derive(Debug, Clone)]
pub(crate) struct Correlation {
    rules: Arc<MatchRules>,
    patterns: Arc<[(String, Regex)]>,
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
            rules: Arc::new(rules.clone()),
            patterns: rules.patterns().unwrap_or_default().into(),
            bound: Arc::default(),
        }
    }

    fn bindings(&self) -> std::sync::MutexGuard<'_, Bindings> {
        self.bound.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether an incoming JSON body is the recorded one under the rules.
    pub(crate) fn accepts(&self, recorded: &Value, incoming: &Value) -> bool {
        let (Value::Object(want), Value::Object(got)) = (recorded, incoming) else {
            return recorded == incoming;
        };
        let (mut want, mut got) = (want.clone(), got.clone());
        for member in &self.rules.ignore {
            want.remove(member);
            got.remove(member);
        }
        for (member, pattern) in self.patterns.iter() {
            let fits = got
                .remove(member)
                .is_some_and(|v| v.as_str().is_some_and(|s| pattern.is_match(s)));
            if want.remove(member).is_some() != fits {
                return false;
            }
        }
        let bindings = self.bindings();
        for member in &self.rules.correlate {
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
    pub(crate) fn bind(&self, recorded: &Value, incoming: &Value) {
        let mut bindings = self.bindings();
        for member in &self.rules.correlate {
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
