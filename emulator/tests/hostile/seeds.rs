//! Writes the corpus as seeds for the `request` fuzz target when `CJH_FUZZ_SEEDS` names a
//! folder, in the target's input form: `METHOD PATH`, header lines, a blank line, then
//! the body, lines ending in `\n` (see `fuzz/fuzz_targets/request.rs`). Framing headers
//! are left out, since the target has no connection to frame; seeds over 64 KiB are
//! skipped, as they only slow the fuzzer down.

use std::path::PathBuf;

use super::case::Case;

/// The largest seed written.
const MAX_SEED_BYTES: usize = 64 * 1024;

/// Writes `cases` as seeds if asked to.
pub(crate) fn write_if_asked(family: &str, cases: &[Case]) {
    let Some(dir) = std::env::var_os("CJH_FUZZ_SEEDS").map(PathBuf::from) else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("create the seed folder");
    for (index, case) in cases.iter().enumerate() {
        let seed = seed(case);
        if seed.len() <= MAX_SEED_BYTES {
            let path = dir.join(format!("{family}-{index:03}"));
            std::fs::write(&path, seed).expect("write a seed");
        }
    }
}

fn seed(case: &Case) -> Vec<u8> {
    let mut words = case.request_line.split(' ');
    let method = words.next().unwrap_or("POST");
    let path = words.next().unwrap_or("/");
    let mut seed = format!("{method} {path}\n").into_bytes();
    for line in &case.headers {
        seed.extend_from_slice(line);
        seed.push(b'\n');
    }
    seed.push(b'\n');
    seed.extend_from_slice(&case.body);
    seed
}
