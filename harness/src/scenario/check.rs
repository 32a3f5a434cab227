//! Turning a parsed scenario file into its checked model: everything that can be checked
//! before a run (the format version, fixture names, step kinds and operations,
//! references, relations, expected names), each error with its line.

use serde_json::Value;
use toml::Spanned;

use super::error::ScenarioError;
use super::format::{self, FORMAT_VERSION, Fixture, FixtureStatus, ScenarioFile};
use super::model::{Body, Call, Expect, Paginate, ScenarioModel, Send, Step, Wait};
use super::reference::BadReference;
use super::relation::parse_relation;
use super::template::{JsonTemplate, Template};

/// Checks `file`, parsed from `text`, and builds its model; `shown` names it in errors.
pub(crate) fn check(
    shown: &str,
    text: &str,
    file: ScenarioFile,
) -> Result<ScenarioModel, ScenarioError> {
    let checker = Checker { shown, text };
    if *file.format.get_ref() != FORMAT_VERSION {
        return Err(checker.invalid(
            checker.line_at(file.format.span().start),
            format!(
                "format {} is not supported; this build reads format {FORMAT_VERSION}",
                file.format.get_ref()
            ),
        ));
    }
    checker.fixtures(&file.fixtures, file.assumes.virtual_clock.is_some())?;
    let aliases: Vec<&str> = file
        .fixtures
        .iter()
        .map(|f| f.get_ref().name.as_str())
        .collect();
    let mut step_ids: Vec<&str> = Vec::new();
    let mut steps = Vec::new();
    for (i, spanned) in file.steps.iter().enumerate() {
        let line = checker.line_at(spanned.span().start);
        let step = spanned.get_ref();
        steps.push(checker.step(step, i, line, &aliases, &step_ids)?);
        if let Some(id) = &step.id {
            if step_ids.contains(&id.as_str()) || aliases.contains(&id.as_str()) {
                return Err(checker.invalid(
                    line,
                    format!("step id '{id}' is used twice or names a fixture"),
                ));
            }
            step_ids.push(id);
        }
    }
    if steps.is_empty() {
        return Err(checker.invalid(1, "a scenario needs at least one [[step]]".to_owned()));
    }
    Ok(ScenarioModel {
        description: file.description,
        subject: file.subject,
        evidence: file.evidence,
        assumes: file.assumes,
        distinct_times: file.distinct_times,
        fixtures: file.fixtures.into_iter().map(Spanned::into_inner).collect(),
        steps,
    })
}

