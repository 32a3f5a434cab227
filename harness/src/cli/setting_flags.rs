//! `cjh serve`'s setting flags, made from the emulator's catalog of settings rather than
//! written out one by one: each setting is a flag (`--paging`, `--fault-seed`), grouped in
//! `--help` by concern, and what the flags give becomes a table of settings-file keys, so
//! a flag and a key are read by the same deserializer and cannot disagree.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

use cjh_emulator::{SettingInfo, ValueKind, settings_catalog};

/// The settings the command line gave, as settings-file keys and values.
#[derive(Debug, Clone, Default)]
pub struct SettingFlags {
    /// Only the settings given, by flag or environment variable.
    pub given: toml::Table,
}

/// The settings that are flags: all but the tables (`[[credential]]`), which come from a
/// file (`--credentials FILE`).
fn flag_settings() -> impl Iterator<Item = SettingInfo> {
    settings_catalog()
        .into_iter()
        .filter(|info| info.kind != ValueKind::Tables)
}

/// The clap argument of one setting.
fn arg(info: &SettingInfo) -> Arg {
    let long = info.key.replace('_', "-");
    let mut arg = Arg::new(info.key)
        .long(long)
        .help(info.help)
        .help_heading(info.group.title())
        .action(ArgAction::Set);
    arg = match &info.kind {
        ValueKind::Text | ValueKind::Tables => arg.value_name("TEXT"),
        ValueKind::Path => arg
            .value_name("PATH")
            .value_parser(clap::value_parser!(std::path::PathBuf)),
        ValueKind::Whole => arg
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(..=i64::MAX as u64)),
        ValueKind::Number => arg
            .value_name("NUMBER")
            .value_parser(clap::value_parser!(f64)),
        // `--pin-region` alone means true; `--fail-unless-tar-gz false` turns one off.
        ValueKind::Flag => arg
            .value_name("BOOL")
            .num_args(0..=1)
            .default_missing_value("true")
            .value_parser(clap::value_parser!(bool)),
        ValueKind::Word(words) => arg
            .value_name("WORD")
            .value_parser(PossibleValuesParser::new(words.clone())),
    };
    if let Some(env) = info.env {
        arg = arg.env(env).hide_env_values(true);
    }
    arg
}

/// The TOML value of a given flag.
fn value(info: &SettingInfo, matches: &ArgMatches) -> Option<toml::Value> {
    let key = info.key;
    Some(match info.kind {
        ValueKind::Text | ValueKind::Word(_) | ValueKind::Tables => {
            toml::Value::String(matches.get_one::<String>(key)?.clone())
        }
        ValueKind::Path => toml::Value::String(
            matches
                .get_one::<std::path::PathBuf>(key)?
                .to_string_lossy()
                .into_owned(),
        ),
        // The parser caps the value at i64::MAX, so it converts.
        ValueKind::Whole => {
            toml::Value::Integer(i64::try_from(*matches.get_one::<u64>(key)?).ok()?)
        }
        ValueKind::Number => toml::Value::Float(*matches.get_one::<f64>(key)?),
        ValueKind::Flag => toml::Value::Boolean(*matches.get_one::<bool>(key)?),
    })
}

impl FromArgMatches for SettingFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = SettingFlags::default();
        flags.update_from_arg_matches(matches)?;
        Ok(flags)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for info in flag_settings() {
            if let Some(value) = value(&info, matches) {
                self.given.insert(info.key.to_owned(), value);
            }
        }
        Ok(())
    }
}

impl Args for SettingFlags {
    fn augment_args(cmd: Command) -> Command {
        cmd.args(flag_settings().map(|info| arg(&info)))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[derive(Debug, clap::Parser)]
    struct Probe {
        #[command(flatten)]
        flags: SettingFlags,
    }

    fn given(args: &[&str]) -> toml::Table {
        use clap::Parser;
        let mut all = vec!["probe"];
        all.extend_from_slice(args);
        Probe::try_parse_from(all).unwrap().flags.given
    }

    #[test]
    fn only_the_flags_given_become_keys() {
        let table = given(&["--paging", "filtered", "--fault-seed", "7"]);
        assert_eq!(table.len(), 2, "{table:?}");
        assert_eq!(table["paging"].as_str(), Some("filtered"));
        assert_eq!(table["fault_seed"].as_integer(), Some(7));
    }

    #[test]
    fn a_flag_alone_is_true_and_a_value_turns_one_off() {
        let table = given(&["--pin-region", "--fail-unless-tar-gz", "false"]);
        assert_eq!(table["pin_region"].as_bool(), Some(true));
        assert_eq!(table["fail_unless_tar_gz"].as_bool(), Some(false));
    }

    #[test]
    fn a_word_outside_the_set_is_refused_with_the_words() {
        use clap::Parser;
        let error = Probe::try_parse_from(["probe", "--paging", "sideways"]).unwrap_err();
        let shown = error.to_string();
        assert!(
            shown.contains("window") && shown.contains("filtered"),
            "{shown}"
        );
    }

    #[test]
    fn every_setting_but_the_credential_tables_is_a_flag() {
        use clap::CommandFactory;
        let command = Probe::command();
        let flags: Vec<String> = command
            .get_arguments()
            .filter_map(|arg| arg.get_long().map(str::to_owned))
            .collect();
        for info in settings_catalog() {
            let expected = info.key.replace('_', "-");
            assert_eq!(
                flags.contains(&expected),
                info.kind != ValueKind::Tables,
                "{expected}"
            );
        }
    }
}
