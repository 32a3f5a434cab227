//! Text from a target, as the page shows it.

use std::fmt::Write as _;

use maud::{Escaper, Render};

use super::super::printable::printable;

/// Text a target sent (bodies, messages, diffs, ids), spliced into the page: escaped by
/// maud, each control character HTML cannot carry shown as a visible stand-in (see
/// [`printable`]), and a carriage return kept as a character reference, since an HTML
/// parser would otherwise turn it into a line feed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Shown<'a>(pub(super) &'a str);

impl Render for Shown<'_> {
    fn render_to(&self, buffer: &mut String) {
        for (i, line) in printable(self.0).split('\r').enumerate() {
            if i > 0 {
                buffer.push_str("&#13;");
            }
            let _ = Escaper::new(buffer).write_str(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use maud::html;

    use super::*;

    #[test]
    fn markup_is_escaped_controls_shown_and_carriage_returns_kept() {
        let page = html! { p title=(Shown("a\"b")) { (Shown("<b>&\u{0}\u{1b}\r\n")) } };
        assert_eq!(
            page.into_string(),
            "<p title=\"a&quot;b\">&lt;b&gt;&amp;\u{2400}\u{241b}&#13;\n</p>"
        );
    }
}
