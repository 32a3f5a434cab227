//! Fidelity settings: every place where the emulator had to choose because AWS's behaviour
//! is not fully known (see `design/fidelity.md`), plus server limits.
//!
//! One struct serves the settings file (TOML, snake_case keys), the command-line flags and
//! the in-process builder, so a default changes in one place when a recording settles it.

use serde::{Deserialize, Serialize};

use super::choice::{
    ArnCase, AuthMode, ClockMode, DefaultSortOrder, NameMatch, NotFound, Paging, TimeBounds,
};
use super::credential::{Credential, check_credentials};
use super::faults::{DEFAULT_FAULT_LATENCY_MS, FaultSettings};
use super::preset::LifecyclePreset;
pub use super::settings_error::SettingsError;

/// Every setting of the emulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Region used when a request carries no SigV4 credential scope.
    pub region: String,
    /// Account id in ARNs.
    pub account_id: String,
    /// F1: page size when MaxResults is omitted.
    pub default_max_results: u32,
    /// F2: whether filters apply to a window of the sorted list or before paging.
    pub paging: Paging,
    /// F3: NameContains case handling.
    pub name_contains: NameMatch,
    /// F4: inclusivity of the time filters.
    pub time_bounds: TimeBounds,
    /// F7: the order of a List that names no SortOrder.
    pub default_sort_order: DefaultSortOrder,
    /// F8: the error for an unknown job name.
    pub not_found: NotFound,
    /// F10: case of the name inside the ARN.
    pub arn_case: ArnCase,
    /// F11: which clock drives the lifecycle.
    pub clock: ClockMode,
    /// F11: seconds a job stays STARTING.
    pub starting_secs: f64,
    /// F11: seconds a job compiles (INPROGRESS) before its outcome.
    pub compiling_secs: f64,
    /// F11: seconds a job stays STOPPING.
    pub stopping_secs: f64,
    /// F14: fail jobs whose InputConfig.S3Uri does not end in `.tar.gz`.
    pub fail_unless_tar_gz: bool,
    /// F14: fail jobs whose compiling outlasts StoppingCondition.MaxRuntimeInSeconds.
    pub enforce_max_runtime: bool,
    /// F17: key that authenticates page tokens; random per process when unset.
    pub token_key: Option<String>,
    /// Jobs in STARTING, INPROGRESS or STOPPING allowed at once per account and region;
    /// unlimited when unset. Over it, Create answers ResourceLimitExceeded.
    pub max_concurrent_jobs: Option<u32>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Seconds a connection may take to send a request's headers, and then its body;
    /// a client that stalls or trickles is cut off instead of holding the connection.
    pub read_timeout_secs: f64,
    /// F21: whether HTTP requests must carry a valid SigV4 signature.
    pub auth: AuthMode,
    /// F21, F22: the access keys accepted with `auth = sigv4`, each with its secret and
    /// account (`[[credential]]` tables in TOML).
    #[serde(rename = "credential")]
    pub credentials: Vec<Credential>,
    /// F22: with `auth = sigv4`, refuse a credential scope for any region but `region`,
    /// as a real regional endpoint does.
    pub pin_region: bool,
    /// Directory where every acknowledged change is kept (an SQLite database, committed
    /// before the answer) and restored from at start, with the page-token key; memory
    /// only when unset. Needs the `durable` feature.
    pub state_dir: Option<std::path::PathBuf>,
    /// Connections served at once; one more gets a 503 `ServiceUnavailable` and is closed.
    pub max_connections: usize,
    /// Largest request head (request line and headers), in bytes; larger gets a 431.
    pub max_header_bytes: usize,
    /// Most header fields in one request; more gets a 431.
    pub max_headers: usize,
    /// Requests per second allowed per account and region (a token bucket); unlimited
    /// when unset. Over it, 400 `ThrottlingException` "Rate exceeded".
    pub request_rate: Option<f64>,
    /// The token bucket's size: requests allowed at once after a quiet spell; the rate
    /// rounded up (at least 1) when unset.
    pub request_burst: Option<u32>,
    /// Fault injection: fraction of API requests answered 400 `ThrottlingException`.
    pub fault_throttling: f64,
    /// Fault injection: fraction of API requests answered 500 `InternalFailure`.
    pub fault_internal_failure: f64,
    /// Fault injection: fraction of API requests delayed by `fault_latency_ms`.
    pub fault_latency: f64,
    /// Fault injection: the delay, in milliseconds.
    pub fault_latency_ms: u64,
    /// Fault injection: the seed; the same seed faults the same request numbers.
    pub fault_seed: u64,
    /// The request journal's bound in entries: the most recent this many API requests
    /// are kept for `GET /_cjh/requests`; 0 keeps none.
    pub journal_size: usize,
    /// The request journal's bound in bytes of request and response bodies; the
    /// oldest entries go first.
    pub journal_bytes: usize,
    /// The bearer token the control endpoints that read or change state require when
    /// they are guarded: off loopback, with `auth = sigv4`, or whenever it is set.
    pub control_token: Option<String>,
    /// Leaves the control endpoints open off loopback without a token; without it, a
    /// server on another address and no `control_token` refuses to start.
    pub open_control_endpoints: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            region: "us-east-1".to_owned(),
            account_id: "000000000000".to_owned(),
            default_max_results: 10,
            paging: Paging::Window,
            name_contains: NameMatch::Insensitive,
            time_bounds: TimeBounds::AfterInclusive,
            default_sort_order: DefaultSortOrder::Ascending,
            not_found: NotFound::Validation,
            arn_case: ArnCase::Lower,
            clock: ClockMode::System,
            starting_secs: 1.0,
            compiling_secs: 3.0,
            stopping_secs: 1.0,
            fail_unless_tar_gz: true,
            enforce_max_runtime: true,
            token_key: None,
            max_concurrent_jobs: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            read_timeout_secs: DEFAULT_READ_TIMEOUT_SECS,
            auth: AuthMode::None,
            credentials: Vec::new(),
            pin_region: false,
            state_dir: None,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_headers: DEFAULT_MAX_HEADERS,
            request_rate: None,
            request_burst: None,
            fault_throttling: 0.0,
            fault_internal_failure: 0.0,
            fault_latency: 0.0,
            fault_latency_ms: DEFAULT_FAULT_LATENCY_MS,
            fault_seed: 0,
            journal_size: DEFAULT_JOURNAL_SIZE,
            journal_bytes: DEFAULT_JOURNAL_BYTES,
            control_token: None,
            open_control_endpoints: false,
        }
    }
}

