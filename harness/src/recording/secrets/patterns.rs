//! What a credential or a real account id looks like in text. The scan
//! ([`super::scan`]) reports these spans and scrubbing ([`crate::recording::scrub`])
//! replaces them, so a value the scan would flag is exactly one scrubbing removes.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// Account ids that are not secrets: the emulator's own, and the examples AWS
/// documentation uses, which scenarios and tests send literally.
pub const EXAMPLE_ACCOUNTS: &[&str] = &[
    "000000000000",
    "123456789012",
    "111122223333",
    "444455556666",
];

/// The kinds of thing the scan looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An access key id (`AKIA...`, `ASIA...` and the other IAM unique-id prefixes).
    AccessKeyId,
    /// A secret access key: 40 base64 characters.
    SecretAccessKey,
    /// An STS session token.
    SessionToken,
    /// The value of an `Authorization` header.
    Authorization,
    /// The value of an `X-Amz-Security-Token` header or query parameter.
    SecurityToken,
    /// A SigV4 `Signature=` value.
    Signature,
    /// A 12-digit account id other than [`EXAMPLE_ACCOUNTS`].
    AccountId,
}

impl Kind {
    /// The words a finding is reported with.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::AccessKeyId => "access key id",
            Kind::SecretAccessKey => "secret access key",
            Kind::SessionToken => "session token",
            Kind::Authorization => "Authorization header",
            Kind::SecurityToken => "X-Amz-Security-Token",
            Kind::Signature => "SigV4 signature",
            Kind::AccountId => "account id",
        }
    }

    /// What scrubbing writes in place of a credential. Placeholders never match any
    /// pattern, so scrubbing twice changes nothing and scrubbed data scans clean.
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::AccessKeyId => "<access-key-id>",
            Kind::SecretAccessKey => "<secret-access-key>",
            Kind::SessionToken => "<session-token>",
            Kind::Authorization => "<auth-header>",
            Kind::SecurityToken => "<security-token>",
            Kind::Signature => "<signature>",
            Kind::AccountId => "000000000000",
        }
    }
}

/// One thing found: its kind and the byte range of the value itself (the key name or
/// header name around it is not part of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// What it is.
    pub kind: Kind,
    /// Where the value is, in bytes.
    pub range: Range<usize>,
}

/// A character that continues a run of base64 (or URL-encoded base64).
fn base64ish(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '%')
}

fn upper_or_digit(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn value_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>' | ',' | ';')
}

fn never(_: char) -> bool {
    false
}

/// One pattern: the kind it finds, the regex, the capture group holding the value, and
/// characters that may not touch the value on the left and right (a longer run of them
/// means the match is part of something else, such as a page token), and a last check
/// of the value itself.
struct Pattern {
    kind: Kind,
    regex: &'static str,
    group: usize,
    left: fn(char) -> bool,
    right: fn(char) -> bool,
    accept: fn(&str) -> bool,
}

fn always(_: &str) -> bool {
    true
}

/// An account id that is not one of [`EXAMPLE_ACCOUNTS`].
fn real_account(value: &str) -> bool {
    !EXAMPLE_ACCOUNTS.contains(&value)
}

/// Every pattern, most specific first: a span claimed by an earlier pattern is not
/// reported again by a later one.
fn table() -> Vec<Pattern> {
    vec![
        Pattern {
            kind: Kind::Authorization,
            regex: r#"(?i)\bauthorization["']?\s*[:=]\s*["']?((?:AWS4-HMAC-SHA256|AWS|Bearer|Basic|Digest)[ \t]+[^"'<\r\n]*[^"'<\r\n\s]|[A-Za-z0-9+/=._~-]{16,})"#,
            group: 1,
            left: never,
            right: never,
            accept: always,
        },
        Pattern {
            kind: Kind::Authorization,
            regex: r#"(AWS4-HMAC-SHA256[ \t]+Credential=[^"'<\r\n]*[^"'<\r\n\s])"#,
            group: 1,
            left: never,
            right: never,
            accept: always,
        },
        Pattern {
            kind: Kind::SecurityToken,
            regex: r#"(?i)x-amz-security-token["']?\s*[:=]\s*["']?([A-Za-z0-9+/=%]{16,})"#,
            group: 1,
            left: never,
            right: base64ish,
            accept: always,
        },
        Pattern {
            kind: Kind::SessionToken,
            regex: r"((?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9+/=%]{20,})",
            group: 1,
            left: never,
            right: never,
            accept: always,
        },
        Pattern {
            kind: Kind::SessionToken,
            regex: r#"(?i)(?:aws_session_token|session_?token|security_?token)["']?\s*[:=>]\s*["']?([A-Za-z0-9+/=%]{16,})"#,
            group: 1,
            left: never,
            right: base64ish,
            accept: always,
        },
        Pattern {
            kind: Kind::Signature,
            regex: r"Signature=([0-9a-f]{64})",
            group: 1,
            left: never,
            right: |c| c.is_ascii_hexdigit(),
            accept: always,
        },
        Pattern {
            kind: Kind::AccessKeyId,
            regex: r"((?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA|AIPA)[A-Z0-9]{16})",
            group: 1,
            left: upper_or_digit,
            right: upper_or_digit,
            accept: always,
        },
        Pattern {
            kind: Kind::SecretAccessKey,
            regex: r#"(?i)(?:aws_secret_access_key|secret_?access_?key|secret_?key|secret)["']?\s*[:=>]\s*["']?([^\s"'<>,;]{40})"#,
            group: 1,
            left: never,
            right: value_char,
            accept: always,
        },
        Pattern {
            kind: Kind::SecretAccessKey,
            regex: r"([A-Za-z0-9/+]{40})",
            group: 1,
            left: base64ish,
            right: base64ish,
            accept: looks_like_secret_key,
        },
        Pattern {
            kind: Kind::AccountId,
            regex: r"([0-9]{12})",
            group: 1,
            left: |c| c.is_ascii_alphanumeric() || c == '.',
            right: |c| c.is_ascii_alphanumeric(),
            accept: real_account,
        },
    ]
}