struct Checker<'a> {
    shown: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn invalid(&self, line: usize, problem: String) -> ScenarioError {
        ScenarioError::Invalid {
            path: self.shown.to_owned(),
            line,
            problem,
        }
    }

    /// The line (1-based) a byte offset of the text is on.
    fn line_at(&self, offset: usize) -> usize {
        let before = self.text.get(..offset).unwrap_or(self.text);
        before.bytes().filter(|b| *b == b'\n').count() + 1
    }

    /// The line of the first occurrence of `needle` at or after `from_line`, else
    /// `from_line`: for a value inside a step, which the format's tables keep no span of.
    fn line_of(&self, needle: &str, from_line: usize) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(from_line.saturating_sub(1))
            .find(|(_, line)| line.contains(needle))
            .map_or(from_line, |(i, _)| i + 1)
    }

    fn fixtures(
        &self,
        fixtures: &[Spanned<Fixture>],
        virtual_clock: bool,
    ) -> Result<(), ScenarioError> {
        let mut aliases: Vec<&str> = Vec::new();
        for (i, spanned) in fixtures.iter().enumerate() {
            let line = self.line_at(spanned.span().start);
            let fixture = spanned.get_ref();
            let name = fixture.name.as_str();
            let shape_ok = !name.is_empty()
                && name.len() <= 40
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !name.starts_with('-')
                && !name.ends_with('-');
            if !shape_ok {
                return Err(self.invalid(line, format!("fixture name '{name}' must be 1-40 lower-case letters, digits and inner hyphens")));
            }
            if aliases.contains(&name) || name == "prefix" || name == "profile" {
                return Err(self.invalid(
                    line,
                    format!("fixture name '{name}' is used twice or reserved"),
                ));
            }
            let previous_waited = i > 0
                && !matches!(
                    fixtures[i - 1].get_ref().status,
                    FixtureStatus::Any | FixtureStatus::Starting | FixtureStatus::Stopping
                );
            if fixture.same_time_as_previous && (i == 0 || previous_waited) {
                return Err(self.invalid(
                    line,
                    format!(
                        "fixture '{name}' cannot share the previous fixture's CreationTime: there is none, or it was waited for (only an ANY, STARTING or STOPPING fixture leaves the clock where it was)"
                    ),
                ));
            }
            if fixture.device.is_some() && fixture.platform.is_some() {
                return Err(self.invalid(
                    line,
                    format!("fixture '{name}' has both device and platform"),
                ));
            }
            aliases.push(name);
        }
        let shared = fixtures.iter().find(|f| f.get_ref().same_time_as_previous);
        if let Some(fixture) = shared
            && !virtual_clock
        {
            return Err(self.invalid(
                self.line_at(fixture.span().start),
                format!(
                    "fixture '{}' shares the previous CreationTime, which only a virtual clock can promise: declare it with assumes.virtual_clock = \"<the coincidence needed>\"",
                    fixture.get_ref().name
                ),
            ));
        }
        Ok(())
    }

    fn step(
        &self,
        step: &format::Step,
        index: usize,
        line: usize,
        aliases: &[&str],
        earlier: &[&str],
    ) -> Result<Step, ScenarioError> {
        let id = step.id.clone();
        match (&step.call, &step.paginate, &step.wait) {
            (Some(operation), None, None) => {
                let (send, expect) = self.send(step, line, operation, aliases, earlier)?;
                let operation = operation
                    .parse()
                    .map_err(|unknown| self.invalid(line, format!("{unknown}")))?;
                Ok(Step::Call(Call {
                    line,
                    id,
                    operation,
                    send,
                    expect,
                }))
            }
            (None, Some(operation), None) => {
                if operation != Paginate::OPERATION.name() {
                    return Err(self.invalid(
                        line,
                        format!("only ListCompilationJobs can be paginated, not {operation}"),
                    ));
                }
                let (send, expect) = self.send(step, line, operation, aliases, earlier)?;
                Ok(Step::Paginate(Paginate {
                    line,
                    id,
                    send,
                    expect,
                }))
            }
            (None, None, Some(wait)) => self.wait(step, wait, line, aliases).map(Step::Wait),
            _ => Err(self.invalid(
                line,
                format!(
                    "step {} needs exactly one of call, paginate and wait",
                    index + 1
                ),
            )),
        }
    }

    fn wait(
        &self,
        step: &format::Step,
        wait: &format::Wait,
        line: usize,
        aliases: &[&str],
    ) -> Result<Wait, ScenarioError> {
        if step.request.is_some()
            || step.raw_body.is_some()
            || step.target_header.is_some()
            || !step.expect.is_empty()
        {
            return Err(self.invalid(
                line,
                "a wait step sends nothing, so it takes no request, raw_body, target_header or expect".to_owned(),
            ));
        }
        if !aliases.contains(&wait.fixture.as_str()) {
            return Err(self.invalid(
                line,
                format!(
                    "wait names fixture '{}', which the scenario does not have",
                    wait.fixture
                ),
            ));
        }
        Ok(Wait {
            line,
            id: step.id.clone(),
            fixture: wait.fixture.clone(),
            status: wait.status,
        })
    }

    /// What a call or paginate step sends and expects, its templates parsed.
    fn send(
        &self,
        step: &format::Step,
        line: usize,
        operation: &str,
        aliases: &[&str],
        earlier: &[&str],
    ) -> Result<(Send, Expect), ScenarioError> {
        let bad = |bad: BadReference| {
            let needle = format!("${{{}", bad.text.chars().take(20).collect::<String>());
            self.invalid(self.line_of(&needle, line), bad.to_string())
        };
        let json = |value: Value| JsonTemplate::parse(&value, aliases, earlier).map_err(bad);
        let body = match (&step.request, &step.raw_body) {
            (Some(_), Some(_)) => {
                return Err(
                    self.invalid(line, "a step has request or raw_body, not both".to_owned())
                );
            }
            (None, Some(raw)) => Body::Raw(Template::parse(raw, aliases, earlier).map_err(bad)?),
            (Some(table), None) => {
                Body::Json(json(serde_json::to_value(table).unwrap_or(Value::Null))?)
            }
            (None, None) => Body::Json(JsonTemplate::Object(Vec::new())),
        };
        let header = match &step.target_header {
            Some(header) if header.is_empty() => None,
            Some(header) => Some(header.clone()),
            None => Some(format!("SageMaker.{operation}")),
        };
        let written = &step.expect;
        let message = written
            .message
            .as_deref()
            .map(|m| Template::parse(m, aliases, earlier).map_err(bad))
            .transpose()?;
        let mut fields = Vec::new();
        for (path, value) in written.fields.iter().flatten() {
            let value = serde_json::to_value(value).unwrap_or(Value::Null);
            fields.push((path.clone(), json(value)?));
        }
        let mut times = Vec::new();
        for fact in written.times.iter().flatten() {
            let relation = parse_relation(fact, aliases, earlier)
                .map_err(|problem| self.invalid(self.line_of("times", line), problem))?;
            times.push((fact.clone(), relation));
        }
        let names = written.names.iter().flatten();
        let pages = written.pages.iter().flatten().flatten();
        for name in names.chain(pages) {
            if name != "<other>" && !aliases.contains(&name.as_str()) {
                return Err(self.invalid(
                    self.line_of(&format!("\"{name}\""), line),
                    format!(
                        "expected name '{name}' is not a fixture (use \"<other>\" for other jobs)"
                    ),
                ));
            }
        }
        let expect = Expect {
            status: written.status,
            error: written.error.clone(),
            message,
            names: written.names.clone(),
            pages: written.pages.clone(),
            token: written.token,
            times,
            fields,
        };
        Ok((Send { header, body }, expect))
    }
}
