//! The `cjh` binary; everything lives in the library.

fn main() -> std::process::ExitCode {
    cjh::cli::main()
}