struct Compiled {
    patterns: Vec<(Pattern, Regex)>,
    uuid: Option<Regex>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| Compiled {
        patterns: table()
            .into_iter()
            .filter_map(|p| Regex::new(p.regex).ok().map(|r| (p, r)))
            .collect(),
        uuid: Regex::new(r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").ok(),
    })
}

/// A standalone 40-character run is only taken for a secret key when it looks like
/// one: both cases, a digit, and a `/` or `+` (a job name or a hex digest has none).
fn looks_like_secret_key(value: &str) -> bool {
    value.chars().any(|c| c.is_ascii_uppercase())
        && value.chars().any(|c| c.is_ascii_lowercase())
        && value.chars().any(|c| c.is_ascii_digit())
        && value.contains(['/', '+'])
}

/// Everything in `text` that looks like a credential or a real account id, in order,
/// without overlaps (the earlier pattern in the table wins a contested span).
pub fn find(text: &str) -> Vec<Hit> {
    let compiled = compiled();
    let uuids: Vec<Range<usize>> = compiled
        .uuid
        .iter()
        .flat_map(|u| u.find_iter(text).map(|m| m.range()))
        .collect();
    let mut hits: Vec<Hit> = Vec::new();
    for (pattern, regex) in &compiled.patterns {
        for captures in regex.captures_iter(text) {
            let Some(value) = captures.get(pattern.group) else {
                continue;
            };
            let range = value.range();
            let before = text[..range.start].chars().next_back();
            let after = text[range.end..].chars().next();
            if before.is_some_and(pattern.left) || after.is_some_and(pattern.right) {
                continue;
            }
            let in_uuid = uuids
                .iter()
                .any(|u| u.start <= range.start && range.end <= u.end);
            let accepted =
                (pattern.accept)(value.as_str()) && !(pattern.kind == Kind::AccountId && in_uuid);
            let overlaps = hits
                .iter()
                .any(|h| h.range.start < range.end && range.start < h.range.end);
            if accepted && !overlaps {
                hits.push(Hit {
                    kind: pattern.kind,
                    range,
                });
            }
        }
    }
    hits.sort_by_key(|h| h.range.start);
    hits
}

