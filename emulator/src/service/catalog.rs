//! The settings as data: what a flag parser, a settings-file reader and the reference page
//! need to know of each, read from the one declaration in `declared.rs`.
//!
//! The emulator has no command-line crate; the harness builds `cjh serve`'s flags from
//! [`settings_catalog`], and [`settings_reference`] writes the table of `docs/settings.md`, which a test
//! keeps in step.

use std::path::PathBuf;

use super::choice::{
    ArnCase, AuthMode, Choice, ClockMode, DefaultSortOrder, NameMatch, NotFound, Paging, TimeBounds,
};
use super::credential::Credential;
use super::declared::for_each_setting;
use super::preset::LifecyclePreset;

/// The concern a setting belongs to; the reference and `--help` list them by group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingGroup {
    /// How a job moves through its statuses, and how many may.
    Lifecycle,
    /// Where AWS's behaviour is not fully known: paging, matching, errors, ARNs.
    Fidelity,
    /// Who may call: SigV4 checking and the control endpoints' guard.
    Auth,
    /// What is kept: the state directory, the page-token key, the request journal.
    Storage,
    /// What one request or connection may cost the server.
    Limits,
    /// How fast an account may call.
    Rate,
    /// Failures injected on purpose.
    Faults,
}

impl SettingGroup {
    /// The heading the reference and `--help` show.
    pub fn title(self) -> &'static str {
        match self {
            SettingGroup::Lifecycle => "Lifecycle",
            SettingGroup::Fidelity => "Fidelity",
            SettingGroup::Auth => "Authentication and control",
            SettingGroup::Storage => "Storage",
            SettingGroup::Limits => "Server limits",
            SettingGroup::Rate => "Rate limit",
            SettingGroup::Faults => "Fault injection",
        }
    }
}

/// The shape of a setting's value, as a flag parser needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    /// Any text.
    Text,
    /// A whole number, at least 0.
    Whole,
    /// A number, fractions allowed.
    Number,
    /// `true` or `false`; a flag given without a value means `true`.
    Flag,
    /// One of these words.
    Word(Vec<&'static str>),
    /// A file-system path.
    Path,
    /// Tables (`[[credential]]`): a file of them, not one flag value.
    Tables,
}

/// The [`ValueKind`] of a setting's type.
pub(crate) trait SettingValue {
    /// Its kind.
    fn kind() -> ValueKind;
}

impl SettingValue for String {
    fn kind() -> ValueKind {
        ValueKind::Text
    }
}

impl SettingValue for PathBuf {
    fn kind() -> ValueKind {
        ValueKind::Path
    }
}

impl SettingValue for bool {
    fn kind() -> ValueKind {
        ValueKind::Flag
    }
}

impl SettingValue for f64 {
    fn kind() -> ValueKind {
        ValueKind::Number
    }
}

impl SettingValue for Vec<Credential> {
    fn kind() -> ValueKind {
        ValueKind::Tables
    }
}

impl<T: SettingValue> SettingValue for Option<T> {
    fn kind() -> ValueKind {
        T::kind()
    }
}

macro_rules! whole {
    ($($ty:ty),*) => {
        $(impl SettingValue for $ty {
            fn kind() -> ValueKind {
                ValueKind::Whole
            }
        })*
    };
}

whole!(u32, u64, usize);

macro_rules! words {
    ($($ty:ty),*) => {
        $(impl SettingValue for $ty {
            fn kind() -> ValueKind {
                ValueKind::Word(<$ty as Choice>::ALL.iter().map(|c| c.name()).collect())
            }
        })*
    };
}

words!(
    ArnCase,
    AuthMode,
    ClockMode,
    DefaultSortOrder,
    NameMatch,
    NotFound,
    Paging,
    TimeBounds,
    LifecyclePreset
);