/// Default connection limit: far more than any test's clients keep open, and just under
/// the usual limit of 1024 open files, so a client over the limit gets an answer rather
/// than an accept that fails for want of a descriptor.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1000;

/// Default journal size: the last 10,000 requests, more than a test suite's run sends
/// to one emulator, at a few hundred bytes each besides the bodies.
pub const DEFAULT_JOURNAL_SIZE: usize = 10_000;

/// Default journal body budget: 64 MiB, room for the default size at about 6 KB a
/// request and answer (a List page of 100 is about 40 KB).
pub const DEFAULT_JOURNAL_BYTES: usize = 64 * 1024 * 1024;

/// Default head limit: 16 KiB; a signed SDK request head is under 2 KB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 16 * 1024;

/// Default header count: hyper's own default; SDK requests send about a dozen.
pub const DEFAULT_MAX_HEADERS: usize = 100;

/// Default body limit: 1 MiB, far above the largest valid request (a Create with
/// every string at its maximum is about 30 KB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// Default read timeout: 30 seconds, hyper's own default for headers, and far longer
/// than any client needs to send a body of at most `max_body_bytes`.
pub(crate) const DEFAULT_READ_TIMEOUT_SECS: f64 = 30.0;

impl Settings {
    /// Reads a TOML settings file; keys left out keep their defaults.
    pub fn from_file(path: &std::path::Path) -> Result<Settings, SettingsError> {
        let text = fs_err::read_to_string(path).map_err(SettingsError::Read)?;
        let settings = Settings::from_toml(&text).map_err(|source| SettingsError::Parse {
            path: path.display().to_string(),
            source: Box::new(source),
        })?;
        settings.check()?;
        Ok(settings)
    }

