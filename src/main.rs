//! The `ketacalc` binary: everything happens in `cli`, which the library does not see.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
