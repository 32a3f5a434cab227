//! The settings reference in `docs/settings.md` is generated from the one declaration of
//! the settings, and the declaration and the `Settings` struct agree key for key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use cjh_emulator::{Settings, ValueKind, settings_catalog, settings_reference};

const START: &str = "<!-- The tables below are generated";
const END: &str = "<!-- end of the generated tables -->";

fn page() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/settings.md")
}

/// The page's generated part: from the line after the start marker to the end marker.
fn generated_span(text: &str) -> (usize, usize) {
    let start = text
        .find(START)
        .expect("docs/settings.md has its start marker");
    let start = start + text[start..].find('\n').expect("the marker ends its line") + 1;
    let end = text.find(END).expect("docs/settings.md has its end marker");
    (start, end)
}

#[test]
fn the_settings_page_shows_the_declared_settings() {
    let text = std::fs::read_to_string(page()).unwrap();
    let (start, end) = generated_span(&text);
    let expected = settings_reference();
    if std::env::var_os("CJH_UPDATE_DOCS").is_some() {
        let rewritten = format!("{}{expected}{}", &text[..start], &text[end..]);
        std::fs::write(page(), rewritten).unwrap();
        return;
    }
    assert!(
        text[start..end] == expected,
        "docs/settings.md is stale: regenerate it with \
         `CJH_UPDATE_DOCS=1 cargo test -p cjh-emulator --test settings_reference`"
    );
}

#[test]
fn every_field_of_the_settings_is_declared_and_every_declaration_is_a_key() {
    let defaults = toml::Table::try_from(Settings::default()).unwrap();
    let declared: Vec<&str> = settings_catalog()
        .iter()
        .map(|info| info.key)
        .filter(|key| *key != "lifecycle")
        .collect();
    for key in defaults.keys() {
        assert!(declared.contains(&key.as_str()), "{key} is not declared");
    }
    // Each declared key reads back from a settings file on its own: unknown keys are
    // refused, so each is a field.
    for info in settings_catalog() {
        let value = match &info.kind {
            ValueKind::Word(words) => format!("\"{}\"", words[0]),
            ValueKind::Flag => "true".into(),
            ValueKind::Whole => "10".into(),
            ValueKind::Number => "0.5".into(),
            ValueKind::Text => "\"x\"".into(),
            ValueKind::Path => "\"/tmp/cjh-not-opened\"".into(),
            ValueKind::Tables => continue,
        };
        let text = format!("{} = {value}\n", info.key);
        assert!(
            Settings::from_toml(&text).is_ok(),
            "{text} does not read: {:?}",
            Settings::from_toml(&text)
        );
    }
}

#[test]
fn every_setting_has_help_a_default_and_evidence() {
    for info in settings_catalog() {
        assert!(info.help.ends_with('.'), "{}: help is a sentence", info.key);
        assert!(!info.shown_default.is_empty(), "{}", info.key);
        assert!(!info.evidence.is_empty(), "{}", info.key);
        assert!(!info.meaning.is_empty(), "{}", info.key);
    }
}
