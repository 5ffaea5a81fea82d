//! The command line. With `files`, the only module that does I/O.

mod error;
mod files;

pub use error::CliError;

use crate::coverage::Summary;
use crate::embedded;
use crate::error::Error;
use crate::number::Number;
use crate::pack::PackSources;
use crate::program::Program;
use crate::report::{self, Renderer, TestFailure};
use crate::run::{self, Run};
use crate::scenario::ScenarioFile;
use crate::trace::Tracer;
use crate::source::SourceFile;
use clap::{Parser, Subcommand, ValueEnum};
use miette::Diagnostic;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "entitle", version, about = "Checks benefit policy packs and evaluates scenarios against them")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and type-check the pack (TOML, rules, schema)
    Check {
        /// A pack folder; the shipped pack when absent
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
    },
    /// Evaluate every scenario in the files and folders given
    Eval {
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Scenario files, or folders searched for *.yaml and *.yml
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Evaluate scenarios and check each `expect` block
    Test {
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        /// Report, per rule, which guards, outputs and effects the scenarios exercised
        #[arg(long)]
        coverage: bool,
        /// Fail (exit 1) when rule coverage is below PERCENT; implies --coverage
        #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
        min_coverage: Option<Number>,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Explain each scenario's decision: every rule in evaluation order, the values
    /// that decided it, and what would lift each denial
    Explain {
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Only the scenario of this name
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List every rule of the pack: id, title, citation, parameters read, outputs
    /// written and, given scenarios, how many of them each rule applied in
    Rules {
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Human)]
        format: CatalogueFormat,
        /// Scenario files or folders to count rule applications in
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogueFormat {
    Human,
    Markdown,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Exit codes: 0 success, 1 a test failed, 2 errors in the pack, files or scenarios.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_ERRORS: u8 = 2;

struct Out {
    renderer: Renderer,
}

impl Out {
    fn new() -> Self {
        let color = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let width = if color { terminal_width() } else { 100 };
        Out { renderer: Renderer::new(color, width) }
    }

    fn diagnostic(&self, d: &dyn Diagnostic) -> io::Result<()> {
        let text = self.renderer.render(d);
        let mut err = io::stderr().lock();
        writeln!(err, "{}", text.trim_end())
    }

    fn stdout(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }
}

fn parse_percent(text: &str) -> Result<Number, String> {
    let n = Number::parse_decimal(text.trim_end_matches('%'))
        .ok_or_else(|| format!("`{text}` is not a percentage such as 100 or 95.5"))?;
    if n > Number::from_int(100) {
        return Err(format!("`{text}` is more than 100"));
    }
    Ok(n)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w: &usize| *w >= 40).unwrap_or(100)
}

pub fn main(cli: Cli) -> ExitCode {
    let out = Out::new();
    let code = match run(&out, cli.command) {
        Ok(code) => code,
        // A closed pipe (`entitle eval ... | head -1`) ends the run quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(_) => EXIT_ERRORS,
    };
    ExitCode::from(code)
}

fn run(out: &Out, command: Command) -> io::Result<u8> {
    match command {
        Command::Rules { policy, format, paths } => rules(out, policy.as_ref(), format, &paths),
        Command::Explain { policy, format, scenario, paths } => {
            explain(out, policy.as_ref(), format, scenario.as_deref(), &paths)
        }
        Command::Check { policy } => {
            let Some(program) = load_program(out, policy.as_ref())? else {
                return Ok(EXIT_ERRORS);
            };
            let rules = program.rules.len();
            let outputs = program.outputs.len();
            out.stdout(&format!(
                "pack `{}` {} is valid: {rules} rules, {outputs} outputs\n",
                program.manifest.name, program.manifest.version
            ))?;
            Ok(EXIT_OK)
        }
        Command::Eval { policy, format, paths } => {
            let Some(program) = load_program(out, policy.as_ref())? else {
                return Ok(EXIT_ERRORS);
            };
            let mut run = Run::default();
            evaluate(&program, &paths, &mut run);
            report_errors(out, &run)?;
            match format {
                Format::Json => {
                    let doc = report::json::run_to_json(&program, &run);
                    out.stdout(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()))?;
                }
                Format::Human => {
                    let m = &program.manifest;
                    let mut text = format!("decided by {} {}\n", m.name, m.version);
                    for r in &run.results {
                        if let Ok(ev) = &r.result {
                            text.push_str(&report::human::outcome(&program, &r.file.name, ev));
                        }
                    }
                    out.stdout(&text)?;
                }
            }
            Ok(if run.has_errors() { EXIT_ERRORS } else { EXIT_OK })
        }
        Command::Test { policy, coverage, min_coverage, paths } => {
            let Some(program) = load_program(out, policy.as_ref())? else {
                return Ok(EXIT_ERRORS);
            };
            let mut run =
                if coverage || min_coverage.is_some() { Run::with_coverage(&program) } else { Run::default() };
            evaluate(&program, &paths, &mut run);
            report_errors(out, &run)?;
            let mut text = String::new();
            for r in &run.results {
                let name = r.name.as_deref().unwrap_or("(unnamed)");
                match &r.result {
                    Ok(ev) => match &ev.mismatches {
                        Some(m) if m.is_empty() => text.push_str(&format!("PASS {}: {name}\n", r.file.name)),
                        Some(m) => {
                            text.push_str(&format!("FAIL {}: {name}\n", r.file.name));
                            out.diagnostic(&TestFailure::new(&program, &r.file, ev, m.clone()))?;
                        }
                        None => text.push_str(&format!("EVAL {}: {name} (no expect block)\n", r.file.name)),
                    },
                    Err(_) => text.push_str(&format!("ERROR {}: {name}\n", r.file.name)),
                }
            }
            text.push_str(&report::human::summary(&program, &run));
            text.push('\n');
            let mut below = None;
            if let Some(c) = &run.coverage {
                text.push_str(&report::coverage::human(&program, c));
                let summary = Summary::of(&c.points(&program));
                below = min_coverage.filter(|m| !summary.meets(*m)).map(|m| (summary, m));
            }
            out.stdout(&text)?;
            if let Some((summary, minimum)) = below {
                let message = format!(
                    "rule coverage {}% is below the minimum of {}%",
                    summary.percent_text(),
                    minimum.to_decimal_string(9)
                );
                writeln!(io::stderr().lock(), "{message}")?;
            }
            Ok(if run.has_errors() {
                EXIT_ERRORS
            } else if run.failed() > 0 || below.is_some() {
                EXIT_FAILED
            } else {
                EXIT_OK
            })
        }
    }
}

fn rules(out: &Out, policy: Option<&PathBuf>, format: CatalogueFormat, paths: &[PathBuf]) -> io::Result<u8> {
    let Some(program) = load_program(out, policy)? else {
        return Ok(EXIT_ERRORS);
    };
    // Scenario counts come from coverage, recorded only when scenarios are given.
    let mut run = Run::default();
    if !paths.is_empty() {
        run = Run::with_coverage(&program);
        evaluate(&program, paths, &mut run);
        report_errors(out, &run)?;
    }
    let coverage = run.coverage.as_ref();
    let text = match format {
        CatalogueFormat::Human => report::catalogue::human(&program, coverage),
        CatalogueFormat::Markdown => report::catalogue::markdown(&program, coverage),
        CatalogueFormat::Json => {
            let doc = report::catalogue::json(&program, coverage);
            format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
        }
    };
    out.stdout(&text)?;
    Ok(if run.has_errors() { EXIT_ERRORS } else { EXIT_OK })
}

fn load_program(out: &Out, policy: Option<&PathBuf>) -> io::Result<Option<Program>> {
    let sources: PackSources = match policy {
        None => embedded::default_pack(),
        Some(dir) => match files::read_pack(dir) {
            Ok(s) => s,
            Err(errors) => {
                for e in &errors {
                    out.diagnostic(e)?;
                }
                return Ok(None);
            }
        },
    };
    let result = sources.build();
    match result {
        Ok(p) => Ok(Some(p)),
        Err(errors) => {
            for e in &errors {
                out.diagnostic(e)?;
            }
            let n = errors.len();
            writeln!(io::stderr().lock(), "the pack has {n} error{}", if n == 1 { "" } else { "s" })?;
            Ok(None)
        }
    }
}

fn explain(
    out: &Out,
    policy: Option<&PathBuf>,
    format: Format,
    only: Option<&str>,
    paths: &[PathBuf],
) -> io::Result<u8> {
    let Some(program) = load_program(out, policy)? else {
        return Ok(EXIT_ERRORS);
    };
    let mut tracer = Tracer::new(&program);
    let mut items = Vec::new();
    let mut names = Vec::new();
    let mut errors = false;
    load_scenarios(&program, paths, |loaded| {
        names.extend(loaded.documents.iter().filter_map(|d| d.name.clone()));
        items.extend(run::explain(&program, &loaded, only, &mut tracer));
        for e in loaded.errors.iter().chain(loaded.documents.iter().filter_map(|d| d.result.as_ref().err()).flatten()) {
            errors = true;
            let _ = out.diagnostic(e);
        }
    })
    .into_iter()
    .try_for_each(|(_, e)| {
        errors = true;
        out.diagnostic(&e)
    })?;
    if let (Some(name), true) = (only, items.is_empty()) {
        let hint = crate::source::did_you_mean(name, names.iter().map(String::as_str))
            .map_or_else(String::new, |h| format!("; {h}"));
        writeln!(io::stderr().lock(), "no scenario named `{name}` in the files given{hint}")?;
        return Ok(EXIT_ERRORS);
    }
    let text = match format {
        Format::Human => report::explain::human(&program, &items, &out.renderer),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report::explain::json(&program, &items)).unwrap_or_default()),
    };
    out.stdout(&text)?;
    Ok(if errors || items.iter().any(|i| i.outcome.is_err()) { EXIT_ERRORS } else { EXIT_OK })
}

