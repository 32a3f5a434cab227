//! Scrubbing: what is removed or rewritten before a recording is written. A recording
//! made against AWS passes through a person's account and credentials; what is
//! committed must hold neither, yet still replay: a replay sends the default
//! profile's values, so the recorded requests are rewritten to exactly those.
//!
//! Credentials and account ids are found by the same patterns the secret scan uses
//! ([`super::secrets::patterns`]), so scrubbed data always scans clean.

use std::sync::OnceLock;

use regex::{Captures, Regex};
use serde_json::{Map, Value};

use super::format::{RecordedExchange, Recording};
use super::kept::keep_headers;
use super::secrets::patterns;
use crate::exchange::{Body, Headers};
use crate::scenario::Profile;

/// The rules [`scrub`] applies, in words, as recorded in a recording's provenance.
pub const RULES: &[&str] = &[
    "headers: requests keep only content-type, x-amz-target and x-amz-date, responses only content-type, x-amzn-requestid and date; every other header (the signature, the security token, cookies) is dropped",
    "credentials: access key ids, secret access keys, session tokens, signature and security-token header values and SigV4 signatures found in any string become <access-key-id>, <secret-access-key>, <session-token>, <auth-header>, <security-token> and <signature>",
    "profile: the recording run's role, model, failing model and output become the default profile's values everywhere, inside longer strings too",
    "account ids: every 12-digit account id (in ARNs, image hosts, bucket names, bare) becomes 000000000000, except the documentation examples 123456789012, 111122223333 and 444455556666, which scenarios send literally",
    "buckets: S3 buckets other than the default profile's become cjh-bucket-1, cjh-bucket-2, ... in first-seen order",
    "principals: IAM role names (with their path) other than the default profile's become cjh-role-1, ..., user names cjh-user-1, ..., assumed-role session names cjh-session-1, ..., in first-seen order",
];

/// Applies every rule to a recording. `profile` is the one the recording was made
/// with; its values become [`Profile::default`]'s.
pub fn scrub(recording: &mut Recording, profile: &Profile) {
    let mut scrubber = Scrubber::new(profile);
    recording.provenance.endpoint = scrubber.text(&recording.provenance.endpoint);
    for exchange in &mut recording.exchanges {
        scrubber.exchange(exchange);
    }
}

/// Placeholders numbered in first-seen order, so the same original always gets the
/// same one within a recording.
#[derive(Debug, Default)]
struct Placeholders {
    seen: Vec<String>,
}

impl Placeholders {
    fn of(&mut self, original: &str, stem: &str) -> String {
        let index = match self.seen.iter().position(|s| s == original) {
            Some(i) => i,
            None => {
                self.seen.push(original.to_owned());
                self.seen.len() - 1
            }
        };
        format!("{stem}-{}", index + 1)
    }
}

/// The state of one recording's scrubbing: the profile substitution and the
/// placeholders handed out so far.
#[derive(Debug)]
pub(crate) struct Scrubber {
    /// The run's profile values, longest first, as one alternation, and what each
    /// becomes; `None` when the run used the default profile.
    profile: Option<(Regex, Vec<(String, String)>)>,
    /// Buckets of the default profile, left as they are.
    default_buckets: Vec<String>,
    /// The default profile's role path and name, left as it is.
    default_role: Option<String>,
    buckets: Placeholders,
    roles: Placeholders,
    users: Placeholders,
    sessions: Placeholders,
}

fn bucket_regex() -> Option<&'static Regex> {
    static BUCKET: OnceLock<Option<Regex>> = OnceLock::new();
    BUCKET
        .get_or_init(|| {
            Regex::new(r"(s3://|arn:aws[a-z-]*:s3:::)([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])").ok()
        })
        .as_ref()
}

fn principal_regex() -> Option<&'static Regex> {
    static PRINCIPAL: OnceLock<Option<Regex>> = OnceLock::new();
    PRINCIPAL
        .get_or_init(|| Regex::new(r":(role|user|assumed-role)/([A-Za-z0-9+=,.@_/-]+)").ok())
        .as_ref()
}

/// The bucket of an `s3://` URI, if it is one.
fn bucket_of(uri: &str) -> Option<String> {
    let captures = bucket_regex()?.captures(uri)?;
    Some(captures.get(2)?.as_str().to_owned())
}

