//! A target wrapper that keeps every exchange, so a recording holds exactly what the
//! runner sent (fixtures, steps, walks, clean-up) and what came back, in order, with
//! the headers the inner target actually sent and received (only those a recording
//! keeps). Given a writer, it also appends each exchange to the file as it happens, so
//! a run that dies part-way still leaves a readable recording of everything until then.

use std::sync::{Mutex, PoisonError};

use crate::exchange::{Exchange, Request};
use crate::recording::{RecordedExchange, RecordingError, RecordingWriter};

use super::{BoxFuture, Target, TargetError, VirtualClock};

/// Records what passes through to an inner target.
pub struct RecordingTarget {
    inner: Box<dyn Target>,
    exchanges: Mutex<Vec<RecordedExchange>>,
    /// The file being appended to, and the first write error (later exchanges are not
    /// written after one, so the file stays a prefix of what happened).
    writer: Mutex<(Option<RecordingWriter>, Option<RecordingError>)>,
}

impl std::fmt::Debug for RecordingTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingTarget")
            .field("inner", &self.inner.label())
            .finish_non_exhaustive()
    }
}

impl RecordingTarget {
    /// Wraps `inner`, keeping exchanges in memory only.
    pub fn new(inner: Box<dyn Target>) -> RecordingTarget {
        RecordingTarget {
            inner,
            exchanges: Mutex::new(Vec::new()),
            writer: Mutex::new((None, None)),
        }
    }

    /// Wraps `inner`, also appending every exchange to `writer` as it happens.
    pub fn writing_to(inner: Box<dyn Target>, writer: RecordingWriter) -> RecordingTarget {
        RecordingTarget {
            inner,
            exchanges: Mutex::new(Vec::new()),
            writer: Mutex::new((Some(writer), None)),
        }
    }

    /// The exchanges so far.
    pub fn exchanges(&self) -> Vec<RecordedExchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Closes the file, if there is one: the first error writing it, if any.
    pub fn finish(&self) -> Result<(), RecordingError> {
        let mut writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        writer.0 = None;
        match writer.1.take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The names of the jobs this target was asked to create (whatever the answer), so
    /// an interrupted run can still clean up after itself.
    pub fn created_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for exchange in self.exchanges() {
            let name = exchange
                .request
                .body
                .json()
                .and_then(|b| b.get("CompilationJobName"))
                .and_then(|n| n.as_str())
                .filter(|_| exchange.operation == "CreateCompilationJob");
            if let Some(name) = name
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_owned());
            }
        }
        names
    }

    fn keep(&self, exchange: RecordedExchange) {
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let (file, failed) = &mut *guard;
        if let Some(writer) = file
            && let Err(error) = writer.append(&exchange)
        {
            *failed = Some(error);
            *file = None;
        }
        drop(guard);
        self.exchanges
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(exchange);
    }
}

impl Target for RecordingTarget {
    fn label(&self) -> String {
        self.inner.label()
    }

    fn send(&self, request: Request) -> BoxFuture<'_, Result<Exchange, TargetError>> {
        Box::pin(async move {
            let exchange = self.inner.send(request).await?;
            self.keep(RecordedExchange::from(exchange.clone()));
            Ok(exchange)
        })
    }

    fn clock(&self) -> Option<&dyn VirtualClock> {
        self.inner.clock()
    }
}
