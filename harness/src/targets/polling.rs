//! Polling a target with backoff, through `backon`: the same schedule on every target,
//! with the pauses taken on the target's virtual clock when it has one.
//!
//! A virtual clock is moved by each pause instead of sleeping, so a run against the
//! in-process emulator looks at the same moments a real one would, at no real cost,
//! and a recording of it holds a real run's number of polls.

use std::future::Future;
use std::time::Duration;

use backon::{Backoff, BackoffBuilder, ExponentialBuilder, Retryable};

use super::Target;

/// The first pause.
const FIRST: Duration = Duration::from_secs(1);
/// The longest pause: each pause doubles until it reaches this.
const LONGEST: Duration = Duration::from_secs(30);

/// The pauses of every wait: 1 s, doubling, at most 30 s, no jitter (so a virtual run
/// is reproducible); with `limit`, no pause starts once the pauses so far add up to
/// it, so the last one may end past it.
pub(crate) fn schedule(limit: Option<Duration>) -> impl Backoff {
    ExponentialBuilder::new()
        .with_min_delay(FIRST)
        .with_max_delay(LONGEST)
        .with_factor(2.0)
        .without_max_times()
        .build()
        .scan(Duration::ZERO, move |waited, pause| {
            let more = limit.is_none_or(|limit| *waited < limit);
            *waited += pause;
            more.then_some(pause)
        })
}

/// Runs `look` until it succeeds, fails with an error `again` does not retry, or
/// `pauses` run out (then its last error is the answer), pausing between tries on
/// `target`'s clock.
pub(crate) async fn poll<T, E, Fut>(
    target: &dyn Target,
    pauses: impl Backoff,
    look: impl FnMut() -> Fut,
    again: impl FnMut(&E) -> bool,
) -> Result<T, E>
where
    Fut: Future<Output = Result<T, E>>,
{
    let real = target.clock().is_none();
    look.retry(pauses)
        // backon's sleeper must own what it uses, so it only sleeps on a real clock;
        // a virtual clock is moved when backon announces the pause, just before.
        .sleep(move |pause| async move {
            if real {
                tokio::time::sleep(pause).await;
            }
        })
        .notify(|_, pause| {
            if let Some(clock) = target.clock() {
                clock.advance(pause.as_secs_f64());
            }
        })
        .when(again)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(pauses: impl Backoff) -> Vec<u64> {
        pauses.take(12).map(|pause| pause.as_secs()).collect()
    }

    #[test]
    fn pauses_double_from_one_second_to_thirty() {
        assert_eq!(
            secs(schedule(None)),
            [1, 2, 4, 8, 16, 30, 30, 30, 30, 30, 30, 30]
        );
    }

    #[test]
    fn no_pause_starts_once_the_limit_is_spent() {
        assert_eq!(
            secs(schedule(Some(Duration::from_secs(60)))),
            [1, 2, 4, 8, 16, 30]
        );
        assert_eq!(secs(schedule(Some(Duration::from_secs(3)))), [1, 2]);
        assert_eq!(secs(schedule(Some(Duration::ZERO))), Vec::<u64>::new());
    }
}
