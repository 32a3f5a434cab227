//! A corpus run in four shards (`cjh run --partition K/4 --results FILE`) and merged
//! (`cjh report merge`) gives exactly the verdict of one whole run, failures included;
//! a merge refuses a missing shard, a shard given twice and a shard of another corpus.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cjh::baseline::ResultsFile;
use serde_json::Value;

/// A temporary folder, removed afterwards.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let path = std::env::temp_dir().join(format!("cjh-merge-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The committed corpus copied, with one snapshot broken so one scenario fails.
fn corpus_with_one_failure(dir: &Dir) -> (PathBuf, String) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let copy = dir.path("scenarios");
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.unwrap();
        let target = copy.join(entry.path().strip_prefix(&source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let broken = "list-paging/max-results-one-returns-one-job-per-page";
    let snap = copy.join(format!("{broken}.snap"));
    let text = std::fs::read_to_string(&snap)
        .unwrap_or_else(|_| panic!("{} exists in the corpus", snap.display()));
    std::fs::write(&snap, format!("{text}\nthis line is in no answer\n")).unwrap();
    (copy, broken.to_owned())
}

fn cjh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjh"))
        .args(args)
        .output()
        .unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The verdict of each result, without its timing.
fn verdicts(path: &Path) -> Vec<Value> {
    let file = ResultsFile::read(path).unwrap();
    file.results
        .iter()
        .map(|r| {
            let mut value = serde_json::to_value(r).unwrap();
            value.as_object_mut().unwrap().remove("millis");
            value
        })
        .collect()
}

#[test]
fn four_shards_merged_give_the_verdict_of_one_whole_run() {
    let dir = Dir::new();
    let (corpus, broken) = corpus_with_one_failure(&dir);
    let corpus = path_str(&corpus).to_owned();
    let whole = dir.path("whole.json");
    let run = cjh(&["run", "--scenarios", &corpus, "--results", path_str(&whole)]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let mut shards = Vec::new();
    let mut failing_shards = 0;
    for k in 1..=4 {
        let shard = dir.path(&format!("shard-{k}.json"));
        let partition = format!("{k}/4");
        let run = cjh(&[
            "run",
            "--scenarios",
            &corpus,
            "--partition",
            &partition,
            "--results",
            path_str(&shard),
        ]);
        let code = run.status.code();
        assert!(code == Some(0) || code == Some(1), "shard {k}: {code:?}");
        failing_shards += usize::from(code == Some(1));
        shards.push(shard);
    }
    assert_eq!(failing_shards, 1, "the one failure is in one shard");

    let merged = dir.path("merged.json");
    let junit = dir.path("merged.xml");
    let mut args = vec!["report", "merge", "--results", path_str(&merged)];
    args.extend(["--junit", path_str(&junit)]);
    // In another order than they ran: the merge puts results in corpus order.
    args.extend(shards.iter().rev().map(|p| path_str(p)));
    let merge = cjh(&args);
    assert_eq!(
        merge.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    assert_eq!(verdicts(&merged), verdicts(&whole));
    let failing: Vec<String> = ResultsFile::read(&merged)
        .unwrap()
        .results
        .iter()
        .filter(|r| r.outcome.fails())
        .map(|r| r.scenario.clone())
        .collect();
    assert_eq!(failing, vec![broken]);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<failure"), "{xml}");
}

#[test]
fn a_merge_refuses_a_missing_shard_a_shard_twice_and_another_corpus() {
    let dir = Dir::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let corpus = path_str(&corpus);
    let shard = |k: usize, filter: &str| {
        let path = dir.path(&format!("shard-{k}-{}.json", filter.replace('/', "_")));
        let partition = format!("{k}/2");
        let run = cjh(&[
            "run",
            "--scenarios",
            corpus,
            "--filter",
            filter,
            "--partition",
            &partition,
            "--results",
            path_str(&path),
        ]);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        path
    };
    let one = shard(1, "list-paging/");
    let two = shard(2, "list-paging/");
    let other = shard(2, "list-sort/");

    let refused = |files: &[&PathBuf], says: &str| {
        let mut args = vec!["report", "merge"];
        args.extend(files.iter().map(|p| path_str(p)));
        let merge = cjh(&args);
        let stderr = String::from_utf8_lossy(&merge.stderr);
        assert_eq!(merge.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    };
    refused(&[&one], "shards 2 of 2 are missing");
    refused(&[&one, &one], "shard 1/2 is given twice");
    refused(&[&one, &other], "their corpora differ");

    let whole = cjh(&["report", "merge", path_str(&one), path_str(&two)]);
    assert_eq!(
        whole.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
}
