//! The closed sets of words some settings take (`--paging window`, `paging = "window"`).
//!
//! Each set is declared once, here, and read by the settings file (through serde), by the
//! command line (the harness's `cjh serve` builds its flag parsers from [`Choice::ALL`])
//! and by the docs, so the emulator needs no command-line crate to say what it accepts.

use super::preset::LifecyclePreset;
use super::settings::{
    ArnCase, AuthMode, ClockMode, DefaultSortOrder, NameMatch, NotFound, Paging, TimeBounds,
};

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
    LifecyclePreset { Fast => "fast", Instant => "instant", Realistic => "realistic" }
}

#[cfg(test)]
mod tests {
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
