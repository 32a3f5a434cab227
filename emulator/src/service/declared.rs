//! Every setting, declared once: its key, type, default, group, evidence, flag help and
//! reference text. [`for_each_setting!`] hands the list to a macro that builds one thing
//! from it: the [`Settings`](super::Settings) struct and its defaults, the builder's
//! setters, and the catalog the `cjh serve` flags and `docs/settings.md` are made from.
//! A setting added here is therefore a key of the settings file, a flag, a builder
//! method and a documented row at once, and none of them can drift from the others.
//!
//! Evidence: **OBS** seen in real AWS responses, **DOC** AWS documentation or model,
//! **INF** inferred from sibling SageMaker APIs, **UNK** no evidence, a choice; `—` for a
//! setting that is not about AWS's behaviour.

/// Calls `$callback!` with every setting, grouped by concern, in the order the docs list
/// them. Each entry: `key: Type = default, shown "...", evidence "...", [env "VAR",]
/// [rename "key",] help "...", meaning "...";`.
macro_rules! for_each_setting {
    ($callback:ident) => {
        $callback! {
            Lifecycle {
                clock: ClockMode = ClockMode::System,
                    shown "`system`", evidence "—",
                    help "Clock driving the lifecycle: the wall clock, or a manual one that moves only when advanced.",
                    meaning "`system`, or `manual`: starts at the wall-clock time, moves only when advanced";
                starting_secs: f64 = 1.0,
                    shown "`1`", evidence "OBS order, durations chosen",
                    help "F11: seconds a job stays STARTING (fractions allowed).",
                    meaning "seconds in STARTING (real: 102 s, 113 s and 140 s in three jobs)";
                compiling_secs: f64 = 3.0,
                    shown "`3`", evidence "OBS order, durations chosen",
                    help "F11: seconds a job compiles (INPROGRESS) before its outcome.",
                    meaning "seconds in INPROGRESS before the outcome";
                stopping_secs: f64 = 1.0,
                    shown "`1`", evidence "DOC",
                    help "F11: seconds a job stays STOPPING.",
                    meaning "seconds in STOPPING";
                fail_unless_tar_gz: bool = true,
                    shown "`true`", evidence "OBS wording, INF rule",
                    help "F14: fail jobs whose InputConfig.S3Uri does not end in .tar.gz.",
                    meaning "FAILED with the real \"Unable to untar input model\" reason when `InputConfig.S3Uri` does not end in `.tar.gz`";
                enforce_max_runtime: bool = true,
                    shown "`true`", evidence "DOC",
                    help "F14: fail jobs whose compiling outlasts StoppingCondition.MaxRuntimeInSeconds.",
                    meaning "FAILED with a TimeOut reason when compiling outlasts `MaxRuntimeInSeconds` (default 86400)";
                max_concurrent_jobs: Option<u32> = None,
                    shown "unlimited", evidence "DOC code",
                    help "Jobs in STARTING, INPROGRESS or STOPPING allowed at once per account and region; over it, Create answers ResourceLimitExceeded.",
                    meaning "jobs in STARTING, INPROGRESS or STOPPING allowed at once; over it Create answers ResourceLimitExceeded";
            }
            Fidelity {
                default_max_results: u32 = 10,
                    shown "`10`", evidence "INF",
                    help "F1: page size when MaxResults is omitted.",
                    meaning "page size when MaxResults is omitted (F1)";
                paging: Paging = Paging::Window,
                    shown "`window`", evidence "DOC/OBS siblings, INF",
                    help "F2: whether filters apply to a window of the sorted list or before paging.",
                    meaning "`window`: cut MaxResults jobs from the sorted list, then filter, so pages may be short or empty and still carry a NextToken; `filtered`: filter, then page (F2)";
                name_contains: NameMatch = NameMatch::Insensitive,
                    shown "`insensitive`", evidence "UNK",
                    help "F3: NameContains case handling.",
                    meaning "NameContains substring match, `insensitive` or `sensitive` (F3)";
                time_bounds: TimeBounds = TimeBounds::AfterInclusive,
                    shown "`after-inclusive`", evidence "INF",
                    help "F4: inclusivity of the time filters.",
                    meaning "`after-inclusive` (`*After` >=, `*Before` <), `exclusive`, `inclusive`; compared to the millisecond (F4)";
                default_sort_order: DefaultSortOrder = DefaultSortOrder::Ascending,
                    shown "`ascending`", evidence "DOC; OBS sibling against it",
                    help "F7: the order of a List that names no SortOrder.",
                    meaning "the order of a List that names no SortOrder: `ascending`, as ListCompilationJobs' documentation says, or `descending`, as a real ListTrainingJobs answered although its documentation says Ascending too (F7; [the evidence](#the-default-sort-order))";
                not_found: NotFound = NotFound::Validation,
                    shown "`validation`", evidence "INF",
                    help "F8: the error for an unknown job name.",
                    meaning "unknown job: `validation` (400 ValidationException) or `resource-not-found` (the modeled ResourceNotFound); message `Could not find compilation job '<name>'.` (F8); also the answer of AddTags, ListTags and DeleteTags for an ARN of no job ([tags.md](tags.md))";
                arn_case: ArnCase = ArnCase::Lower,
                    shown "`lower`", evidence "INF",
                    help "F10: case of the name inside the ARN.",
                    meaning "name in the ARN: `lower` or `preserve` (F10)";
                region: String = "us-east-1".to_owned(),
                    shown "`us-east-1`", evidence "—",
                    help "Region used when a request carries no SigV4 credential scope; with pin_region, the only region a signature may be scoped to.",
                    meaning "region for requests without a SigV4 credential scope; jobs are kept per region";
                account_id: String = "000000000000".to_owned(),
                    shown "`000000000000`", evidence "—",
                    help "Account id in ARNs.",
                    meaning "account id in ARNs (with `auth = sigv4`, the key's account instead)";
            }
            Auth {
                auth: AuthMode = AuthMode::None,
                    shown "`none`", evidence "INF",
                    help "F21: whether HTTP requests must carry a valid SigV4 signature from a key of the credentials table (403 otherwise).",
                    meaning "`none`: any or no signature; `sigv4`: HTTP requests must be signed by a key of the credentials table, else 403 (F21; see [Authentication](serving.md#authentication))";
                credentials: Vec<Credential> = Vec::new(),
                    shown "none", evidence "—", rename "credential",
                    help "F21, F22: the access keys accepted with auth = sigv4, each with its secret and account (credential tables in TOML).",
                    meaning "access keys for `auth = sigv4`: `access_key_id`, `secret_access_key`, `account_id` (12 digits; the key's jobs and ARNs are in it, F22); `cjh serve --credentials FILE` reads a file of `[[credential]]` tables, which may also sit in the settings file; builder: `credentials`, `credential`";
                pin_region: bool = false,
                    shown "`false`", evidence "INF",
                    help "F22: with auth = sigv4, refuse a credential scope for any region but region (403 InvalidSignatureException), as a regional endpoint does.",
                    meaning "with `auth = sigv4`, a scope for any region but `region` gets 403 `InvalidSignatureException` `Credential should be scoped to a valid region. `";
                control_token: Option<String> = None,
                    shown "none", evidence "—", env "CJH_CONTROL_TOKEN",
                    help "Bearer token the control endpoints that read or change state require (Authorization: Bearer TOKEN); needed off loopback and with auth = sigv4.",
                    meaning "bearer token the control endpoints that read or change state require; needed off loopback and with `--auth sigv4` ([who may call them](control-endpoints.md#who-may-call-them))";
                open_control_endpoints: bool = false,
                    shown "`false`", evidence "—",
                    help "Leave the control endpoints open off loopback without a token: anyone who reaches the port can then reset every job and read every request.",
                    meaning "leave the control endpoints open off loopback without a token";
            }
            Storage {
                state_dir: Option<std::path::PathBuf> = None,
                    shown "none: memory only", evidence "—",
                    help "Directory keeping every acknowledged change in an SQLite database (committed before the answer) and restoring it at start, page-token key included; memory only when unset.",
                    meaning "directory keeping every acknowledged change (an SQLite database, committed before the answer) and restoring it at start, with a stored page-token key when `token_key` is unset; refuses to start on damage or changed lifecycle settings ([durable state](reliability.md#durable-state)); builder: `state_dir`, and `try_build` to get the error";
                token_key: Option<String> = None,
                    shown "random per process", evidence "—", env "CJH_TOKEN_KEY",
                    help "F17: secret that seals page tokens; tokens survive a restart given the same key.",
                    meaning "secret that seals page tokens; tokens survive a restart given the same key (F17)";
                journal_size: usize = DEFAULT_JOURNAL_SIZE,
                    shown "`10000`", evidence "—",
                    help "API requests the request journal (GET /_cjh/requests) keeps, the most recent; 0 keeps none.",
                    meaning "API requests the [request journal](control-endpoints.md#request-journal) keeps, the most recent; `0` keeps none";
                journal_bytes: usize = DEFAULT_JOURNAL_BYTES,
                    shown "`67108864` (64 MiB)", evidence "—",
                    help "Bytes of request and response bodies the journal keeps (at least 1024); the oldest requests go first.",
                    meaning "bytes of request and response bodies the journal keeps (at least 1024); the oldest requests go first";
            }
            Limits {
                max_body_bytes: usize = DEFAULT_MAX_BODY_BYTES,
                    shown "`1048576`", evidence "—",
                    help "Largest request body accepted, in bytes; larger gets 413.",
                    meaning "larger request bodies get 413 `RequestEntityTooLarge`";
                read_timeout_secs: f64 = DEFAULT_READ_TIMEOUT_SECS,
                    shown "`30`", evidence "—",
                    help "Seconds a client may take to send a request's headers, and then its body; a stalled body gets 408, stalled headers a closed connection.",
                    meaning "seconds a client may take to send a request's head, then its body: a stalled head gets a closed connection, a stalled body 408 `RequestTimeoutException` ([hostile input](reliability.md#hostile-input))";
                max_connections: usize = DEFAULT_MAX_CONNECTIONS,
                    shown "`1000`", evidence "—",
                    help "Connections served at once; one more is answered 503 ServiceUnavailable and closed.",
                    meaning "connections served at once; one more is answered 503 `ServiceUnavailable` with `Connection: close`, then closed ([limits](reliability.md#limits))";
                max_header_bytes: usize = DEFAULT_MAX_HEADER_BYTES,
                    shown "`16384`", evidence "—",
                    help "Largest request line plus headers, in bytes (1024-65536); over it, 431.",
                    meaning "request line plus headers (1024-65536); larger gets 431 `RequestHeaderFieldsTooLarge` (past 4x, hyper's bare 431 and a closed connection)";
                max_headers: usize = DEFAULT_MAX_HEADERS,
                    shown "`100`", evidence "—",
                    help "Most header fields in one request (8-1000); over it, 431.",
                    meaning "header fields in a request (8-1000); more gets 431 `RequestHeaderFieldsTooLarge` (past 4x, hyper's bare 431)";
            }
            Rate {
                request_rate: Option<f64> = None,
                    shown "unlimited", evidence "OBS code and message",
                    help "Requests per second per account and region (a token bucket); over it, 400 ThrottlingException \"Rate exceeded\". Unlimited when unset.",
                    meaning "requests per second per account and region (token bucket); over it 400 `ThrottlingException` `Rate exceeded`";
                request_burst: Option<u32> = None,
                    shown "the rate, rounded up", evidence "—",
                    help "Requests allowed at once after a quiet spell (the token bucket's size); the rate rounded up when unset.",
                    meaning "requests allowed at once after a quiet spell (the bucket's size); needs `request_rate`";
            }
            Faults {
                fault_throttling: f64 = 0.0,
                    shown "`0`", evidence "—",
                    help "Fault injection: fraction (0-1) of API requests answered 400 ThrottlingException.",
                    meaning "fraction of API requests answered 400 `ThrottlingException` `Rate exceeded` ([fault injection](reliability.md#fault-injection))";
                fault_internal_failure: f64 = 0.0,
                    shown "`0`", evidence "—",
                    help "Fault injection: fraction (0-1) of API requests answered 500 InternalFailure.",
                    meaning "fraction of API requests answered 500 `InternalFailure`, the one deliberate 500";
                fault_latency: f64 = 0.0,
                    shown "`0`", evidence "—",
                    help "Fault injection: fraction (0-1) of API requests delayed by fault_latency_ms.",
                    meaning "fraction of API requests answered `fault_latency_ms` late";
                fault_latency_ms: u64 = DEFAULT_FAULT_LATENCY_MS,
                    shown "`1000`", evidence "—",
                    help "Fault injection: the delay, in milliseconds (at most 600000).",
                    meaning "the injected delay, in milliseconds (at most 600000)";
                fault_seed: u64 = 0,
                    shown "`0`", evidence "—",
                    help "Fault injection: the seed; the same seed faults the same request numbers.",
                    meaning "seed of the fault decisions: the same seed faults the same request numbers";
            }
        }
    };
}

pub(crate) use for_each_setting;
