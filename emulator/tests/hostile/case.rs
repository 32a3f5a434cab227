//! A case ready to send: the request's bytes, how to send them, and the expected answer.
//! Built from a corpus file's entry or by the wrong-type generator.

use super::corpus::{self, CaseSpec, ExpectKind, Send};

/// The content type of AWS JSON 1.1 requests.
pub(crate) const JSON_1_1: &str = "application/x-amz-json-1.1";

/// A request and what it must get.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    /// The family (corpus file stem) and the case's name, for failure messages.
    pub(crate) label: String,
    /// Method and path, for the fuzz seed.
    pub(crate) request_line: String,
    /// Header lines without framing (`Host`, `Content-Length`, `Connection`).
    pub(crate) headers: Vec<Vec<u8>>,
    /// The whole head as sent, framing included, ending in the blank line.
    pub(crate) head: Vec<u8>,
    /// The body as sent.
    pub(crate) body: Vec<u8>,
    /// How it is sent.
    pub(crate) send: Send,
    /// Milliseconds between bytes when trickled.
    pub(crate) trickle_ms: u64,
    /// The answer it must get.
    pub(crate) expect: Expect,
}

/// The expected answer.
#[derive(Debug, Clone)]
pub(crate) struct Expect {
    /// Its kind.
    pub(crate) kind: ExpectKind,
    /// Its status.
    pub(crate) status: Option<u16>,
    /// The AWS error code.
    pub(crate) code: Option<String>,
    /// What the message must be, start with or contain.
    pub(crate) message: MessageRule,
    /// When set, the answer must be exactly the one this other request (`X-Amz-Target`
    /// and body) gets, asked in-process just before: for a `null` that must read as an
    /// absent member.
    pub(crate) like: Option<(String, Vec<u8>)>,
}

/// A rule on the error message.
#[derive(Debug, Clone)]
pub(crate) enum MessageRule {
    /// Any non-empty message.
    Any,
    /// Exactly this.
    Exactly(String),
    /// Starting with this.
    StartsWith(String),
    /// Containing this.
    Contains(String),
}

impl MessageRule {
    /// Whether `message` keeps the rule.
    pub(crate) fn allows(&self, message: &str) -> bool {
        !message.is_empty()
            && match self {
                MessageRule::Any => true,
                MessageRule::Exactly(m) => message == m,
                MessageRule::StartsWith(m) => message.starts_with(m.as_str()),
                MessageRule::Contains(m) => message.contains(m.as_str()),
            }
    }
}

impl Case {
    /// The case a corpus entry describes.
    pub(crate) fn from_spec(family: &str, spec: &CaseSpec) -> Case {
        let mut headers: Vec<Vec<u8>> = match &spec.headers {
            Some(lines) => lines.iter().map(|l| corpus::expand(l)).collect(),
            None => default_headers(spec.operation.as_deref()),
        };
        headers.extend(spec.extra_headers.iter().map(|l| corpus::expand(l)));
        if let Some(repeat) = &spec.repeat_header {
            for i in 0..repeat.count {
                let line = repeat.line.replace("<<i>>", &i.to_string());
                headers.push(corpus::expand(&line));
            }
        }
        let body = corpus::expand(&spec.body);
        let mut framing = Vec::new();
        if !spec.no_content_length {
            let length = spec.content_length.unwrap_or(body.len() as u64);
            framing.push(format!("Content-Length: {length}").into_bytes());
        }
        if !spec.keep_alive {
            framing.push(b"Connection: close".to_vec());
        }
        let message = match (&spec.message, &spec.message_starts, &spec.message_contains) {
            (Some(m), _, _) => MessageRule::Exactly(m.clone()),
            (_, Some(m), _) => MessageRule::StartsWith(m.clone()),
            (_, _, Some(m)) => MessageRule::Contains(m.clone()),
            _ => MessageRule::Any,
        };
        let expect = Expect {
            kind: spec.expect,
            status: spec.status,
            code: spec.code.clone(),
            message,
            like: None,
        };
        let label = format!("{family}: {}", spec.name);
        check_spec(&label, &expect);
        let mut case = Case::assemble(
            label,
            &spec.request_line,
            headers,
            &framing,
            body,
            spec.send,
            spec.trickle_ms,
            expect,
        );
        if spec.cut_head {
            case.head.truncate(case.head.len() - 2);
            case.body.clear();
        }
        case
    }

    /// A plain `POST /` with the JSON 1.1 content type, for generated cases.
    pub(crate) fn post(label: String, operation: &str, body: Vec<u8>, expect: Expect) -> Case {
        let framing = [
            format!("Content-Length: {}", body.len()).into_bytes(),
            b"Connection: close".to_vec(),
        ];
        Case::assemble(
            label,
            "POST / HTTP/1.1",
            default_headers(Some(operation)),
            &framing,
            body,
            Send::All,
            0,
            expect,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        label: String,
        request_line: &str,
        headers: Vec<Vec<u8>>,
        framing: &[Vec<u8>],
        body: Vec<u8>,
        send: Send,
        trickle_ms: u64,
        expect: Expect,
    ) -> Case {
        let mut head = corpus::expand(request_line);
        head.extend_from_slice(b"\r\nHost: 127.0.0.1\r\n");
        for line in headers.iter().chain(framing) {
            head.extend_from_slice(line);
            head.extend_from_slice(b"\r\n");
        }
        head.extend_from_slice(b"\r\n");
        Case {
            label,
            request_line: request_line.to_owned(),
            headers,
            head,
            body,
            send,
            trickle_ms,
            expect,
        }
    }

    /// The case's name within its family.
    pub(crate) fn name(&self) -> &str {
        self.label
            .split_once(": ")
            .map_or(self.label.as_str(), |(_, name)| name)
    }

    /// Whether the request is a HEAD, whose answer has no body.
    pub(crate) fn is_head(&self) -> bool {
        self.request_line.starts_with("HEAD ")
    }
}

fn default_headers(operation: Option<&str>) -> Vec<Vec<u8>> {
    let mut headers = Vec::new();
    if let Some(operation) = operation {
        headers.push(format!("X-Amz-Target: SageMaker.{operation}").into_bytes());
    }
    headers.push(format!("Content-Type: {JSON_1_1}").into_bytes());
    headers
}

/// A corpus entry must say what it needs for its kind.
fn check_spec(label: &str, expect: &Expect) {
    match expect.kind {
        ExpectKind::AwsError => assert!(expect.code.is_some(), "{label}: aws-error needs code"),
        ExpectKind::HttpError => {
            assert!(
                expect.status.is_some_and(|s| (400..500).contains(&s)),
                "{label}: http-error needs a 4xx status"
            );
        }
        ExpectKind::Close | ExpectKind::Served => {}
    }
}
