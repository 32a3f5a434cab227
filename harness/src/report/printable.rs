//! Visible stand-ins for the control characters the markup reports cannot carry.
//!
//! Report text comes from targets under test: bodies, messages and diffs may hold
//! anything a server sent, including characters XML 1.0 and HTML cannot carry at all
//! (NUL and most C0 controls, even as `&#0;`), and escape sequences that would garble
//! a Markdown comment. Such characters are not dropped silently but shown as their
//! Unicode control pictures (U+2400 + code): the reader still sees that a NUL was there.
//! Escaping markup is each format's own: maud's for HTML, the Markdown module's own.

/// The visible stand-in for a character the reports cannot carry, or `None` if it is
/// allowed.
fn stand_in(c: char) -> Option<char> {
    match c {
        '\t' | '\n' | '\r' => None,
        // C0 controls map onto the Control Pictures block, in the same order.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)),
        '\u{fffe}' | '\u{ffff}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// `text` with every character the reports cannot carry replaced by a visible
/// stand-in.
pub(crate) fn printable(text: &str) -> String {
    text.chars().map(|c| stand_in(c).unwrap_or(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_controls_become_control_pictures() {
        assert_eq!(
            printable("a\u{0}b\u{1b}c\u{ffff}"),
            "a\u{2400}b\u{241b}c\u{fffd}"
        );
        assert_eq!(printable("\u{7}"), "\u{2407}");
    }

    #[test]
    fn line_breaks_tabs_and_non_ascii_pass_through() {
        assert_eq!(printable("a\nb\tc\rd"), "a\nb\tc\rd");
        assert_eq!(printable("Zürich ✓ 日本"), "Zürich ✓ 日本");
    }
}
