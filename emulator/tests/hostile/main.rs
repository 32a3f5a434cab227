//! Hostile input against the real HTTP server over loopback: one test per case, named
//! `FAMILY::CASE`, for every case of every corpus file under `corpus/` (one family each)
//! and of the wrong-type matrix generated from the model. Every case must get the answer
//! its file states (a well-formed AWS error, a 4xx from the HTTP layer, a close, or for
//! odd but valid reads a 200), never a 5xx, and never hang; after every case the server
//! must still answer a health check and hold exactly the jobs seeded before.
//! `docs/reliability.md` describes the corpus.
//!
//! The cases of a family share one server, started when the family's first case runs.
//! A family runs its cases one at a time, so a case that harms the server is the one
//! that fails, unless its file says `parallel = true` (each of its cases waits on the
//! server's read timeout, so they are sent at once). Families run side by side: the test
//! runner gets [`TRIALS_AT_ONCE`] threads unless `--test-threads` says otherwise.
//!
//! Run it with `cargo test -p cjh-emulator --test hostile`; one family with
//! `-- slow_bodies::`, one case with `-- --exact 'FAMILY::CASE'`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod case;
mod client;
#[path = "../common/mod.rs"]
mod common;
mod corpus;
mod run;
mod seeds;
mod server;
mod types;
mod verdict;

use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Trial};

use case::Case;
use run::Family;

/// Test threads by default: enough for the cases of the parallel families to wait on
/// the read timeout together, while the other families go on.
const TRIALS_AT_ONCE: usize = 48;

fn main() -> ExitCode {
    let mut arguments = Arguments::from_args();
    arguments.test_threads.get_or_insert(TRIALS_AT_ONCE);
    let runtime = Arc::new(tokio::runtime::Runtime::new().expect("a Tokio runtime"));
    let mut families: Vec<(Arc<Family>, Vec<Case>)> = corpus::stems()
        .into_iter()
        .filter(|stem| stem != "wrong_types")
        .map(|stem| {
            let file = corpus::load(&stem);
            let cases = file
                .cases
                .iter()
                .map(|spec| Case::from_spec(&stem, spec))
                .collect();
            (Family::new(stem, file.parallel, &runtime), cases)
        })
        .collect();
    families.push((
        Family::new("wrong_types".into(), false, &runtime),
        types::cases(),
    ));
    // The families that wait on timeouts first, so their waits overlap the rest.
    families.sort_by_key(|(family, _)| !family.parallel);
    let mut trials = vec![
        Trial::test("corpus_markers_expand_to_repeats_and_raw_bytes", || {
            corpus::markers_expand_to_repeats_and_raw_bytes().map_err(Into::into)
        }),
        Trial::test("the_corpus_holds_at_least_200_hand_made_requests", {
            let counts: Vec<(String, usize)> = families
                .iter()
                .filter(|(family, _)| family.stem != "wrong_types")
                .map(|(family, cases)| (family.stem.clone(), cases.len()))
                .collect();
            move || {
                let total: usize = counts.iter().map(|(_, n)| n).sum();
                match total >= 200 {
                    true => Ok(()),
                    false => Err(format!("{total} hand-made cases: {counts:?}").into()),
                }
            }
        }),
        Trial::test(
            "the_wrong_type_matrix_covers_at_least_200_members_and_types",
            {
                let generated = families.last().map_or(0, |(_, cases)| cases.len());
                move || match generated >= 200 {
                    true => Ok(()),
                    false => Err(format!("only {generated} generated cases").into()),
                }
            },
        ),
    ];
    for (family, cases) in families {
        seeds::write_if_asked(&family.stem, &cases);
        for case in cases {
            let family = Arc::clone(&family);
            let name = format!("{}::{}", family.stem, case.name());
            trials.push(Trial::test(name, move || {
                family.run(&case).map_err(Into::into)
            }));
        }
    }
    libtest_mimic::run(&arguments, trials).exit_code()
}
