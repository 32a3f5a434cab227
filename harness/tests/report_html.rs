//! The HTML report: one self-contained file (nothing fetched from anywhere), target text
//! escaped, and a page that really renders: headless Chromium takes a screenshot, and
//! the test decodes it and looks for the matrix's outcome colours.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod report_fixture;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cjh::report::html;
use report_fixture::report;

const CHROMIUM: &str = "/usr/bin/chromium";
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

/// Outcome colours from the style sheet, as the screenshot should show them.
const PASS: [u8; 3] = [0xc8, 0xe6, 0xc9];
const KNOWN: [u8; 3] = [0xff, 0xe9, 0xa8];
const FAIL: [u8; 3] = [0xf6, 0xc1, 0xc1];
const UNEXPECTED_PASS: [u8; 3] = [0xdc, 0xcc, 0xf5];
/// Added and removed diff lines.
const ADDED: [u8; 3] = [0xe6, 0xff, 0xec];
const REMOVED: [u8; 3] = [0xff, 0xeb, 0xe9];

#[test]
fn the_page_loads_nothing_from_outside() {
    let page = html(&report());
    let external =
        regex::Regex::new(r#"(?i)(src|href|action|poster|srcset)\s*=\s*["']?\s*(https?:)?//"#)
            .unwrap();
    assert!(
        !external.is_match(&page),
        "the page refers to an outside resource"
    );
    for forbidden in ["<link", "<script src", "<img", "<iframe", "@import", "url("] {
        assert!(!page.contains(forbidden), "the page contains {forbidden}");
    }
    assert!(page.contains("<style>") && page.contains("<script>"));
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none';"));
}

#[test]
fn target_text_is_escaped() {
    let page = html(&report());
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        page.contains("got &lt;img src=&quot;https://evil.example/x.png&quot;&gt; &amp; ]]&gt;")
    );
    // Outside attributes (which are always double-quoted) `'` is not markup, and maud
    // leaves it as it is.
    assert!(page.contains("<code>odd/&lt;b&gt;&amp;'&quot;</code>"));
    assert!(page.contains("Zürich ✓ 日本"));
    assert_eq!(
        page.matches("<script>").count(),
        1,
        "only the report's own script"
    );
    assert!(!page.chars().any(|c| c < ' ' && !matches!(c, '\n' | '\t')));
}

#[test]
fn every_cell_is_coloured_by_outcome_and_expands_to_its_divergences() {
    let page = html(&report());
    for class in [
        "pass",
        "known",
        "pending",
        "fail",
        "unexpected-pass",
        "missing",
    ] {
        assert!(
            page.contains(&format!("<td class=\"cell {class}\"")),
            "no {class} cell"
        );
    }
    assert_eq!(
        page.matches("<tr data-fails=").count(),
        6,
        "one row per scenario"
    );
    for evidence in ["recorded", "documented", "inferred"] {
        assert!(page.contains(&format!(
            "<span class=\"ev ev-{evidence}\">{evidence}</span>"
        )));
    }
    assert!(page.contains("<details><summary>failed · 2 places</summary>"));
    assert!(page.contains("<span class=\"del\">-  &quot;status&quot;: 200,</span>"));
    assert!(page.contains("<span class=\"add\">+  &quot;status&quot;: 400,</span>"));
    assert!(page.contains("<span class=\"hunk\">@@ -1,4 +1,4 @@</span>"));
    assert!(page.contains("<li>NextToken on the last page</li>"));
    assert!(page.contains("⚠ moto is vacuous: every request answered 400"));
}

/// A fresh directory under the target dir for this test's files.
#[test]
fn divergences_are_grouped_by_cause_above_the_matrix() {
    let page = html(&report());
    let causes = page
        .find("<details class=\"causes\"><summary>Divergences by cause (")
        .unwrap();
    let matrix = page.find("<table class=\"matrix").unwrap_or(page.len());
    assert!(causes < matrix, "the causes come before the matrix");
    assert!(
        page.contains("<tr><td>moto never leaves STARTING</td><td class=\"n\">1</td><td><code>lifecycle/stop</code> step 3 on moto</td></tr>"),
        "{page}"
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report_html")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Screenshots `page` with headless Chromium; fails if Chromium is missing or hangs.
fn screenshot(page: &Path, png: &Path, dir: &Path) {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing; `.ci/run` installs it (Debian package chromium: \
         apt-get install -y chromium)"
    );
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        // A file, not a pipe: Chromium is chatty, and a full pipe would stall it.
        .stderr(std::fs::File::create(dir.join("chromium.log")).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took more than two minutes to take a screenshot");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = std::fs::read_to_string(dir.join("chromium.log")).unwrap_or_default();
    assert!(
        status.success() && png.exists(),
        "chromium failed ({status}):\n{log}"
    );
}

/// The screenshot's pixels as RGB triples, with its size.
fn pixels(png: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let bytes = std::fs::read(png).unwrap();
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let samples = info.color_type.samples();
    assert!(
        samples >= 3,
        "a colour screenshot, not {:?}",
        info.color_type
    );
    let rgb = buffer[..info.buffer_size()]
        .chunks_exact(samples)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// Pixels within a small distance of `colour` (allowing for colour management).
fn near(pixels: &[[u8; 3]], colour: [u8; 3]) -> usize {
    pixels
        .iter()
        .filter(|p| (0..3).all(|i| p[i].abs_diff(colour[i]) <= 3))
        .count()
}

#[test]
fn headless_chromium_renders_the_matrix_in_its_outcome_colours() {
    let dir = scratch("screenshot");
    let page = dir.join("report.html");
    std::fs::write(&page, html(&report())).unwrap();
    let png = dir.join("matrix.png");
    screenshot(&page, &png, &dir);
    println!("screenshot: {}", png.display());

    let (width, height, rgb) = pixels(&png);
    assert_eq!((width, height), (WIDTH, HEIGHT));
    let distinct: HashSet<[u8; 3]> = rgb.iter().copied().collect();
    assert!(
        distinct.len() > 50,
        "only {} colours: a blank page?",
        distinct.len()
    );
    let background = near(&rgb, [0xff, 0xff, 0xff]);
    let drawn = rgb.len() - background;
    assert!(
        drawn > rgb.len() / 20,
        "only {drawn} of {} pixels are not background",
        rgb.len()
    );
    for (name, colour) in [
        ("pass", PASS),
        ("known", KNOWN),
        ("fail", FAIL),
        ("unexpected pass", UNEXPECTED_PASS),
    ] {
        let count = near(&rgb, colour);
        assert!(count > 500, "only {count} {name}-coloured pixels");
    }
}

#[test]
fn opened_cells_show_diffs_with_added_lines_green_and_removed_lines_red() {
    let dir = scratch("opened");
    let page = dir.join("report.html");
    let opened = html(&report()).replace("<details>", "<details open>");
    std::fs::write(&page, opened).unwrap();
    let png = dir.join("opened.png");
    screenshot(&page, &png, &dir);
    println!("screenshot: {}", png.display());

    let (_, _, rgb) = pixels(&png);
    for (name, colour) in [("added", ADDED), ("removed", REMOVED)] {
        let count = near(&rgb, colour);
        assert!(count > 500, "only {count} pixels of {name} diff lines");
    }
}
