//! The closed sets of words some settings take (`--paging window`, `paging = "window"`).
//!
//! Each set is declared once, here, and read by the settings file (through serde), by the
//! command line (the harness's `cjh serve` builds its flag parsers from [`Choice::ALL`])
//! and by the docs, so the emulator needs no command-line crate to say what it accepts.

use serde::{Deserialize, Serialize};

use crate::api::SortOrder;

/// A setting whose value is one of a few words.
pub trait Choice: Copy + Sized + Send + Sync + 'static {
    /// Every value, in the order the docs list them.
    const ALL: &'static [Self];

    /// The word for this value, as flags and settings files spell it (kebab-case).
    fn name(self) -> &'static str;

    /// The value a word names, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|choice| choice.name() == name)
    }
}

/// F21: whether requests over HTTP must be SigV4-signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMode {
    /// Any or no signature is accepted; the region comes from the credential scope
    /// unchecked and every request uses `account_id`.
    None,
    /// The signature is checked against the credentials table; the access key selects
    /// the account.
    Sigv4,
}

/// F2: paging mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paging {
    /// Cut MaxResults jobs from the sorted list, then filter them (pages may be short or
    /// empty and still carry a token).
    Window,
    /// Filter first, then page (full pages).
    Filtered,
}

/// F3: NameContains matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameMatch {
    /// Case-insensitive substring.
    Insensitive,
    /// Case-sensitive substring.
    Sensitive,
}

/// F4: time filter bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeBounds {
    /// `*After` is `>=`, `*Before` is `<`.
    AfterInclusive,
    /// `*After` is `>`, `*Before` is `<`.
    Exclusive,
    /// `*After` is `>=`, `*Before` is `<=`.
    Inclusive,
}

/// F7: the order of a List that names no SortOrder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefaultSortOrder {
    /// Oldest (or smallest) first, as ListCompilationJobs' documentation says.
    Ascending,
    /// Newest first, as a real ListTrainingJobs answered without a SortOrder although
    /// its documentation says Ascending too.
    Descending,
}

impl DefaultSortOrder {
    /// The wire order this default stands for.
    pub fn sort_order(self) -> SortOrder {
        match self {
            DefaultSortOrder::Ascending => SortOrder::Ascending,
            DefaultSortOrder::Descending => SortOrder::Descending,
        }
    }
}

/// F8: the answer for an unknown job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotFound {
    /// `ValidationException`, as same-era SageMaker APIs answer.
    Validation,
    /// `ResourceNotFound`, as the model declares.
    ResourceNotFound,
}

/// F10: case of the name in the ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArnCase {
    /// Lower case, as other SageMaker resources.
    Lower,
    /// As created.
    Preserve,
}

/// Which clock drives time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockMode {
    /// The system's wall clock.
    System,
    /// Starts at the wall-clock time and moves only when advanced.
    Manual,
}

macro_rules! choices {
    ($($ty:ident { $($variant:ident => $name:literal),+ $(,)? })+) => {
        $(
            impl Choice for $ty {
                const ALL: &'static [Self] = &[$($ty::$variant),+];

                fn name(self) -> &'static str {
                    match self {
                        $($ty::$variant => $name),+
                    }
                }
            }
        )+
    };
}

choices! {
    AuthMode { None => "none", Sigv4 => "sigv4" }
    Paging { Window => "window", Filtered => "filtered" }
    NameMatch { Insensitive => "insensitive", Sensitive => "sensitive" }
    TimeBounds {
        AfterInclusive => "after-inclusive",
        Exclusive => "exclusive",
        Inclusive => "inclusive",
    }
    NotFound { Validation => "validation", ResourceNotFound => "resource-not-found" }
    ArnCase { Lower => "lower", Preserve => "preserve" }
    ClockMode { System => "system", Manual => "manual" }
    DefaultSortOrder { Ascending => "ascending", Descending => "descending" }
}

#[cfg(test)]
mod tests {
    use super::super::preset::LifecyclePreset;
    use super::*;

    /// The words of a choice must be the ones serde reads from a settings file.
    fn names_match_serde<T: Choice + serde::Serialize>() {
        for choice in T::ALL {
            let spelled = serde_json::to_value(choice).ok();
            assert_eq!(
                spelled.as_ref().and_then(|v| v.as_str()),
                Some(choice.name())
            );
            assert_eq!(
                T::from_name(choice.name()).map(Choice::name),
                Some(choice.name())
            );
        }
    }

    #[test]
    fn every_choice_is_spelled_as_the_settings_file_spells_it() {
        names_match_serde::<AuthMode>();
        names_match_serde::<Paging>();
        names_match_serde::<NameMatch>();
        names_match_serde::<TimeBounds>();
        names_match_serde::<DefaultSortOrder>();
        names_match_serde::<LifecyclePreset>();
        names_match_serde::<NotFound>();
        names_match_serde::<ArnCase>();
        names_match_serde::<ClockMode>();
    }

    #[test]
    fn an_unknown_word_names_no_choice() {
        assert!(Paging::from_name("Window").is_none());
        assert!(ClockMode::from_name("").is_none());
    }
}
