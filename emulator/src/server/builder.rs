//! Building an [`Emulator`]: every setting of `cjh serve` as a method, then `build`,
//! `open` (with the restore's notices) or `try_build`.

use std::net::{IpAddr, Ipv4Addr};

use crate::service::{
    ArnCase, AuthMode, Clock, ClockMode, Credential, DefaultSortOrder, LifecyclePreset, Millis,
    NameMatch, NotFound, Paging, Service, Settings, StateError, TimeBounds, for_each_setting,
};

use super::emulator::{Emulator, OwnToken};

/// Builds an [`Emulator`]; every fidelity setting of `cjh serve` has a method here.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    settings: Settings,
    host: IpAddr,
    port: u16,
    clock: Option<Clock>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            settings: Settings::default(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            clock: None,
        }
    }
}

macro_rules! setters {
    ($($group:ident {
        $($key:ident: $ty:ty = $default:expr,
            shown $shown:literal, evidence $evidence:literal,
            $(env $env:literal,)? $(rename $rename:literal,)?
            help $help:literal, meaning $meaning:literal;)*
    })*) => {
        /// One method per setting, as `declared.rs` lists them.
        impl EmulatorBuilder {
            $($(
                #[doc = $help]
                pub fn $key(mut self, value: $ty) -> Self {
                    self.settings.$key = value;
                    self
                }
            )*)*
        }
    };
}

for_each_setting!(setters);

impl Emulator {
    /// A builder with every setting at its default.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

impl EmulatorBuilder {
    /// Replaces all settings at once (for example, read from a settings file).
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// The address to listen on (loopback by default).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port to listen on (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// A manual clock starting at this exact time, for fully reproducible timestamps.
    pub fn manual_clock_at(mut self, start: Millis) -> Self {
        self.settings.clock = ClockMode::Manual;
        self.clock = Some(Clock::manual_at(start));
        self
    }

    /// The three lifecycle durations of a preset; a duration set after this wins.
    pub fn lifecycle(mut self, preset: LifecyclePreset) -> Self {
        self.settings.apply_lifecycle(preset);
        self
    }

    /// F21, F22: accepts one more access key, with its secret and the account whose
    /// jobs it sees.
    pub fn credential(mut self, credential: Credential) -> Self {
        self.settings.credentials.push(credential);
        self
    }

    /// The clock the service runs on: one given (`manual_clock_at`), else one of the
    /// `clock` setting's kind.
    fn service_clock(&self) -> Clock {
        self.clock
            .clone()
            .unwrap_or_else(|| Clock::new(self.settings.clock))
    }

    /// The emulator. Settings are checked when it starts. With a `state_dir` that cannot
    /// be opened, the problem is in [`Emulator::notices`], `start` fails with it and every
    /// call answers InternalFailure naming it; [`EmulatorBuilder::try_build`] returns it
    /// instead.
    pub fn build(self) -> Emulator {
        let clock = self.service_clock();
        Emulator::assemble(
            Service::open_or_unavailable(self.settings, clock),
            self.host,
            self.port,
            Some(OwnToken::generate()),
        )
    }

    /// The emulator, with its `state_dir` opened and restored, and the notices about the
    /// restore (such as a torn last record dropped) for the caller to show; an error if
    /// the directory cannot be opened, is damaged, or was written with other lifecycle
    /// settings. Its guarded control endpoints need the `control_token` setting, as a
    /// standalone server's do: it generates none of its own.
    pub fn open(self) -> Result<(Emulator, Vec<String>), StateError> {
        let clock = self.service_clock();
        let (service, notices) = Service::open(self.settings, clock)?;
        let emulator = Emulator::assemble((service, Vec::new()), self.host, self.port, None);
        Ok((emulator, notices))
    }

    /// As [`EmulatorBuilder::open`], with the notices kept in [`Emulator::notices`] and,
    /// as [`EmulatorBuilder::build`], a control token of its own
    /// ([`Emulator::control_token`]).
    pub fn try_build(self) -> Result<Emulator, StateError> {
        let clock = self.service_clock();
        let opened = Service::open(self.settings, clock)?;
        Ok(Emulator::assemble(
            opened,
            self.host,
            self.port,
            Some(OwnToken::generate()),
        ))
    }
}
