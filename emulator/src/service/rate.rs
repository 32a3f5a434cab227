//! The request rate limit (`request_rate`, `request_burst`): one token bucket per
//! (account, region), as AWS meters API calls per account and region. A bucket holds at
//! most `burst` tokens and gains `rate` tokens a second; a request takes one, or is
//! refused when there is none. Wall time, never the emulator's clock: a manual clock
//! stands still, clients do not.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::settings::Settings;

/// Buckets kept before full ones are dropped: a full bucket is the same as no bucket,
/// so forgetting it changes nothing, and requests naming ever new regions cannot grow
/// the map without bound.
const PRUNE_ABOVE: usize = 4096;

/// The rate limit of a service: unlimited, or token buckets.
#[derive(Debug)]
pub struct RateLimit {
    limiter: Option<RateLimiter>,
}

impl RateLimit {
    /// The limit the settings name: none without `request_rate`; the burst defaults to
    /// one second's worth of requests, at least one.
    pub fn new(settings: &Settings) -> RateLimit {
        let limiter = settings.request_rate.map(|rate| {
            let burst = settings
                .request_burst
                .unwrap_or_else(|| default_burst(rate));
            RateLimiter::new(rate, burst)
        });
        RateLimit { limiter }
    }

    /// Takes one request from the bucket of `account` and `region` now; false when the
    /// request is over the rate.
    pub fn try_take(&self, account: &str, region: &str) -> bool {
        self.limiter
            .as_ref()
            .is_none_or(|limiter| limiter.try_take(account, region, Instant::now()))
    }
}

/// The bucket size when none is set.
fn default_burst(rate: f64) -> u32 {
    // `Settings::check` bounds the rate to (0, 1e9], so the cast cannot wrap.
    (rate.ceil() as u32).max(1)
}

/// Token buckets keyed by (account, region).
#[derive(Debug)]
struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<(String, String), Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// `rate` tokens a second, at most `burst` (at least 1) at once.
    fn new(rate: f64, burst: u32) -> RateLimiter {
        RateLimiter {
            rate,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token from the bucket of `account` and `region` at `now`; false when the
    /// bucket is empty.
    fn try_take(&self, account: &str, region: &str, now: Instant) -> bool {
        let mut buckets = self.lock();
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, bucket| self.refilled(*bucket, now) < self.burst);
        }
        let key = (account.to_owned(), region.to_owned());
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        bucket.tokens = self.refilled(*bucket, now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// The tokens a bucket holds at `now`.
    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.rate).min(self.burst)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(String, String), Bucket>> {
        // Every change to a bucket is complete before anything could panic.
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_passes_then_the_rate_refills_the_bucket() {
        let limiter = RateLimiter::new(2.0, 3);
        let start = Instant::now();
        let taken: Vec<bool> = (0..4).map(|_| limiter.try_take("a", "r", start)).collect();
        assert_eq!(taken, [true, true, true, false]);
        assert!(!limiter.try_take("a", "r", start + Duration::from_millis(400)));
        assert!(limiter.try_take("a", "r", start + Duration::from_millis(510)));
        assert!(!limiter.try_take("a", "r", start + Duration::from_millis(520)));
    }

    #[test]
    fn each_account_and_region_has_its_own_bucket() {
        let limiter = RateLimiter::new(1.0, 1);
        let now = Instant::now();
        assert!(limiter.try_take("a", "us-east-1", now));
        assert!(!limiter.try_take("a", "us-east-1", now));
        assert!(limiter.try_take("a", "eu-west-1", now));
        assert!(limiter.try_take("b", "us-east-1", now));
    }

    #[test]
    fn no_rate_means_no_limit_and_the_burst_defaults_to_the_rate() {
        let unlimited = RateLimit::new(&Settings::default());
        assert!((0..10_000).all(|_| unlimited.try_take("a", "r")));
        assert_eq!(default_burst(0.5), 1);
        assert_eq!(default_burst(2.5), 3);
        let limited = RateLimit::new(&Settings {
            request_rate: Some(0.001),
            request_burst: Some(2),
            ..Settings::default()
        });
        let taken: Vec<bool> = (0..3).map(|_| limited.try_take("a", "r")).collect();
        assert_eq!(taken, [true, true, false]);
    }

    #[test]
    fn full_buckets_are_forgotten_when_there_are_many() {
        let limiter = RateLimiter::new(1000.0, 1);
        let start = Instant::now();
        for i in 0..=PRUNE_ABOVE + 1 {
            limiter.try_take("a", &format!("r-{i}"), start);
        }
        limiter.try_take("a", "last", start + Duration::from_secs(1));
        assert!(limiter.lock().len() <= 2);
    }
}
