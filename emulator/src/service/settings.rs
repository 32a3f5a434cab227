//! Fidelity settings: every place where the emulator had to choose because AWS's behaviour
//! is not fully known (see `design/fidelity.md`), plus server limits.
//!
//! One struct serves the settings file (TOML, snake_case keys), the command-line flags and
//! the in-process builder; its fields and defaults come from the one declaration in
//! `declared.rs`, so a default changes in one place when a recording settles it.

use serde::{Deserialize, Serialize};

use super::choice::{
    ArnCase, AuthMode, ClockMode, DefaultSortOrder, NameMatch, NotFound, Paging, TimeBounds,
};
use super::credential::{Credential, check_credentials};
use super::declared::for_each_setting;
use super::faults::{DEFAULT_FAULT_LATENCY_MS, FaultSettings};
use super::preset::LifecyclePreset;
pub use super::settings_error::SettingsError;

macro_rules! settings_struct {
    ($($group:ident {
        $($key:ident: $ty:ty = $default:expr,
            shown $shown:literal, evidence $evidence:literal,
            $(env $env:literal,)? $(rename $rename:literal,)?
            help $help:literal, meaning $meaning:literal;)*
    })*) => {
        /// Every setting of the emulator, as `declared.rs` lists them.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Settings {
            $($(
                #[doc = $help]
                $(#[serde(rename = $rename)])?
                pub $key: $ty,
            )*)*
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings {
                    $($($key: $default,)*)*
                }
            }
        }
    };
}

for_each_setting!(settings_struct);

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
    /// Sets the three lifecycle durations to a preset's.
    pub fn apply_lifecycle(&mut self, preset: LifecyclePreset) {
        let durations = preset.durations();
        self.starting_secs = durations.starting_secs;
        self.compiling_secs = durations.compiling_secs;
        self.stopping_secs = durations.stopping_secs;
    }

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

    /// Reads a TOML settings file as a table of keys, after checking that it reads as
    /// settings (so a mistake is reported with its line): for a caller that lays other
    /// keys over it, such as flags, before [`Settings::from_table`].
    pub fn read_table(path: &std::path::Path) -> Result<toml::Table, SettingsError> {
        let text = fs_err::read_to_string(path).map_err(SettingsError::Read)?;
        let parse = |source| SettingsError::Parse {
            path: path.display().to_string(),
            source: Box::new(source),
        };
        Settings::from_toml(&text).map_err(parse)?;
        toml::from_str(&text).map_err(parse)
    }

    /// Reads settings TOML. A `lifecycle` key names a [`LifecyclePreset`], which fills in
    /// whichever of the three durations the text does not name itself.
    pub fn from_toml(text: &str) -> Result<Settings, toml::de::Error> {
        let table: toml::Table = toml::from_str(text)?;
        if !table.contains_key("lifecycle") {
            // Read from the text itself, so an error keeps its line.
            return toml::from_str(text);
        }
        Settings::from_table(table)
    }

    /// Reads settings from a table of settings-file keys, such as the flags of
    /// `cjh serve` merged over a file; a `lifecycle` key as in [`Settings::from_toml`].
    pub fn from_table(mut table: toml::Table) -> Result<Settings, toml::de::Error> {
        let Some(preset) = table.remove("lifecycle") else {
            return toml::Value::Table(table).try_into();
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
