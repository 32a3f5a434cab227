//! Flag parsers for the emulator's word-valued settings, built from the one declaration
//! of each set ([`Choice::ALL`]), so `--help` lists the words and a wrong one is refused
//! with them, as clap does for its own enums.

use std::ffi::OsStr;
use std::marker::PhantomData;

use cjh_emulator::Choice;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;

/// The parser for a flag that takes one of `T`'s words.
pub(super) fn choice<T: Choice>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

/// See [`choice`].
#[derive(Debug)]
pub(super) struct ChoiceParser<T>(PhantomData<T>);

impl<T> Clone for ChoiceParser<T> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<T: Choice> ChoiceParser<T> {
    fn words() -> PossibleValuesParser {
        PossibleValuesParser::new(
            T::ALL
                .iter()
                .map(|choice| PossibleValue::new(choice.name())),
        )
    }
}

impl<T: Choice> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let word = PossibleValuesParser::new(Self::words()).parse_ref(cmd, arg, value)?;
        // The words parser accepts only T's own words, so this finds one.
        T::from_name(&word).ok_or_else(|| clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::ALL
                .iter()
                .map(|choice| PossibleValue::new(choice.name())),
        ))
    }
}
