//! Snapshot files: insta's format, a YAML header between `---` lines, then the content.

use std::path::Path;

/// The content of a snapshot file, without insta's header; `None` if there is no file.
pub fn read_snapshot(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(strip_header(&text))
}

fn strip_header(text: &str) -> String {
    let mut lines = text.lines();
    if lines.next() != Some("---") {
        return text.to_owned();
    }
    for line in lines.by_ref() {
        if line == "---" {
            break;
        }
    }
    let mut content: String = lines.collect::<Vec<_>>().join("\n");
    content.push('\n');
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_insta_header_is_not_content() {
        let text = "---\nsource: x\nexpression: y\n---\n{\n  \"a\": 1\n}\n";
        assert_eq!(strip_header(text), "{\n  \"a\": 1\n}\n");
    }
}
