use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("entitle: internal error, please report it: {info}");
        std::process::exit(70);
    }));
    entitle::cli::main(entitle::cli::Cli::parse())
}