/// `cjh-bucket-3`, `cjh-role-1`: already a placeholder, so scrubbing twice is a no-op.
fn is_placeholder(value: &str, stem: &str) -> bool {
    value
        .strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

impl Scrubber {
    pub(crate) fn new(profile: &Profile) -> Scrubber {
        let default = Profile::default();
        let mut pairs: Vec<(String, String)> = [
            (&profile.role, &default.role),
            (&profile.model, &default.model),
            (&profile.failing_model, &default.failing_model),
            (&profile.output, &default.output),
        ]
        .into_iter()
        .filter(|(from, to)| !from.is_empty() && from != to)
        .map(|(from, to)| (from.clone(), to.clone()))
        .collect();
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        pairs.dedup_by(|a, b| a.0 == b.0);
        let alternation = pairs
            .iter()
            .map(|(from, _)| regex::escape(from))
            .collect::<Vec<_>>()
            .join("|");
        let profile_rule = if pairs.is_empty() {
            None
        } else {
            Regex::new(&alternation).ok().map(|r| (r, pairs))
        };
        let default_buckets = [&default.model, &default.failing_model, &default.output]
            .into_iter()
            .filter_map(|uri| bucket_of(uri))
            .collect();
        let default_role = default
            .role
            .split_once(":role/")
            .map(|(_, name)| name.to_owned());
        Scrubber {
            profile: profile_rule,
            default_buckets,
            default_role,
            buckets: Placeholders::default(),
            roles: Placeholders::default(),
            users: Placeholders::default(),
            sessions: Placeholders::default(),
        }
    }

    /// One exchange, in the order the rules see it: request headers and body, then
    /// response headers and body (placeholders are numbered in that order). Headers a
    /// recording does not keep are dropped first, so they never number a placeholder.
    pub(crate) fn exchange(&mut self, exchange: &mut RecordedExchange) {
        keep_headers(exchange);
        exchange.request.headers = self.headers(&exchange.request.headers);
        self.body(&mut exchange.request.body);
        exchange.response.headers = self.headers(&exchange.response.headers);
        self.body(&mut exchange.response.body);
    }

    /// A request body arriving at a mock server, scrubbed as a recorded one was.
    pub(crate) fn request_body(&mut self, body: &mut Body) {
        self.body(body);
    }

    /// The headers, with their values scrubbed.
    fn headers(&mut self, headers: &Headers) -> Headers {
        let mut scrubbed = Headers::new();
        for (name, value) in headers.iter() {
            let value = self.member(name, value);
            scrubbed.insert(name, value);
        }
        scrubbed
    }

    /// Bodies that are not UTF-8 are left as they are: the patterns are text.
    fn body(&mut self, body: &mut Body) {
        match body {
            Body::Json(value) => self.json(value),
            Body::Text(text) => *text = self.text(text),
            Body::Empty | Body::Base64(_) => {}
        }
    }

    /// Every string in a JSON value, member names included.
    fn json(&mut self, value: &mut Value) {
        match value {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.json(v)),
            Value::Object(map) => {
                let members = std::mem::take(map);
                let mut scrubbed = Map::with_capacity(members.len());
                for (name, mut member) in members {
                    match &mut member {
                        Value::String(s) => *s = self.member(&name, s),
                        other => self.json(other),
                    }
                    scrubbed.insert(self.text(&name), member);
                }
                *map = scrubbed;
            }
            _ => {}
        }
    }

    /// One string through every rule.
    pub(crate) fn text(&mut self, text: &str) -> String {
        self.rewrite(text, None)
    }

    /// The string value of a member (or header) named `name`: the name counts too, so
    /// `"Authorization": "Bearer ..."` is redacted as the scan would flag it.
    fn member(&mut self, name: &str, value: &str) -> String {
        self.rewrite(value, Some(name))
    }

    /// The profile first (its values hold buckets and an account id of their own),
    /// then credentials and account ids, then the remaining buckets and principals.
    fn rewrite(&mut self, text: &str, member: Option<&str>) -> String {
        let mut out = match &self.profile {
            Some((regex, pairs)) => regex
                .replace_all(text, |c: &Captures<'_>| {
                    let found = c.get(0).map_or("", |m| m.as_str());
                    pairs
                        .iter()
                        .find(|(from, _)| from == found)
                        .map_or_else(|| found.to_owned(), |(_, to)| to.clone())
                })
                .into_owned(),
            None => text.to_owned(),
        };
        out = match member {
            Some(name) => patterns::redact_member(name, &out),
            None => patterns::redact(&out),
        };
        out = self.buckets_in(&out);
        self.principals_in(&out)
    }

    fn buckets_in(&mut self, text: &str) -> String {
        let Some(regex) = bucket_regex() else {
            return text.to_owned();
        };
        regex
            .replace_all(text, |c: &Captures<'_>| {
                let scheme = c.get(1).map_or("", |m| m.as_str());
                let bucket = c.get(2).map_or("", |m| m.as_str());
                if self.default_buckets.iter().any(|b| b == bucket)
                    || is_placeholder(bucket, "cjh-bucket")
                {
                    format!("{scheme}{bucket}")
                } else {
                    format!("{scheme}{}", self.buckets.of(bucket, "cjh-bucket"))
                }
            })
            .into_owned()
    }

    fn principals_in(&mut self, text: &str) -> String {
        let Some(regex) = principal_regex() else {
            return text.to_owned();
        };
        regex
            .replace_all(text, |c: &Captures<'_>| {
                let kind = c.get(1).map_or("", |m| m.as_str());
                let whole = c.get(2).map_or("", |m| m.as_str());
                // Sentence punctuation after an ARN in a message is not part of it.
                let name = whole.trim_end_matches(['.', ',']);
                let rest = &whole[name.len()..];
                let replaced = match kind {
                    "role" => self.role(name),
                    "user" if is_placeholder(name, "cjh-user") => name.to_owned(),
                    "user" => self.users.of(name, "cjh-user"),
                    _ => match name.split_once('/') {
                        Some((role, session)) => {
                            let session = if is_placeholder(session, "cjh-session") {
                                session.to_owned()
                            } else {
                                self.sessions.of(session, "cjh-session")
                            };
                            format!("{}/{session}", self.role(role))
                        }
                        None => self.role(name),
                    },
                };
                format!(":{kind}/{replaced}{rest}")
            })
            .into_owned()
    }

    fn role(&mut self, name: &str) -> String {
        if self.default_role.as_deref() == Some(name) || is_placeholder(name, "cjh-role") {
            name.to_owned()
        } else {
            self.roles.of(name, "cjh-role")
        }
    }
}

#[cfg(test)]
mod tests;
