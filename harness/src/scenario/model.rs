//! A scenario as the runner uses it: checked once when its file is loaded, each step one
//! of three kinds with its operation typed, its templates and facts parsed, and its line
//! in the file, so nothing about a step is decided or parsed again while it runs.

use cjh_emulator::api::Operation;

use super::format::{Assumes, Evidence, Fixture, FixtureStatus, Subject, TimeName};
use super::relation::Relation;
use super::template::{JsonTemplate, Template};

/// A checked scenario.
#[derive(Debug, Clone)]
pub struct ScenarioModel {
    /// What the scenario shows and why it matters.
    pub description: String,
    /// The one behaviour it judges.
    pub subject: Subject,
    /// What the expectations rest on.
    pub evidence: Evidence,
    /// What it assumes of its target beyond the contract.
    pub assumes: Assumes,
    /// Fixture timestamps that must differ from fixture to fixture.
    pub distinct_times: Vec<TimeName>,
    /// Jobs to create first, in this order.
    pub fixtures: Vec<Fixture>,
    /// What to do, in this order.
    pub steps: Vec<Step>,
}

impl ScenarioModel {
    /// Whether job statuses bear on what the scenario judges, so its snapshot shows
    /// them: its subject is a status, or a step filters or sorts by status.
    pub fn shows_status(&self) -> bool {
        self.subject.shows_status()
            || self.steps.iter().any(|step| {
                step.send()
                    .and_then(|send| match &send.body {
                        Body::Json(json) => Some(json),
                        Body::Raw(_) => None,
                    })
                    .is_some_and(|json| {
                        json.member("StatusEquals").is_some()
                            || json.member("SortBy").and_then(JsonTemplate::as_text)
                                == Some("Status")
                    })
            })
    }
}

/// One step.
#[derive(Debug, Clone)]
pub enum Step {
    /// One request.
    Call(Call),
    /// ListCompilationJobs, following NextToken to the end.
    Paginate(Paginate),
    /// A wait for a fixture's status.
    Wait(Wait),
}

impl Step {
    /// The line of the step's `[[step]]` header (1-based).
    pub fn line(&self) -> usize {
        match self {
            Step::Call(call) => call.line,
            Step::Paginate(paginate) => paginate.line,
            Step::Wait(wait) => wait.line,
        }
    }

    /// The name later steps use in references.
    pub fn id(&self) -> Option<&str> {
        match self {
            Step::Call(call) => call.id.as_deref(),
            Step::Paginate(paginate) => paginate.id.as_deref(),
            Step::Wait(wait) => wait.id.as_deref(),
        }
    }

    /// The operation the step sends, if it sends one.
    pub fn operation(&self) -> Option<Operation> {
        match self {
            Step::Call(call) => Some(call.operation),
            Step::Paginate(_) => Some(Paginate::OPERATION),
            Step::Wait(_) => None,
        }
    }

    /// What the step sends, if it sends anything.
    pub fn send(&self) -> Option<&Send> {
        match self {
            Step::Call(call) => Some(&call.send),
            Step::Paginate(paginate) => Some(&paginate.send),
            Step::Wait(_) => None,
        }
    }

    /// The facts its answers must hold, if it sends anything.
    pub fn expect(&self) -> Option<&Expect> {
        match self {
            Step::Call(call) => Some(&call.expect),
            Step::Paginate(paginate) => Some(&paginate.expect),
            Step::Wait(_) => None,
        }
    }
}

/// A step that sends one request.
#[derive(Debug, Clone)]
pub struct Call {
    /// The line of its header.
    pub line: usize,
    /// Its id, if later steps refer to it.
    pub id: Option<String>,
    /// The operation called.
    pub operation: Operation,
    /// What is sent.
    pub send: Send,
    /// The facts its answer must hold.
    pub expect: Expect,
}

/// A step that walks every page of ListCompilationJobs.
#[derive(Debug, Clone)]
pub struct Paginate {
    /// The line of its header.
    pub line: usize,
    /// Its id, if later steps refer to it.
    pub id: Option<String>,
    /// What the first page's request sends; later pages add the NextToken.
    pub send: Send,
    /// The facts its pages must hold.
    pub expect: Expect,
}

impl Paginate {
    /// The one operation that can be paginated.
    pub const OPERATION: Operation = Operation::ListCompilationJobs;
}

/// A step that waits until a fixture reaches a status, sending nothing of its own.
#[derive(Debug, Clone)]
pub struct Wait {
    /// The line of its header.
    pub line: usize,
    /// Its id, if it has one.
    pub id: Option<String>,
    /// The fixture's alias.
    pub fixture: String,
    /// The status to wait for.
    pub status: FixtureStatus,
}

/// What a step sends.
#[derive(Debug, Clone)]
pub struct Send {
    /// The `X-Amz-Target` header, or `None` to send none.
    pub header: Option<String>,
    /// The body.
    pub body: Body,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// A JSON object (empty when the step gives no request).
    Json(JsonTemplate),
    /// Raw text, for malformed JSON.
    Raw(Template),
}

/// The facts a step's answers must hold, with their templates and relations parsed.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    /// HTTP status.
    pub status: Option<u16>,
    /// Error code (`__type`).
    pub error: Option<String>,
    /// The exact error message.
    pub message: Option<Template>,
    /// Job names in order: of the one answer, or of all pages joined.
    pub names: Option<Vec<String>>,
    /// Names page by page.
    pub pages: Option<Vec<Vec<String>>>,
    /// Whether the answer carries a NextToken.
    pub token: Option<bool>,
    /// Relations between times, each with its text as written.
    pub times: Vec<(String, Relation)>,
    /// Members of the answer by dotted path, with the value each must have.
    pub fields: Vec<(String, JsonTemplate)>,
}
