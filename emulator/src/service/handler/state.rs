//! The service with a state directory (`state_dir`): opening and restoring it, recording
//! each change before it is made, and the changes that are not API requests (reset and
//! manual-clock moves). See `service::durable` for the format.

use std::sync::PoisonError;
use std::time::Duration;

use crate::api::ApiError;

use super::super::clock::{Clock, NotManual};
use super::super::durable::{Change, Durable, StateError};
use super::super::settings::Settings;
use super::super::time::Millis;
use super::{CallContext, Service};

impl Service {
    /// A service whose jobs are kept in `settings.state_dir`, restored from it; without a
    /// state directory, the same as [`Service::new`]. Also returns notices about the
    /// restore (how many jobs were restored) for the caller to report.
    pub fn open(settings: Settings, clock: Clock) -> Result<(Service, Vec<String>), StateError> {
        let Some(dir) = settings.state_dir.clone() else {
            return Ok((Service::new(settings, clock), Vec::new()));
        };
        let mut settings = settings;
        let restored = Durable::open(&dir, &mut settings)?;
        let mut service = Service::new(settings, clock);
        let partitions = service
            .partitions
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let (durable, notices) = restored.rebuild(partitions, &service.settings, &service.clock)?;
        service.durable = Some(durable);
        Ok((service, notices))
    }

    /// Like [`Service::open`], for callers that cannot fail: a state directory that cannot
    /// be opened yields a service that refuses every request with InternalFailure naming
    /// the problem (see [`Service::state_error`]), never one that silently forgets. The
    /// notices are the restore's, or the problem, for the caller to show.
    pub fn open_or_unavailable(settings: Settings, clock: Clock) -> (Service, Vec<String>) {
        match Service::open(settings.clone(), clock.clone()) {
            Ok(opened) => opened,
            Err(error) => {
                let dir = settings.state_dir.clone().unwrap_or_default();
                let mut service = Service::new(settings, clock);
                service.durable = Some(Durable::unavailable(&dir, error.to_string()));
                (service, vec![error.to_string()])
            }
        }
    }

    /// Whether changes are kept in a state directory (and answers wait for its commit).
    pub fn is_durable(&self) -> bool {
        self.durable.is_some()
    }

    /// The error every request is answered with once the state directory has failed (or
    /// could not be opened), if it has.
    pub fn state_error(&self) -> Option<ApiError> {
        self.durable.as_ref()?.refusal()
    }

    /// Forgets every job, in the state directory too.
    pub fn try_reset(&self) -> Result<(), ApiError> {
        let mut partitions = self.lock();
        if let Some(durable) = &self.durable {
            let clock = self.clock.is_manual().then(|| self.clock.now());
            durable.reset(clock)?;
        }
        partitions.clear();
        Ok(())
    }

    /// Moves a manual clock forward, recording its new time in the state directory. A
    /// failure to record it is kept and answered to every later request
    /// ([`Service::state_error`]).
    pub fn advance_clock(&self, by: Duration) -> Result<Millis, NotManual> {
        // The store's lock orders the move among the recorded changes.
        let partitions = self.lock();
        let now = self.clock.advance(by)?;
        if let Some(durable) = &self.durable {
            let appended = durable.append(Change::Clock { to: now.0 });
            let position = durable.position();
            drop(partitions);
            let _ = appended.and_then(|()| durable.wait(position));
        }
        Ok(now)
    }

    /// Records a change about to be made; called with the store's lock held.
    pub(super) fn keep(&self, change: impl FnOnce() -> Change) -> Result<(), ApiError> {
        match &self.durable {
            Some(durable) => durable.append(change()),
            None => Ok(()),
        }
    }

    /// The caller's partition key, as records carry it.
    pub(super) fn key<'a>(&'a self, context: &'a CallContext) -> (&'a str, &'a str) {
        (self.account(context), self.region(context))
    }

    /// Holds an answer back until everything it may have observed is on disk; `position`
    /// was read with the store's lock held.
    pub(super) fn when_durable<T>(
        &self,
        position: Option<u64>,
        result: Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        match (&self.durable, position) {
            (Some(durable), Some(position)) => durable.wait(position).and(result),
            _ => result,
        }
    }
}
