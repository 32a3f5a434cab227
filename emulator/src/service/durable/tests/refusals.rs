//! What a start refuses: damage in the database's table or index, a file that is not a
//! database or of another schema version, a row that cannot be rebuilt, other lifecycle
//! settings, and a directory another service holds.

use super::*;

/// Opens a directory that must be refused, and returns the error's text.
fn refusal(dir: &Path) -> String {
    let error = Service::open(settings(Some(dir)), Clock::manual_at(START)).unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(error, StateError::Damaged { .. } | StateError::Row { .. }),
        "{text}"
    );
    assert!(text.contains(DATABASE), "{text}");
    assert!(text.contains("refusing to start"), "{text}");
    text
}

/// A directory of 300 jobs, `j000` to `j299`, closed cleanly: enough for the jobs table
/// and its index to span many pages.
fn three_hundred_jobs() -> TempDir {
    let dir = TempDir::new();
    let service = open(&dir.0);
    for i in 0..300 {
        create(
            &service,
            &CallContext::default(),
            &format!("j{i:03}"),
            "s3://b/m.tar.gz",
        );
    }
    dir
}

#[test]
fn a_damaged_page_in_the_middle_of_the_jobs_table_refuses_to_open_naming_the_file() {
    let dir = three_hundred_jobs();
    // Closed cleanly, so every page is in the database file, none in a WAL.
    assert!(!dir.0.join("state.sqlite3-wal").exists());
    let path = dir.0.join(DATABASE);
    let mut bytes = std::fs::read(&path).unwrap();
    let pages = bytes.len() / 4096;
    assert!(pages > 20, "{pages} pages");
    let needle = br#"{"CompilationJobName":"j150""#;
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    let page = at / 4096;
    assert!(page > 2 && page + 2 < pages, "page {page} of {pages}");
    // Its b-tree page header, overwritten.
    bytes[page * 4096..page * 4096 + 12].fill(0xEE);
    std::fs::write(&path, bytes).unwrap();
    let text = refusal(&dir.0);
    assert!(text.contains("damaged"), "{text}");
}

#[test]
fn a_damaged_index_page_is_found_at_start_too() {
    let dir = three_hundred_jobs();
    let path = dir.0.join(DATABASE);
    let mut bytes = std::fs::read(&path).unwrap();
    // The unique index holds the lower-case names without the JSON around them: find a
    // page with one that holds no request.
    let page = (1..bytes.len() / 4096)
        .find(|&page| {
            let text = &bytes[page * 4096..(page + 1) * 4096];
            let has = |needle: &[u8]| text.windows(needle.len()).any(|w| w == needle);
            has(b"j150") && !has(b"CompilationJobName")
        })
        .unwrap();
    bytes[page * 4096..page * 4096 + 12].fill(0xEE);
    std::fs::write(&path, bytes).unwrap();
    refusal(&dir.0);
}

#[test]
fn a_file_that_is_not_a_database_or_of_another_schema_version_is_refused() {
    let dir = TempDir::new();
    std::fs::create_dir_all(&dir.0).unwrap();
    std::fs::write(dir.0.join(DATABASE), vec![0x42; 8192]).unwrap();
    refusal(&dir.0);

    let newer = TempDir::new();
    drop(open(&newer.0));
    rusqlite::Connection::open(newer.0.join(DATABASE))
        .unwrap()
        .pragma_update(None, "user_version", 3)
        .unwrap();
    let text = refusal(&newer.0);
    assert!(text.contains("schema version is 3"), "{text}");
}

#[test]
fn a_row_that_reads_but_cannot_be_rebuilt_is_refused_naming_its_row() {
    let dir = TempDir::new();
    {
        let service = open(&dir.0);
        for name in ["a", "b"] {
            create(&service, &CallContext::default(), name, "s3://b/m.tar.gz");
        }
    }
    rusqlite::Connection::open(dir.0.join(DATABASE))
        .unwrap()
        .execute(
            "UPDATE jobs SET request = '{\"RoleArn\": 7}' WHERE name = 'b'",
            [],
        )
        .unwrap();
    let text = refusal(&dir.0);
    assert!(text.contains("row 2"), "{text}");
}

#[test]
fn other_lifecycle_settings_are_refused_naming_the_setting() {
    let dir = TempDir::new();
    drop(open(&dir.0));
    let changed = Settings {
        compiling_secs: 5.0,
        ..settings(Some(&dir.0))
    };
    let error = Service::open(changed, Clock::manual_at(START)).unwrap_err();
    assert!(
        matches!(
            error,
            StateError::SettingChanged {
                name: "compiling_secs",
                ..
            }
        ),
        "{error}"
    );
    let system = Settings {
        clock: ClockMode::System,
        ..settings(Some(&dir.0))
    };
    let error = Service::open(system, Clock::new(ClockMode::System)).unwrap_err();
    assert!(error.to_string().contains("clock = \"manual\""), "{error}");
}

#[test]
fn a_directory_in_use_is_refused_and_a_service_that_cannot_open_it_answers_nothing() {
    let dir = TempDir::new();
    let _holder = open(&dir.0);
    let error = Service::open(settings(Some(&dir.0)), Clock::manual_at(START)).unwrap_err();
    assert!(matches!(error, StateError::Locked { .. }), "{error}");
    let (unavailable, notices) =
        Service::open_or_unavailable(settings(Some(&dir.0)), Clock::manual_at(START));
    assert!(
        matches!(notices.as_slice(), [problem] if problem.contains("in use by another cjh process")),
        "the problem is handed back: {notices:?}"
    );
    let refused = call(
        &unavailable,
        &CallContext::default(),
        Operation::ListCompilationJobs,
        json!({}),
    )
    .unwrap_err();
    assert_eq!(refused.code, crate::api::ErrorCode::InternalFailure);
    assert!(
        refused.message.contains("in use by another cjh process"),
        "{}",
        refused.message
    );
    assert!(unavailable.state_error().is_some());
}
