//! The HTTP server around the emulator: the AWS endpoint, SigV4 verification, control
//! endpoints, graceful shutdown, and the in-process [`Emulator`] handle.

mod admission;
mod auth;
mod builder;
mod caller;
mod control;
mod dispatch;
mod emulator;
mod http;
mod limits;
mod linger;
mod overload;
mod run;

pub use builder::EmulatorBuilder;
pub use control::{ControlAccess, UnguardedControl};
pub use dispatch::{dispatch, dispatch_as};
pub use emulator::{Bound, Emulator, Reply, StartError};
pub use run::serve;
