//! cjh: a faithful emulator of the Amazon SageMaker compilation-job API
//! (CreateCompilationJob, DescribeCompilationJob, ListCompilationJobs, StopCompilationJob,
//! DeleteCompilationJob) over AWS JSON 1.1.
//!
//! Layers, lowest first: [`api`] (the contract and its validation) <- [`wire`] (AWS JSON
//! 1.1) <- [`emulator`] (the stateful service, no I/O) <- [`server`] (HTTP, control
//! endpoints, the in-process [`Emulator`]) <- [`cli`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = cjh::Emulator::builder().clock(cjh::ClockMode::Manual).build();
//! let url = emulator.start().await?; // point an AWS client's endpoint at `url`
//! emulator.advance_clock(std::time::Duration::from_secs(5))?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod baseline;
pub mod cli;
pub mod compare;
pub mod emulator;
pub mod export;
pub mod mock;
pub mod recording;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod server;
pub mod target;
pub mod wire;

pub use emulator::{AuthMode, ClockMode, Credential, Settings};
pub use server::{Emulator, EmulatorBuilder, Reply, StartError};