    /// Reads settings TOML. A `lifecycle` key names a [`LifecyclePreset`], which fills in
    /// whichever of the three durations the text does not name itself.
    pub fn from_toml(text: &str) -> Result<Settings, toml::de::Error> {
        let mut table: toml::Table = toml::from_str(text)?;
        let Some(preset) = table.remove("lifecycle") else {
            // Read from the text itself, so an error keeps its line.
            return toml::from_str(text);
        };
        let preset: LifecyclePreset = preset.try_into()?;
        let named = |key: &str| table.contains_key(key);
        let (starting, compiling, stopping) = (
            named("starting_secs"),
            named("compiling_secs"),
            named("stopping_secs"),
        );
        let mut settings: Settings = toml::Value::Table(table).try_into()?;
        let durations = preset.durations();
        if !starting {
            settings.starting_secs = durations.starting_secs;
        }
        if !compiling {
            settings.compiling_secs = durations.compiling_secs;
        }
        if !stopping {
            settings.stopping_secs = durations.stopping_secs;
        }
        Ok(settings)
    }

    /// Checks values that types alone cannot bound.
    pub fn check(&self) -> Result<(), SettingsError> {
        let invalid = |name, problem: &str| {
            Err(SettingsError::Invalid {
                name,
                problem: problem.to_owned(),
            })
        };
        if !(1..=100).contains(&self.default_max_results) {
            return invalid("default_max_results", "must be between 1 and 100");
        }
        for (name, secs) in [
            ("starting_secs", self.starting_secs),
            ("compiling_secs", self.compiling_secs),
            ("stopping_secs", self.stopping_secs),
        ] {
            if !secs.is_finite() || !(0.0..=31_536_000.0).contains(&secs) {
                return invalid(name, "must be a number of seconds between 0 and one year");
            }
        }
        if self.account_id.len() != 12 || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return invalid("account_id", "must be 12 digits");
        }
        if self.region.is_empty()
            || !self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return invalid("region", "must be a region name such as us-east-1");
        }
        if self.max_body_bytes < 1024 {
            return invalid("max_body_bytes", "must be at least 1024");
        }
        if !self.read_timeout_secs.is_finite() || !(0.01..=3600.0).contains(&self.read_timeout_secs)
        {
            return invalid(
                "read_timeout_secs",
                "must be a number of seconds from 0.01 to 3600",
            );
        }
        self.check_limits()?;
        FaultSettings::of(self).check()?;
        check_credentials(&self.credentials)?;
        if self.auth == AuthMode::Sigv4 && self.credentials.is_empty() {
            return invalid(
                "credential",
                "auth = sigv4 needs at least one credential (--credentials FILE)",
            );
        }
        if self.pin_region && self.auth != AuthMode::Sigv4 {
            return invalid("pin_region", "needs auth = sigv4");
        }
        Ok(())
    }
}

impl Settings {
    /// Checks the server limits.
    fn check_limits(&self) -> Result<(), SettingsError> {
        let invalid = |name, problem: &str| {
            Err(SettingsError::Invalid {
                name,
                problem: problem.to_owned(),
            })
        };
        if self.max_connections == 0 {
            return invalid("max_connections", "must be at least 1");
        }
        if !(1024..=64 * 1024).contains(&self.max_header_bytes) {
            return invalid("max_header_bytes", "must be from 1024 to 65536");
        }
        if !(8..=1000).contains(&self.max_headers) {
            return invalid("max_headers", "must be from 8 to 1000");
        }
        if self.journal_bytes < 1024 {
            return invalid("journal_bytes", "must be at least 1024");
        }
        if let Some(rate) = self.request_rate
            && !(rate.is_finite() && rate > 0.0 && rate <= 1e9)
        {
            return invalid(
                "request_rate",
                "must be a positive number of requests per second",
            );
        }
        match (self.request_burst, self.request_rate) {
            (Some(0), _) => invalid("request_burst", "must be at least 1"),
            (Some(_), None) => invalid("request_burst", "needs request_rate"),
            _ => Ok(()),
        }
    }
}