/// One setting, as the flag parser, the file reader and the reference see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingInfo {
    /// The key in the settings file (snake_case); the flag is its kebab-case.
    pub key: &'static str,
    /// Its concern.
    pub group: SettingGroup,
    /// The shape of its value.
    pub kind: ValueKind,
    /// Its default, as the reference shows it.
    pub shown_default: &'static str,
    /// What its default rests on (OBS, DOC, INF, UNK, or `—`).
    pub evidence: &'static str,
    /// The environment variable that may give it, for secrets kept off command lines.
    pub env: Option<&'static str>,
    /// One sentence for `--help`.
    pub help: &'static str,
    /// What it does, for the reference.
    pub meaning: &'static str,
}

impl SettingInfo {
    /// The flag that sets it (`--fail-unless-tar-gz`).
    pub fn flag(&self) -> String {
        format!("--{}", self.key.replace('_', "-"))
    }
}

/// The `lifecycle` key: not a field of its own, it names the three durations at once.
fn lifecycle_preset() -> SettingInfo {
    SettingInfo {
        key: "lifecycle",
        group: SettingGroup::Lifecycle,
        kind: LifecyclePreset::kind(),
        shown_default: "`fast`",
        evidence: "OBS (realistic STARTING)",
        env: None,
        help: "Lifecycle durations by name: fast (1 s, 3 s, 1 s), instant (a job is finished by the next request, as moto's are) or realistic (120 s, 180 s, 30 s); a duration named on its own still wins.",
        meaning: "the three durations below by name: `fast` (1 s, 3 s, 1 s), `instant` (0, 0, 0: the next request sees the job finished, as moto's jobs are), `realistic` (120 s, 180 s, 30 s); a duration named on its own still wins ([presets](#lifecycle-presets)); builder: `lifecycle`",
    }
}

macro_rules! catalog_of {
    ($($group:ident {
        $($key:ident: $ty:ty = $default:expr,
            shown $shown:literal, evidence $evidence:literal,
            $(env $env:literal,)? $(rename $rename:literal,)?
            help $help:literal, meaning $meaning:literal;)*
    })*) => {
        /// Every setting, grouped, in the reference's order.
        pub fn settings_catalog() -> Vec<SettingInfo> {
            let mut all = vec![lifecycle_preset()];
            $($(all.push(SettingInfo {
                key: catalog_of!(@key $key $($rename)?),
                group: SettingGroup::$group,
                kind: <$ty as SettingValue>::kind(),
                shown_default: $shown,
                evidence: $evidence,
                env: catalog_of!(@env $($env)?),
                help: $help,
                meaning: $meaning,
            });)*)*
            all
        }
    };
    (@key $key:ident $rename:literal) => { $rename };
    (@key $key:ident) => { stringify!($key) };
    (@env $env:literal) => { Some($env) };
    (@env) => { None };
}

for_each_setting!(catalog_of);

/// The reference table of `docs/settings.md`: one section per group, one row per setting.
pub fn settings_reference() -> String {
    let all = settings_catalog();
    let mut groups: Vec<SettingGroup> = Vec::new();
    for info in &all {
        if !groups.contains(&info.group) {
            groups.push(info.group);
        }
    }
    let mut out = String::new();
    for group in groups {
        out.push_str(&format!(
            "### {}\n\n| key / flag | default | evidence | meaning |\n|---|---|---|---|\n",
            group.title()
        ));
        for info in all.iter().filter(|info| info.group == group) {
            let flag = match (&info.kind, info.env) {
                (ValueKind::Tables, _) => "`--credentials FILE`".to_owned(),
                (_, Some(env)) => format!("`{}` (or `{env}`)", info.flag()),
                (_, None) => format!("`{}`", info.flag()),
            };
            let key = match info.kind {
                ValueKind::Tables => format!("`[[{}]]`", info.key),
                _ => format!("`{}`", info.key),
            };
            out.push_str(&format!(
                "| {key} / {flag} | {} | {} | {} |\n",
                info.shown_default, info.evidence, info.meaning
            ));
        }
        out.push('\n');
    }
    out
}
