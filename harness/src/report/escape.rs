//! Escaping for the markup reports (JUnit XML, HTML, Markdown).
//!
//! Report text comes from targets under test: bodies, messages and diffs may hold
//! anything a server sent, including characters XML 1.0 cannot carry at all (NUL and most
//! C0 controls, even as `&#0;`). A CI server that rejects the JUnit file hides every
//! result in it, so such characters are not dropped silently but shown as their Unicode
//! control pictures (U+2400 + code): the reader still sees that a NUL was there.

/// The visible stand-in for a character XML 1.0 forbids, or `None` if it is allowed.
fn stand_in(c: char) -> Option<char> {
    match c {
        '\t' | '\n' | '\r' => None,
        // C0 controls map onto the Control Pictures block, in the same order.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)),
        '\u{fffe}' | '\u{ffff}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// `text` with every character XML 1.0 forbids replaced by a visible stand-in; also
/// used for Markdown, where a raw NUL or escape sequence would garble the comment.
pub(crate) fn printable(text: &str) -> String {
    text.chars().map(|c| stand_in(c).unwrap_or(c)).collect()
}

/// Escapes `text` for XML or HTML element content.
///
/// `>` is escaped too, so a `]]>` in the text can never end anything, and `\r` is written
/// as a character reference because XML parsers would otherwise turn it into `\n`.
pub(crate) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        push_escaped(&mut out, c, false);
    }
    out
}

/// Escapes `text` for a double- or single-quoted XML or HTML attribute value.
///
/// Tabs and line breaks become character references, since attribute-value
/// normalization would otherwise turn them into spaces.
pub(crate) fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        push_escaped(&mut out, c, true);
    }
    out
}

fn push_escaped(out: &mut String, c: char, in_attribute: bool) {
    if let Some(shown) = stand_in(c) {
        out.push(shown);
        return;
    }
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        // `&apos;` is not an HTML 4 entity; the numeric form works in both languages.
        '\'' => out.push_str("&#39;"),
        '\r' => out.push_str("&#13;"),
        '\n' if in_attribute => out.push_str("&#10;"),
        '\t' if in_attribute => out.push_str("&#9;"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_references() {
        assert_eq!(text("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(text("]]>"), "]]&gt;");
    }

    #[test]
    fn forbidden_controls_become_control_pictures() {
        assert_eq!(
            text("a\u{0}b\u{1b}c\u{ffff}"),
            "a\u{2400}b\u{241b}c\u{fffd}"
        );
        assert_eq!(printable("\u{7}"), "\u{2407}");
    }

    #[test]
    fn line_breaks_survive_in_attributes_and_text() {
        assert_eq!(attr("a\nb\tc\rd"), "a&#10;b&#9;c&#13;d");
        assert_eq!(text("a\nb\tc\rd"), "a\nb\tc&#13;d");
    }

    #[test]
    fn non_ascii_passes_through() {
        assert_eq!(text("Zürich ✓ 日本"), "Zürich ✓ 日本");
    }
}