impl FaultSettings {
    /// The fault settings of the emulator's settings.
    pub fn of(settings: &Settings) -> FaultSettings {
        FaultSettings {
            fault_throttling: settings.fault_throttling,
            fault_internal_failure: settings.fault_internal_failure,
            fault_latency: settings.fault_latency,
            fault_latency_ms: settings.fault_latency_ms,
            fault_seed: settings.fault_seed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_file_with_an_unknown_key_is_refused_with_its_name() {
        let error = toml::from_str::<Settings>("pagin = \"window\"\n").err();
        let text = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("pagin"), "{text}");
    }

    #[test]
    fn sigv4_without_credentials_or_a_pin_without_sigv4_is_refused() {
        let no_keys = Settings {
            auth: AuthMode::Sigv4,
            ..Settings::default()
        };
        assert!(no_keys.check().is_err());
        let pin_alone = Settings {
            pin_region: true,
            ..Settings::default()
        };
        assert!(pin_alone.check().is_err());
    }

    #[test]
    fn a_settings_file_may_hold_auth_and_credential_tables() {
        let text = "auth = \"sigv4\"\n[[credential]]\naccess_key_id = \"AKID\"\nsecret_access_key = \"s\"\naccount_id = \"111122223333\"\n";
        let settings: Settings = toml::from_str(text).unwrap_or_default();
        assert_eq!(settings.auth, AuthMode::Sigv4);
        assert_eq!(settings.credentials.len(), 1);
        assert!(settings.check().is_ok());
    }

    #[test]
    fn a_settings_file_overrides_only_the_keys_it_names() {
        let parsed: Result<Settings, _> =
            toml::from_str("paging = \"filtered\"\ncompiling_secs = 0.5\n");
        let settings = parsed.unwrap_or_default();
        assert_eq!(settings.paging, Paging::Filtered);
        assert_eq!(settings.compiling_secs, 0.5);
        assert_eq!(settings.starting_secs, 1.0);
    }

    #[test]
    fn a_lifecycle_preset_in_a_file_fills_in_the_durations_it_does_not_name() {
        let parsed = Settings::from_toml("lifecycle = \"realistic\"\nstopping_secs = 2.5\n");
        let settings = parsed.unwrap_or_default();
        assert_eq!(settings.starting_secs, 120.0);
        assert_eq!(settings.compiling_secs, 180.0);
        assert_eq!(settings.stopping_secs, 2.5);
    }

    #[test]
    fn an_unknown_lifecycle_preset_or_key_beside_one_is_refused_by_name() {
        let preset = Settings::from_toml("lifecycle = \"slow\"\n").err();
        let text = preset.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            text.contains("slow") && text.contains("realistic"),
            "{text}"
        );
        let key = Settings::from_toml("lifecycle = \"fast\"\npagin = 1\n").err();
        let text = key.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("pagin"), "{text}");
    }

    #[test]
    fn the_default_sort_order_is_read_from_a_file_in_kebab_case() {
        let parsed = Settings::from_toml("default_sort_order = \"descending\"\n");
        let settings = parsed.unwrap_or_default();
        assert_eq!(settings.default_sort_order, DefaultSortOrder::Descending);
        assert_eq!(
            Settings::default().default_sort_order,
            DefaultSortOrder::Ascending
        );
    }

    #[test]
    fn a_read_timeout_must_be_a_positive_number_of_seconds() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 3601.0] {
            let settings = Settings {
                read_timeout_secs: bad,
                ..Settings::default()
            };
            assert!(settings.check().is_err(), "{bad}");
        }
        assert_eq!(Settings::default().read_timeout_secs, 30.0);
        assert!(Settings::default().check().is_ok());
    }
}
