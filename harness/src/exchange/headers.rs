//! Headers: names in lower case (HTTP names are case-insensitive, so one spelling
//! makes lookups and files unambiguous), one value each, ordered by name so a file
//! written twice from the same exchange is the same file.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// Header names (lower case) and their values, ordered by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Headers(BTreeMap<String, String>);

impl Headers {
    /// No headers.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// Sets `name` (lower-cased) to `value`, replacing an earlier value.
    pub fn insert(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_ascii_lowercase(), value.into());
    }

    /// The same headers with `name` set, for building.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Headers {
        self.insert(name, value);
        self
    }

    /// The value of `name`, in any case.
    pub fn get(&self, name: &str) -> Option<&String> {
        self.0.get(&name.to_ascii_lowercase())
    }

    /// Removes `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.0.remove(&name.to_ascii_lowercase())
    }

    /// Keeps only the headers `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        self.0.retain(|name, value| keep(name, value));
    }

    /// (name, value) pairs, ordered by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The headers of an `http` request or response; a value that is not visible
    /// ASCII is kept lossily, and a repeated header keeps its last value.
    pub fn from_http(map: &http::HeaderMap) -> Headers {
        let mut headers = Headers::new();
        for (name, value) in map {
            headers.insert(name.as_str(), String::from_utf8_lossy(value.as_bytes()));
        }
        headers
    }
}

impl<'de> Deserialize<'de> for Headers {
    /// Names are lower-cased on the way in too, so a hand-edited file is read the same
    /// as one this build wrote.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Headers, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(deserializer)?;
        let mut headers = Headers::new();
        for (name, value) in map {
            headers.insert(&name, value);
        }
        Ok(headers)
    }
}

impl std::ops::Index<&str> for Headers {
    type Output = String;

    /// The value of `name`; panics when there is none, as a map's index does.
    fn index(&self, name: &str) -> &String {
        match self.get(name) {
            Some(value) => value,
            None => panic!("no header {name}"),
        }
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for Headers {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Headers {
        let mut headers = Headers::new();
        for (name, value) in iter {
            headers.insert(name, value);
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_cased_and_looked_up_in_any_case() {
        let headers = Headers::new()
            .with("X-Amz-Target", "SageMaker.X")
            .with("Content-Type", "a");
        assert_eq!(
            headers.get("x-amz-target").map(String::as_str),
            Some("SageMaker.X")
        );
        assert_eq!(headers.get("CONTENT-TYPE").map(String::as_str), Some("a"));
        let names: Vec<&str> = headers.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["content-type", "x-amz-target"]);
    }

    #[test]
    fn headers_read_from_a_file_are_lower_cased_too() {
        let headers: Headers =
            serde_json::from_str(r#"{"X-Amzn-RequestId": "r"}"#).unwrap_or_default();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            [("x-amzn-requestid", "r")]
        );
    }
}