/// `text` with each credential replaced by its kind's placeholder and each real account
/// id by `000000000000`.
pub fn redact(text: &str) -> String {
    let hits = find(text);
    if hits.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for hit in hits {
        out.push_str(&text[at..hit.range.start]);
        out.push_str(hit.kind.placeholder());
        at = hit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A JSON member's string value redacted as the scan sees the member's line
/// (`"name": "value"`), so a value is also caught by its member name, as in
/// `"Authorization": "Bearer ..."`.
pub fn redact_member(name: &str, value: &str) -> String {
    let prefix = format!("\"{name}\": \"");
    let redacted = redact(&format!("{prefix}{value}\""));
    redacted
        .strip_prefix(prefix.as_str())
        .and_then(|rest| rest.strip_suffix('"'))
        .map_or_else(|| redact(value), str::to_owned)
}

/// A value shown without giving it away: its first four (two when it is shorter than
/// 16) and last two characters and its length, or only its first character when it is
/// short.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n <= 8 {
        let first: String = chars.iter().take(1).collect();
        return format!("{first}{}", "*".repeat(n.saturating_sub(1)));
    }
    let shown = if n >= 16 { 4 } else { 2 };
    let head: String = chars[..shown].iter().collect();
    let tail: String = chars[n - 2..].iter().collect();
    format!("{head}...{tail} ({n} chars)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        find(text).into_iter().map(|h| h.kind).collect()
    }

    /// Built at run time so this file is not itself a finding.
    fn fake_key() -> String {
        ["AKIA", "Z7Q4", "M2XW", "9KDL", "P3RT"].concat()
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(compiled().patterns.len(), table().len());
        assert!(compiled().uuid.is_some());
    }

    #[test]
    fn an_access_key_id_is_found_but_not_inside_a_longer_run() {
        let key = fake_key();
        assert_eq!(
            kinds(&format!("Credential={key}/20240101")),
            [Kind::AccessKeyId]
        );
        assert!(kinds(&format!("X{key}")).is_empty());
    }

    #[test]
    fn a_secret_key_is_found_by_its_name_or_its_shape() {
        let secret = ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "1234567890"].concat();
        assert_eq!(secret.len(), 40);
        assert_eq!(
            kinds(&format!("aws_secret_access_key = {secret}")),
            [Kind::SecretAccessKey]
        );
        assert_eq!(kinds(&format!("\"{secret}\"")), [Kind::SecretAccessKey]);
        let named_plain = "a".repeat(40);
        assert_eq!(
            kinds(&format!("\"SecretAccessKey\": \"{named_plain}\"")),
            [Kind::SecretAccessKey]
        );
        assert!(kinds(&format!("\"Name\": \"{named_plain}\"")).is_empty());
    }

    #[test]
    fn a_long_page_token_is_not_a_secret_key() {
        let token = "dGhpcyBpcyBub3QgYSBrZXk/+Q2hlY2tpbmcgdGhlIHNjYW5uZXIgd2l0aCBhIGxvbmcgdG9rZW4=";
        assert!(kinds(&format!("\"NextToken\": \"{token}\"")).is_empty());
    }

    #[test]
    fn session_tokens_are_found_by_prefix_or_by_name() {
        let token = ["IQoJb3JpZ2lu", &"X".repeat(30)].concat();
        assert_eq!(kinds(&format!("token {token} end")), [Kind::SessionToken]);
        let named = "Q".repeat(24);
        assert_eq!(
            kinds(&format!("aws_session_token={named}")),
            [Kind::SessionToken]
        );
        assert_eq!(
            kinds(&format!("\"x-amz-security-token\": \"{named}\"")),
            [Kind::SecurityToken]
        );
    }

    #[test]
    fn an_authorization_header_is_one_hit_covering_key_and_signature() {
        let key = fake_key();
        let sig = "0a".repeat(32);
        let text = format!(
            "Authorization: AWS4-HMAC-SHA256 Credential={key}/20240101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature={sig}"
        );
        assert_eq!(kinds(&text), [Kind::Authorization]);
        assert_eq!(kinds(&format!("X-Amz-Signature={sig}")), [Kind::Signature]);
    }

    #[test]
    fn account_ids_are_found_in_arns_image_hosts_and_bucket_names() {
        assert_eq!(kinds("arn:aws:iam::644160558196:role/r"), [Kind::AccountId]);
        assert_eq!(
            kinds("644160558196.dkr.ecr.us-east-1.amazonaws.com/x"),
            [Kind::AccountId]
        );
        assert_eq!(
            kinds("s3://sagemaker-us-east-1-644160558196/x"),
            [Kind::AccountId]
        );
    }

    #[test]
    fn example_accounts_request_ids_and_times_are_not_account_ids() {
        for text in [
            "arn:aws:iam::123456789012:role/r",
            "arn:aws:sagemaker:us-east-1:000000000000:compilation-job/a",
            "111122223333 444455556666",
            "c0ffee00-1234-4abc-8def-123456789013",
            "\"CreationTime\": 1712345678.123456789013",
            "1712345678123",
            "job644160558196",
        ] {
            assert!(kinds(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn redaction_replaces_values_and_keeps_the_rest() {
        let key = fake_key();
        let text = format!("key {key} in arn:aws:iam::644160558196:role/r");
        assert_eq!(
            redact(&text),
            "key <access-key-id> in arn:aws:iam::000000000000:role/r"
        );
        assert_eq!(redact(&redact(&text)), redact(&text));
    }

    #[test]
    fn a_member_value_is_also_judged_by_its_member_name() {
        let bearer = format!("Bearer {}", "t".repeat(24));
        assert_eq!(redact(&bearer), bearer);
        assert_eq!(redact_member("Authorization", &bearer), "<auth-header>");
        assert_eq!(redact_member("Note", "plain"), "plain");
    }

    #[test]
    fn a_masked_value_never_shows_the_value_in_full() {
        let key = fake_key();
        let masked = mask(&key);
        assert!(!masked.contains(&key));
        assert!(masked.starts_with("AKIA"));
        assert_eq!(mask("644160"), "6*****");
    }
}
