//! `cjh import --from placebo|vcr|har|dvr INPUT --out FILE.jsonl`: another tool's
//! recording as a cjh recording (version 2, scrubbed), so a mock server or an export
//! can answer from traffic cjh did not record itself. The work is `crate::import`;
//! this maps flags onto it and says what was made.
//!
//! Exit codes: 0 written; 1 the input is bad or the output not written (nothing is
//! written then); 2 a usage error.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::exit::{Exit, unusable};
use crate::import::{Format, ImportOptions, import_to_file};
use crate::recording::Source;

/// Flags of `cjh import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The input's format: a placebo folder, a VCR.py cassette, a HAR file, or smithy-rs
    /// dvr traffic.
    #[arg(long = "from", value_enum)]
    from: InputFormat,
    /// The input file (the folder, for placebo).
    input: PathBuf,
    /// The recording to write (version 2, `.jsonl`); replaced only by a whole one.
    #[arg(long)]
    out: PathBuf,
    /// The scenario the recording is of, `<area>/<name>` (default
    /// `imported/<input name>`).
    #[arg(long)]
    scenario: Option<String>,
    /// What answered, when the input cannot say (placebo never can): by default `aws`
    /// only when every request went to an *.amazonaws.com host, else `url`.
    #[arg(long, value_enum)]
    provenance: Option<Answered>,
    /// The region the calls went to, when the input does not say.
    #[arg(long)]
    region: Option<String>,
    /// Placebo only: the files in the order the test made the calls, comma-separated
    /// (`ListCompilationJobs_1,DescribeCompilationJob_1,...`), instead of the default
    /// round-by-round order.
    #[arg(long, value_delimiter = ',')]
    order: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InputFormat {
    Placebo,
    Vcr,
    Har,
    Dvr,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Answered {
    Aws,
    Url,
    Emulator,
}

/// Imports and writes; returns how it ended.
pub(super) fn run(args: &ImportArgs) -> anyhow::Result<Exit> {
    let format = match args.from {
        InputFormat::Placebo => Format::Placebo,
        InputFormat::Vcr => Format::Vcr,
        InputFormat::Har => Format::Har,
        InputFormat::Dvr => Format::Dvr,
    };
    if args.order.is_some() && format != Format::Placebo {
        return Err(unusable(
            "import: --order is for placebo folders only; other formats keep their own order",
        ));
    }
    let options = ImportOptions {
        scenario: args.scenario.clone(),
        source: args.provenance.map(|answered| match answered {
            Answered::Aws => Source::Aws,
            Answered::Url => Source::Url,
            Answered::Emulator => Source::Emulator,
        }),
        region: args.region.clone(),
        order: args.order.clone(),
        ..ImportOptions::new(format, &args.input)
    };
    let recording = import_to_file(&options, &args.out)?;
    let rebuilt = recording
        .exchanges
        .iter()
        .filter(|e| e.reconstructed)
        .count();
    let mut out = std::io::stdout();
    writeln!(
        out,
        "wrote {} ({} exchanges, {rebuilt} reconstructed; source {}, region {})",
        args.out.display(),
        recording.exchanges.len(),
        recording.provenance.source.as_str(),
        recording.provenance.region,
    )?;
    if let Some(note) = &recording.provenance.imported_from {
        writeln!(out, "imported from: {note}")?;
    }
    Ok(Exit::Passed)
}
