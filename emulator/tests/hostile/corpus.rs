//! The corpus files under `corpus/`: one TOML file per family of hostile requests, each
//! case with its request (request line, header lines, body, framing, how it is sent) and
//! the answer it must get.
//!
//! Header lines and bodies are text with two markers, so that large and non-UTF-8 inputs
//! stay readable in the file: `<<N*TEXT>>` is TEXT repeated N times, `<<hex:FFFE>>` is
//! raw bytes.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One family's file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CorpusFile {
    /// Run the cases at once (each waits on a server timeout) instead of one by one.
    #[serde(default)]
    pub(crate) parallel: bool,
    /// The cases.
    #[serde(rename = "case")]
    pub(crate) cases: Vec<CaseSpec>,
}

/// How the client sends a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Send {
    /// Everything at once, then wait for the answer.
    #[default]
    All,
    /// Everything at once, then close the writing half (the server sees end of input).
    HalfClose,
    /// Everything at once, then keep the connection open and silent.
    Stall,
    /// One byte at a time, `trickle_ms` apart.
    Trickle,
    /// The head at once, then the body one byte at a time, `trickle_ms` apart.
    TrickleBody,
    /// Nothing at all: connect, then silence.
    Nothing,
}

/// What a case must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ExpectKind {
    /// A well-formed AWS error: `status`, `code`, the JSON 1.1 content type, a request id.
    AwsError,
    /// A 4xx written by the HTTP layer itself (`status`), when HTTP cannot go on.
    HttpError,
    /// The connection closed without an answer.
    Close,
    /// Odd but valid input of a read-only operation: a 200 with the output shape.
    Served,
}

/// One case as written in a corpus file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseSpec {
    /// What the case sends, in words.
    pub(crate) name: String,
    /// The request line; `POST / HTTP/1.1` unless given.
    #[serde(default = "post_root")]
    pub(crate) request_line: String,
    /// Sends `X-Amz-Target: SageMaker.<operation>` (and the JSON 1.1 content type).
    pub(crate) operation: Option<String>,
    /// Header lines replacing the defaults (target and content type).
    pub(crate) headers: Option<Vec<String>>,
    /// Header lines added to the defaults.
    #[serde(default)]
    pub(crate) extra_headers: Vec<String>,
    /// A header line sent `count` times, `<<i>>` replaced by its index.
    pub(crate) repeat_header: Option<RepeatHeader>,
    /// The body.
    #[serde(default)]
    pub(crate) body: String,
    /// A `Content-Length` other than the body's length.
    pub(crate) content_length: Option<u64>,
    /// Send no `Content-Length` (for chunked or unframed requests).
    #[serde(default)]
    pub(crate) no_content_length: bool,
    /// Leave out `Connection: close`.
    #[serde(default)]
    pub(crate) keep_alive: bool,
    /// Leave out the blank line that ends the head (and so send no body).
    #[serde(default)]
    pub(crate) cut_head: bool,
    /// How the request is sent.
    #[serde(default)]
    pub(crate) send: Send,
    /// Milliseconds between bytes with `send = "trickle"`.
    #[serde(default)]
    pub(crate) trickle_ms: u64,
    /// The kind of answer.
    pub(crate) expect: ExpectKind,
    /// The status, for `aws-error` (400 unless given) and `http-error`.
    pub(crate) status: Option<u16>,
    /// The error code, for `aws-error`.
    pub(crate) code: Option<String>,
    /// The exact message.
    pub(crate) message: Option<String>,
    /// The start of the message.
    pub(crate) message_starts: Option<String>,
    /// A part of the message.
    pub(crate) message_contains: Option<String>,
}

/// A header line repeated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RepeatHeader {
    /// The line, with `<<i>>` for the index.
    pub(crate) line: String,
    /// How many times.
    pub(crate) count: usize,
}

fn post_root() -> String {
    "POST / HTTP/1.1".to_owned()
}

/// The folder of corpus files.
pub(crate) fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/corpus")
}

/// Reads one corpus file by its stem.
pub(crate) fn load(stem: &str) -> CorpusFile {
    let path = dir().join(format!("{stem}.toml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file: CorpusFile =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(!file.cases.is_empty(), "{} has no cases", path.display());
    file
}

/// The stems of every corpus file.
pub(crate) fn stems() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir())
        .expect("the corpus folder")
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            path.file_stem()
                .expect("a stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    stems.sort();
    stems
}

/// Expands the `<<N*TEXT>>` and `<<hex:..>>` markers of a text into bytes.
pub(crate) fn expand(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<<") {
        out.extend_from_slice(&rest.as_bytes()[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find(">>")
            .unwrap_or_else(|| panic!("unclosed marker in {text:?}"));
        let marker = &after[..end];
        if let Some(hex) = marker.strip_prefix("hex:") {
            out.extend(hex_bytes(hex));
        } else if let Some((count, unit)) = marker.split_once('*') {
            let count: usize = count
                .parse()
                .unwrap_or_else(|_| panic!("bad repeat count in {marker:?}"));
            out.extend(unit.as_bytes().repeat(count));
        } else {
            panic!("unknown marker {marker:?}");
        }
        rest = &after[end + 2..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd hex {hex:?}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
        .collect()
}

/// A test of [`expand`] (run from `main`, as this test has no libtest harness).
pub(crate) fn markers_expand_to_repeats_and_raw_bytes() -> Result<(), String> {
    for (text, bytes) in [
        ("a<<3*xy>>b<<hex:FF00>>c", &b"axyxyxyb\xff\x00c"[..]),
        ("plain", b"plain"),
    ] {
        if expand(text) != bytes {
            return Err(format!("{text:?} expands to {:?}", expand(text)));
        }
    }
    Ok(())
}
