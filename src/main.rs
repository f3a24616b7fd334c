//! The `ketacalc` binary: everything happens in `cli`, which the library does not see.
#![allow(clippy::print_stderr, clippy::print_stdout)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