/// Reads and types every scenario file named by `paths`, handing each to `each`;
/// returns the files that could not be read or decoded, with their errors.
fn load_scenarios(program: &Program, paths: &[PathBuf], mut each: impl FnMut(ScenarioFile)) -> Vec<(SourceFile, Error)> {
    let mut failed = Vec::new();
    let mut io_errors = Vec::new();
    for path in files::scenario_paths(paths, &mut io_errors) {
        let name = files::display(&path);
        let bytes = match files::read_bytes(&path) {
            Ok(b) => b,
            Err(e) => {
                failed.push((SourceFile::new(name, ""), Error::from(e)));
                continue;
            }
        };
        match crate::scenario::decode(&name, bytes) {
            Ok(file) => each(crate::scenario::load(&file, program)),
            Err((file, e)) => failed.push((file, Error::from(e))),
        }
    }
    for e in io_errors {
        let name = match &e {
            CliError::Read { path, .. } | CliError::TooLarge { path, .. } => path.clone(),
            CliError::NoScenarios { path } | CliError::TooDeep { path, .. } => path.clone(),
        };
        failed.push((SourceFile::new(name, ""), Error::from(e)));
    }
    failed
}

fn evaluate(program: &Program, paths: &[PathBuf], run: &mut Run) {
    let failed = load_scenarios(program, paths, |loaded| run.add_file(program, loaded));
    run.file_errors.extend(failed);
}

fn report_errors(out: &Out, run: &Run) -> io::Result<()> {
    for (_, e) in &run.file_errors {
        out.diagnostic(e)?;
    }
    for r in &run.results {
        if let Err(errors) = &r.result {
            for e in errors {
                out.diagnostic(e)?;
            }
        }
    }
    Ok(())
}
