//! The command line. With `files`, the only module that does I/O.

mod errors_shown;
mod fmt;
mod init;

mod git;

use crate::embedded;
use crate::engine::{Engine, Problems};
use crate::error::Error;
use crate::files;
use crate::number::Number;
use crate::pack::PackSources;
use crate::program::Program;
use crate::report::{self, Renderer};
use crate::run::{self, Run};
use crate::scenario::Syntax;
use clap::{Parser, Subcommand, ValueEnum};
use errors_shown::{report_errors, report_failures, Shown};
use miette::Diagnostic;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "entitle", version, about = "Checks benefit policy packs and evaluates scenarios against them")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Threads to read and evaluate scenario files on (default: every core); the
    /// output is the same whatever the number
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and type-check the pack (TOML, rules, schema)
    Check {
        /// A pack folder, or `builtin` for the shipped pack; without it, the folder
        /// here or above holding pack.toml (or policies/pack.toml), else the shipped pack
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 1 when the pack has a warning (a parameter or a field no rule reads)
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Evaluate every scenario in the files and folders given
    Eval {
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The syntax of standard input (`-`); found from its first lines when absent
        #[arg(long, value_enum, value_name = "SYNTAX")]
        input_format: Option<InputFormat>,
        /// Scenario files, or folders searched for *.yaml, *.yml, *.json, *.jsonl and
        /// *.ndjson; `-` reads standard input
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Evaluate scenarios and check each `expect` block
    Test {
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        /// Report, per rule, the ways of its decisions the scenarios exercised: `rules`
        /// (guards, outputs and effects; the default), `branches` (also each `if` branch
        /// and each `and`/`or` outcome) or `mcdc` (also each operand deciding on its own)
        #[arg(long, value_enum, value_name = "LEVEL", num_args = 0..=1, require_equals = true, default_missing_value = "rules")]
        coverage: Option<CoverageLevel>,
        /// Fail (exit 1) when coverage at the level of --coverage is below PERCENT;
        /// implies --coverage
        #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
        min_coverage: Option<Number>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The syntax of standard input (`-`); found from its first lines when absent
        #[arg(long, value_enum, value_name = "SYNTAX")]
        input_format: Option<InputFormat>,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Explain each scenario's decision: every rule in evaluation order, the values
    /// that decided it, and what would lift each denial
    Explain {
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = TraceFormat::Human)]
        format: TraceFormat,
        /// Only the scenario of this name
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Write the audit report of the pack: per rule its text, the source passage it
    /// cites, its parameters, the scenarios that prove it and its coverage; a
    /// summary and a timeline of what is in force when
    Report {
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Write the report here instead of to standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The report's date (default: the date of the commit the pack is at)
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        date: Option<chrono::NaiveDate>,
        /// Scenario files or folders that prove the rules
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Generate boundary cases from template scenarios: for each line a rule draws
    /// (a comparison of dates, numbers, amounts, durations; a range), the scenarios
    /// just below, on and just above it, with the pack's outcomes, as a scenario file
    /// to review
    Edges {
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        /// Only the lines of this rule
        #[arg(long, value_name = "ID")]
        rule: Option<String>,
        /// Only the template scenario of this name
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        /// Write the scenario file here instead of to standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Scenario files or folders: the templates
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Evaluate the scenarios under a base version of the pack and the current one;
    /// list every scenario whose outcome moved, and the rules and parameters changed
    Diff {
        /// The current pack folder; the shipped pack when absent
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        /// The base pack: a folder, or a git revision (branch, tag, commit) of the
        /// pack folder, read from git without touching the work tree
        #[arg(long, value_name = "DIR_OR_GIT_REV", required_unless_present = "as_of")]
        base: Option<String>,
        /// Decide the base side by the rules and parameter values in force on this
        /// day (each scenario keeps its own `as_of` as today); needs --against
        #[arg(long, value_name = "DATE", value_parser = parse_day, requires = "against")]
        as_of: Option<chrono::NaiveDate>,
        /// Decide the current side by the rules and values in force on this day
        #[arg(long, value_name = "DATE", value_parser = parse_day, requires = "as_of")]
        against: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// Exit 1 when any scenario moved or any rule or parameter changed
        #[arg(long)]
        fail_on_change: bool,
        /// Scenario files or folders; without any, only rules and parameters are compared
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List every rule of the pack: id, title, days in force, citation, parameters
    /// read, outputs written and, given scenarios, how many of them each rule applied in
    Rules {
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        /// Only the rules in force on this day
        #[arg(long, value_name = "DATE", value_parser = parse_day)]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Human)]
        format: CatalogueFormat,
        /// Scenario files or folders to count rule applications in
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Write a JSON Schema of the pack's scenario files, for editors (the YAML
    /// language server: `# yaml-language-server: $schema=FILE`)
    Schema {
        /// The pack folder, or `builtin` (see `check --help`)
        #[arg(long, value_name = "DIR")]
        policy: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = SchemaFormat::JsonSchema)]
        format: SchemaFormat,
    },
    /// Start a new pack: a folder with a pack that checks, a scenario file that
    /// covers it, a README and a CI workflow
    Init {
        /// The folder to create the pack in (made if missing; nothing in it is replaced)
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Serve the language server protocol on standard input and output (for editors)
    Lsp,
    /// Lay out rule files in the canonical way, keeping every comment
    Fmt {
        /// Change nothing: print a diff of what would change, exit 1 if anything would
        #[arg(long)]
        check: bool,
        /// Rule files, or folders searched for *.policy; without any, the rules of the
        /// pack found from the current folder up
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverageLevel {
    Rules,
    Branches,
    Mcdc,
}

impl From<CoverageLevel> for crate::coverage::Level {
    fn from(l: CoverageLevel) -> Self {
        match l {
            CoverageLevel::Rules => crate::coverage::Level::Rules,
            CoverageLevel::Branches => crate::coverage::Level::Branches,
            CoverageLevel::Mcdc => crate::coverage::Level::Mcdc,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaFormat {
    /// JSON Schema 2020-12
    JsonSchema,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogueFormat {
    Human,
    Markdown,
    Json,
}

/// Output formats of `check`, `eval` and `test`. Whatever the format, diagnostics
/// also go to stderr, rendered, so that stdout always parses.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// JSON Lines: one result per line, written as each is decided
    Jsonl,
    /// JUnit XML: a test suite per file, a test case per scenario
    Junit,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions annotations (`::error file=...,line=...::`)
    Github,
    /// A summary for a pull-request comment or job summary
    Markdown,
}

/// The syntax of scenarios read from standard input.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Yaml,
    Json,
    /// JSON Lines: one scenario per line, streamed
    Jsonl,
}

impl From<InputFormat> for Syntax {
    fn from(f: InputFormat) -> Syntax {
        match f {
            InputFormat::Yaml => Syntax::Yaml,
            InputFormat::Json => Syntax::Json,
            InputFormat::Jsonl => Syntax::JsonLines,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceFormat {
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

    /// Standard output, buffered, for a report written a piece at a time.
    fn writer(&self) -> io::Result<io::BufWriter<io::StdoutLock<'static>>> {
        stdout_is_open()?;
        Ok(io::BufWriter::with_capacity(1 << 16, io::stdout().lock()))
    }

    fn stdout(&self, text: &str) -> io::Result<()> {
        stdout_is_open()?;
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }
}

/// `1 rule`, `2 rules`.
fn counted(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A day written `YYYY-MM-DD`.
fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::calendar::parse_date(text).map_err(|e| e.explain())
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

/// A program started with its standard output closed (`>&-`) gets `/dev/null` there
/// from Rust's runtime, opened read-write, and every write "succeeds": the results
/// would be lost without a word. A shell's `> /dev/null` opens it write-only, so the
/// open mode tells the two apart (Linux: `/proc/self/fdinfo`).
fn stdout_is_open() -> io::Result<()> {
    static CLOSED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *CLOSED.get_or_init(stdout_was_closed) {
        return Err(io::Error::other("standard output is closed"));
    }
    Ok(())
}

fn stdout_was_closed() -> bool {
    const ACCESS_MODE: u32 = 0o3;
    const READ_WRITE: u32 = 0o2;
    if !std::fs::read_link("/proc/self/fd/1").is_ok_and(|t| t == std::path::Path::new("/dev/null")) {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    info.lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        .is_some_and(|flags| flags & ACCESS_MODE == READ_WRITE)
}

pub fn main(cli: Cli) -> ExitCode {
    let out = Out::new();
    if let Some(n) = cli.jobs {
        // Fails only when a pool was built before, which nothing here does.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(usize::from(n)).build_global();
    }
    let code = match run(&out, cli.command) {
        Ok(code) => code,
        // A closed pipe (`entitle eval ... | head -1`) ends the run quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(io::stderr(), "entitle: the results could not be written: {e}");
            EXIT_ERRORS
        }
    };
    ExitCode::from(code)
}

fn run(out: &Out, command: Command) -> io::Result<u8> {
    match command {
        Command::Rules { policy, as_of, format, paths } => rules(out, policy.as_ref(), as_of, format, &paths),
        Command::Fmt { check, paths } => fmt::run(out, check, paths),
        Command::Init { dir } => init::run(&dir),
        Command::Lsp => match crate::lsp::serve() {
            Ok(()) => Ok(EXIT_OK),
            Err(e) => {
                writeln!(io::stderr().lock(), "entitle lsp: {e}")?;
                Ok(EXIT_ERRORS)
            }
        },
        Command::Schema { policy, format: SchemaFormat::JsonSchema } => {
            let Some(engine) = load_program(out, policy.as_ref())?.engine else {
                return Ok(EXIT_ERRORS);
            };
            let schema = report::schema::scenario_schema(engine.program());
            let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            out.stdout(&format!("{text}\n"))?;
            Ok(EXIT_OK)
        }
        Command::Diff { policy, base, as_of, against, format, fail_on_change, paths } => {
            let days = as_of.zip(against);
            diff(out, policy.as_ref(), Sides { base: base.as_deref(), days }, format, fail_on_change, &paths)
        }
        Command::Report { policy, format, output, date, paths } => {
            audit_report(out, policy.as_ref(), format, (output.as_deref(), date), &paths)
        }
        Command::Edges { policy, rule, scenario, output, paths } => {
            let only = EdgesOnly { rule: rule.as_deref(), scenario: scenario.as_deref() };
            edges(out, policy.as_ref(), only, output.as_deref(), &paths)
        }
        Command::Explain { policy, format, scenario, paths } => {
            explain(out, policy.as_ref(), format, scenario.as_deref(), &paths)
        }
        Command::Check { policy, format, deny_warnings } => {
            let loaded = load_program(out, policy.as_ref())?;
            let program = loaded.engine.as_ref().map(Engine::program);
            let warnings = loaded.engine.as_ref().map_or(&[][..], Engine::warnings);
            for w in warnings {
                out.diagnostic(w)?;
            }
            let code = match program {
                None => EXIT_ERRORS,
                Some(_) if deny_warnings && !warnings.is_empty() => EXIT_FAILED,
                Some(_) => EXIT_OK,
            };
            let mut problems: Vec<&Error> = loaded.errors.iter().collect();
            problems.extend(warnings);
            let report = report::cases::for_pack("check", program, &loaded.files, &problems);
            let text = match (format, program) {
                (Format::Human, Some(program)) => format!(
                    "pack `{}` {} {} is valid: {}, {}{}\n",
                    program.manifest.name,
                    program.manifest.version,
                    loaded.choice.origin(),
                    counted(program.rules.len(), "rule"),
                    counted(program.outputs.len(), "output"),
                    match warnings.len() {
                        0 => String::new(),
                        n => format!(", {}", counted(n, "warning")),
                    }
                ),
                (Format::Human, None) => String::new(),
                (Format::Json, _) => json_text(&report::json::check_to_json(program, &loaded.errors, warnings)),
                (Format::Jsonl, _) => json_line(&report::json::check_to_json(program, &loaded.errors, warnings)),
                (format, _) => machine(format, &report),
            };
            out.stdout(&text)?;
            Ok(code)
        }
        Command::Eval { policy, format, input_format, paths } => {
            let loaded = load_program(out, policy.as_ref())?;
            let Some(engine) = loaded.engine else {
                return pack_failed(out, "eval", format, &loaded);
            };
            let origin = loaded.choice.origin();
            let asked = Asked { command: "eval", origin, format, input_format, coverage: None, min_coverage: None };
            scenarios(out, &engine, &asked, &paths)
        }
        Command::Test { policy, coverage, min_coverage, format, input_format, paths } => {
            let loaded = load_program(out, policy.as_ref())?;
            let Some(engine) = loaded.engine else {
                return pack_failed(out, "test", format, &loaded);
            };
            let level = coverage.or(min_coverage.map(|_| CoverageLevel::Rules)).map(crate::coverage::Level::from);
            let origin = loaded.choice.origin();
            let asked = Asked { command: "test", origin, format, input_format, coverage: level, min_coverage };
            scenarios(out, &engine, &asked, &paths)
        }
    }
}

/// What `eval` or `test` was asked to do.
struct Asked {
    command: &'static str,
    /// Where the pack came from, for the human output's first line.
    origin: String,
    format: Format,
    input_format: Option<InputFormat>,
    /// The level of coverage to report, when asked.
    coverage: Option<crate::coverage::Level>,
    min_coverage: Option<Number>,
}

/// `eval` and `test`: the scenarios are read, evaluated and reported a piece at a
/// time. The human, JSON and JSON Lines formats are written as the pieces come; the
/// others need every case at once (a JUnit suite counts its cases first) and are
/// written at the end.
fn scenarios(out: &Out, engine: &Engine, asked: &Asked, paths: &[PathBuf]) -> io::Result<u8> {
    let program = engine.program();
    let checked = asked.command == "test";
    let format = asked.format;
    let mut stdout = out.writer()?;
    let writer = report::json::ResultsWriter::new(format == Format::Jsonl, checked);
    let (mut errors_shown, mut failures_shown) = (Shown::default(), Shown::default());
    let mut whole = Run::default();
    match format {
        Format::Human => {
            let (name, version) = engine.pack();
            let verb = if checked { "tested against" } else { "decided by" };
            writeln!(stdout, "{verb} {name} {version} {}", asked.origin)?;
        }
        Format::Json | Format::Jsonl => stdout.write_all(writer.head(program).as_bytes())?,
        _ => {}
    }
    let sources = files::sources(paths, asked.input_format.map(Syntax::from));
    let streamed = matches!(format, Format::Human | Format::Json | Format::Jsonl);
    // On the pool: the piece's text, its failures and errors for stderr; the rest of
    // the piece is freed there, unless a format needs every case at the end.
    let render = |mut part: Run| {
        let failures = if checked { report::cases::failures_of(program, &part, None).failures } else { Vec::new() };
        if !streamed {
            return Rendered { text: String::new(), items: 0, failures, errors: Run::default(), kept: Some(part) };
        }
        let (text, items) = match format {
            Format::Human if checked => (test_lines(&part), 0),
            Format::Human => (eval_lines(program, &part), 0),
            _ => writer.render(program, &part),
        };
        Rendered { text, items, failures, errors: part.take_errors(), kept: None }
    };
    // `writer` renders on the pool; `placed` counts, on this thread, what was written.
    let mut placed = report::json::ResultsWriter::new(format == Format::Jsonl, checked);
    let (tally, mut coverage) =
        engine.run(sources, asked.coverage.is_some(), render, |r: Rendered| -> io::Result<()> {
            report_errors(out, r.kept.as_ref().unwrap_or(&r.errors), &mut errors_shown)?;
            report_failures(out, &r.failures, &mut failures_shown)?;
            if let Some(part) = r.kept {
                whole.append(part);
                return Ok(());
            }
            stdout.write_all(placed.place(r.items).as_bytes())?;
            stdout.write_all(r.text.as_bytes())
        })?;
    errors_shown.finish()?;
    failures_shown.finish()?;
    if let (Some(c), Some(level)) = (coverage.as_mut(), asked.coverage) {
        c.level = level;
    }
    let line = coverage.as_ref().map(|c| report::cases::CoverageLine::of(program, c, asked.min_coverage));
    let text = match format {
        Format::Human if checked => {
            let mut text = report::human::summary(program, &tally);
            text.push('\n');
            if let Some(c) = &coverage {
                text.push_str(&report::coverage::human(program, c));
            }
            text
        }
        Format::Human => String::new(),
        Format::Json | Format::Jsonl => placed.tail(&tally, line.as_ref()),
        format => {
            whole.coverage = coverage;
            let text = machine(format, &report::cases::for_run(program, &whole, asked.command, asked.min_coverage));
            exit_without_dropping(whole);
            text
        }
    };
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    let below = line.as_ref().filter(|c| c.below_minimum());
    if let Some(c) = below {
        let minimum = c.minimum.map(|m| m.to_decimal_string(9)).unwrap_or_default();
        let percent = c.summary.percent_text();
        writeln!(io::stderr().lock(), "rule coverage {percent}% is below the minimum of {minimum}%")?;
    }
    Ok(if tally.has_errors() {
        EXIT_ERRORS
    } else if checked && (tally.failed > 0 || below.is_some()) {
        EXIT_FAILED
    } else {
        EXIT_OK
    })
}

/// What the writing thread gets of a piece of `eval` or `test`.
struct Rendered {
    text: String,
    /// Results in `text`, for the separators of the JSON document.
    items: usize,
    failures: Vec<report::TestFailure>,
    /// The piece's errors, for stderr.
    errors: Run,
    /// The whole piece, for the formats written at the end.
    kept: Option<Run>,
}

/// `eval`'s human lines for a piece: each evaluated scenario's outcome.
fn eval_lines(program: &Program, part: &Run) -> String {
    let mut text = String::new();
    for r in &part.results {
        if let Ok(ev) = &r.result {
            text.push_str(&report::human::outcome(program, &r.file.name, ev));
        }
    }
    text
}

/// `test`'s human lines for a piece: one per scenario.
fn test_lines(part: &Run) -> String {
    let mut text = String::new();
    for r in &part.results {
        let name = r.name.as_deref().unwrap_or("(unnamed)");
        let status = match &r.result {
            Ok(ev) => match &ev.mismatches {
                Some(m) if m.is_empty() => "PASS",
                Some(_) => "FAIL",
                None => "EVAL",
            },
            Err(_) => "ERROR",
        };
        let tail = if status == "EVAL" { " (no expect block)" } else { "" };
        let _ = writeln!(text, "{status} {}: {name}{tail}", r.file.name);
    }
    text
}

/// The process ends right after a run is reported: freeing every result one by one
/// would take a sixth of a large run's time for nothing.
fn exit_without_dropping(run: Run) {
    std::mem::forget(run);
}

fn json_text(doc: &report::json_value::Json) -> String {
    let mut text = doc.pretty();
    text.push('\n');
    text
}

fn json_line(doc: &report::json_value::Json) -> String {
    let mut text = doc.compact();
    text.push('\n');
    text
}

/// The machine formats shared by `check`, `eval` and `test`.
fn machine(format: Format, report: &report::cases::Report) -> String {
    match format {
        Format::Junit => report::formats::junit::render(report),
        Format::Sarif => json_text(&report::formats::sarif::render(report)),
        Format::Github => report::formats::github::render(report),
        Format::Markdown => report::formats::markdown::render(report),
        Format::Human | Format::Json | Format::Jsonl => String::new(),
    }
}

/// `eval` or `test` on a pack that does not build: its errors in the format asked for.
fn pack_failed(out: &Out, command: &'static str, format: Format, loaded: &Loaded) -> io::Result<u8> {
    let errors: Vec<&Error> = loaded.errors.iter().collect();
    let report = report::cases::for_pack(command, None, &loaded.files, &errors);
    let text = match format {
        Format::Human => String::new(),
        Format::Json => json_text(&report::json::check_to_json(None, &loaded.errors, &[])),
        Format::Jsonl => json_line(&report::json::check_to_json(None, &loaded.errors, &[])),
        format => machine(format, &report),
    };
    out.stdout(&text)?;
    Ok(EXIT_ERRORS)
}

fn rules(
    out: &Out,
    policy: Option<&PathBuf>,
    on: Option<chrono::NaiveDate>,
    format: CatalogueFormat,
    paths: &[PathBuf],
) -> io::Result<u8> {
    let Some(engine) = load_program(out, policy)?.engine else {
        return Ok(EXIT_ERRORS);
    };
    let program = engine.program();
    // Scenario counts come from coverage, recorded only when scenarios are given.
    let run = covered(out, &engine, paths)?;
    let listing = report::catalogue::Listing { coverage: run.coverage.as_ref(), on };
    let text = match format {
        CatalogueFormat::Human => report::catalogue::human(program, listing),
        CatalogueFormat::Markdown => report::catalogue::markdown(program, listing),
        CatalogueFormat::Json => {
            let doc = report::catalogue::json(program, listing);
            json_text(&doc)
        }
    };
    out.stdout(&text)?;
    Ok(if run.has_errors() { EXIT_ERRORS } else { EXIT_OK })
}

/// The pack as loaded: the engine when it builds, every error otherwise (already
/// rendered to stderr), the names of its files, and where it came from.
struct Loaded {
    engine: Option<Engine>,
    errors: Vec<Error>,
    files: Vec<String>,
    choice: PackChoice,
}

/// `--policy builtin` names the shipped pack.
const BUILTIN: &str = "builtin";

/// Where a command's pack comes from.
#[derive(Debug, Clone)]
enum PackChoice {
    Shipped,
    Folder(PathBuf),
}

impl PackChoice {
    /// The folder named, else the pack found from the current folder up, else the
    /// shipped pack.
    fn of(policy: Option<&PathBuf>) -> PackChoice {
        match policy {
            Some(p) if p.as_os_str() == BUILTIN => PackChoice::Shipped,
            Some(p) => PackChoice::Folder(p.clone()),
            None => std::env::current_dir()
                .ok()
                .and_then(|d| files::discover_pack(&d))
                .map_or(PackChoice::Shipped, PackChoice::Folder),
        }
    }

    /// Where the pack came from, as the human output says it.
    fn origin(&self) -> String {
        match self {
            PackChoice::Shipped => "(built in)".to_string(),
            PackChoice::Folder(dir) => format!("from {}", files::display(dir)),
        }
    }
}

fn load_program(out: &Out, policy: Option<&PathBuf>) -> io::Result<Loaded> {
    let choice = PackChoice::of(policy);
    let sources: PackSources = match &choice {
        PackChoice::Shipped => embedded::default_pack(),
        PackChoice::Folder(dir) => match files::read_pack(dir) {
            Ok(s) => s,
            Err(errors) => {
                for e in &errors {
                    out.diagnostic(e)?;
                }
                let errors = errors.into_iter().map(Error::from).collect();
                return Ok(Loaded { engine: None, errors, files: Vec::new(), choice });
            }
        },
    };
    let files = sources.files.iter().map(|(_, f)| f.name.to_string()).collect();
    match Engine::from_sources(&sources) {
        Ok(engine) => Ok(Loaded { engine: Some(engine), errors: Vec::new(), files, choice }),
        Err(Problems(errors)) => {
            for e in &errors {
                out.diagnostic(e)?;
            }
            let n = errors.len();
            writeln!(io::stderr().lock(), "the pack has {n} error{}", if n == 1 { "" } else { "s" })?;
            Ok(Loaded { engine: None, errors, files, choice })
        }
    }
}

/// The folder the shipped pack is built from, for reading its base from git.
const SHIPPED_PACK_DIR: &str = "policies";

/// What `diff` compares: a base pack (a folder or a git revision) with the current
/// one, and/or the rules in force on two days (`--as-of A --against B`).
struct Sides<'a> {
    base: Option<&'a str>,
    days: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

fn diff(
    out: &Out,
    policy: Option<&PathBuf>,
    sides: Sides<'_>,
    format: DiffFormat,
    fail_on_change: bool,
    paths: &[PathBuf],
) -> io::Result<u8> {
    let loaded = load_program(out, policy)?;
    let Some(current) = loaded.engine else {
        return Ok(EXIT_ERRORS);
    };
    let current_label = match &loaded.choice {
        PackChoice::Folder(dir) => files::display(dir),
        PackChoice::Shipped => "shipped pack".to_string(),
    };
    let base_engine = match sides.base {
        Some(base) => {
            let base_dir = std::path::Path::new(base);
            let sources = if base_dir.is_dir() {
                files::read_pack(base_dir).map_err(|e| e.into_iter().map(Error::from).collect::<Vec<_>>())
            } else {
                let pack_dir = match &loaded.choice {
                    PackChoice::Folder(dir) => dir.clone(),
                    PackChoice::Shipped => PathBuf::from(SHIPPED_PACK_DIR),
                };
                git::read_pack(base, &pack_dir).map_err(|e| vec![Error::from(e)])
            };
            match sources.and_then(|s| Engine::from_sources(&s).map_err(|p| p.0)) {
                Ok(p) => p,
                Err(errors) => {
                    for e in &errors {
                        out.diagnostic(e)?;
                    }
                    writeln!(io::stderr().lock(), "the base pack `{base}` has errors; nothing was compared")?;
                    return Ok(EXIT_ERRORS);
                }
            }
        }
        // The same pack on both sides, each pinned to its day: it built once, so
        // building it again reports nothing.
        None => match load_program(out, policy)?.engine {
            Some(engine) => engine,
            None => return Ok(EXIT_ERRORS),
        },
    };
    let (base_day, current_day) = sides.days.map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let base_engine = base_engine.with_rules_of(base_day.map(crate::engine::Date::from));
    let current = current.with_rules_of(current_day.map(crate::engine::Date::from));
    let (base_program, current_program) = (base_engine.program(), current.program());
    let (params, rules) = crate::diff::pack_changes(base_program, current_program);
    let (mut base_run, mut current_run) = (Run::default(), Run::default());
    if !paths.is_empty() {
        base_run = evaluate(&base_engine, paths, false);
        current_run = evaluate(&current, paths, false);
        show_errors(out, &current_run)?;
    }
    let scenarios = crate::diff::scenario_changes(base_program, &base_run, current_program, &current_run);
    let d = crate::diff::Diff { params, rules, scenarios, compared: current_run.results.len() };
    let pack = |p: &Program| match p.rules_on {
        Some(day) => format!("{} {}, rules in force on {day}", p.manifest.name, p.manifest.version),
        None => format!("{} {}", p.manifest.name, p.manifest.version),
    };
    let base_label = sides.base.unwrap_or(&current_label);
    let sides = report::diff::Sides {
        base: (base_label, pack(base_program)),
        current: (&current_label, pack(current_program)),
    };
    let text = match format {
        DiffFormat::Human => report::diff::human(&d, &sides),
        DiffFormat::Markdown => report::diff::markdown(&d, &sides),
        DiffFormat::Json => json_text(&report::diff::json(&d, &sides)),
    };
    out.stdout(&text)?;
    Ok(if !current_run.file_errors.is_empty() {
        EXIT_ERRORS
    } else if fail_on_change && !d.is_empty() {
        EXIT_FAILED
    } else {
        EXIT_OK
    })
}

fn explain(
    out: &Out,
    policy: Option<&PathBuf>,
    format: TraceFormat,
    only: Option<&str>,
    paths: &[PathBuf],
) -> io::Result<u8> {
    let Some(engine) = load_program(out, policy)?.engine else {
        return Ok(EXIT_ERRORS);
    };
    let program = engine.program();
    let run::Explanations { items, names, errors } = engine.explain(files::sources(paths, None), only);
    for e in &errors {
        out.diagnostic(e)?;
    }
    if let (Some(name), true) = (only, items.is_empty()) {
        let hint = scenario_hint(name, &names).map_or_else(String::new, |h| format!("; {h}"));
        writeln!(io::stderr().lock(), "no scenario named `{name}` in the files given{hint}")?;
        return Ok(EXIT_ERRORS);
    }
    let text = match format {
        TraceFormat::Human => report::explain::human(program, &items, &out.renderer),
        TraceFormat::Json => json_text(&report::explain::json(program, &items)),
    };
    out.stdout(&text)?;
    Ok(if !errors.is_empty() || items.iter().any(|i| i.outcome.is_err()) { EXIT_ERRORS } else { EXIT_OK })
}

fn audit_report(
    out: &Out,
    policy: Option<&PathBuf>,
    format: ReportFormat,
    (output, date): (Option<&std::path::Path>, Option<chrono::NaiveDate>),
    paths: &[PathBuf],
) -> io::Result<u8> {
    let loaded = load_program(out, policy)?;
    let Some(engine) = loaded.engine else {
        return Ok(EXIT_ERRORS);
    };
    let program = engine.program();
    let mut run = covered(out, &engine, paths)?;
    if let Some(c) = &mut run.coverage {
        c.level = crate::coverage::Level::Branches;
    }
    let applied = run::rules_applied(program, &run);
    let (dir, origin) = match &loaded.choice {
        PackChoice::Folder(dir) => (dir.clone(), files::display(dir)),
        PackChoice::Shipped => (PathBuf::from("."), "the pack built in".to_string()),
    };
    let git = match &loaded.choice {
        PackChoice::Folder(_) => git::revision(&dir),
        PackChoice::Shipped => None,
    };
    let provenance = report::audit::Provenance {
        revision: git.as_ref().map(|(c, _, _)| c.clone()),
        modified: git.as_ref().is_some_and(|(_, _, m)| *m),
        date: date.map(|d| d.to_string()).or_else(|| git.as_ref().map(|(_, d, _)| d.clone())),
        origin,
    };
    let audit = report::audit::Audit::new(program, &run, &applied, &provenance);
    let text = match format {
        ReportFormat::Html => report::audit::html(&audit),
        ReportFormat::Markdown => report::audit::markdown(&audit),
    };
    match output {
        Some(path) => std::fs::write(path, &text)?,
        None => out.stdout(&text)?,
    }
    Ok(if run.has_errors() { EXIT_ERRORS } else { EXIT_OK })
}

/// Which templates and rules `edges` works from.
struct EdgesOnly<'a> {
    rule: Option<&'a str>,
    scenario: Option<&'a str>,
}

fn edges(
    out: &Out,
    policy: Option<&PathBuf>,
    only: EdgesOnly<'_>,
    output: Option<&std::path::Path>,
    paths: &[PathBuf],
) -> io::Result<u8> {
    let Some(engine) = load_program(out, policy)?.engine else {
        return Ok(EXIT_ERRORS);
    };
    let program = engine.program();
    if let Some(id) = only.rule.filter(|id| !program.rules.iter().any(|r| r.id == *id)) {
        let ids: Vec<&str> = program.rules.iter().map(|r| r.id.as_str()).collect();
        let hint = crate::source::did_you_mean(id, ids.iter().copied()).map_or_else(String::new, |h| format!("; {h}"));
        writeln!(io::stderr().lock(), "the pack has no rule `{id}`{hint}")?;
        return Ok(EXIT_ERRORS);
    }
    let run::Explanations { items, names, errors } = engine.explain(files::sources(paths, None), only.scenario);
    for e in &errors {
        out.diagnostic(e)?;
    }
    if let (Some(name), true) = (only.scenario, items.is_empty()) {
        let hint = scenario_hint(name, &names).map_or_else(String::new, |h| format!("; {h}"));
        writeln!(io::stderr().lock(), "no scenario named `{name}` in the files given{hint}")?;
        return Ok(EXIT_ERRORS);
    }
    let templates: Vec<crate::edges::Template> = items
        .iter()
        .map(|i| crate::edges::Template { as_of: i.scenario.as_of, input: i.scenario.input.clone() })
        .collect();
    let chosen = |index: usize| only.rule.is_none_or(|id| program.rules.get(index).is_some_and(|r| r.id == id));
    let cases = crate::edges::cases(program, &templates, chosen);
    let names: Vec<report::edges::TemplateName<'_>> =
        items.iter().map(|i| report::edges::TemplateName { file: &i.file.name, scenario: &i.scenario.name }).collect();
    let (text, failed) = report::edges::yaml(program, &names, &cases);
    match output {
        Some(path) => std::fs::write(path, &text)?,
        None => out.stdout(&text)?,
    }
    let kept = cases.len() - failed;
    let left = if failed > 0 {
        format!("; {failed} could not be evaluated and were left out (named in the file)")
    } else {
        String::new()
    };
    writeln!(
        io::stderr().lock(),
        "{kept} boundary cases from {} template{}{left}",
        templates.len(),
        if templates.len() == 1 { "" } else { "s" }
    )?;
    Ok(if !errors.is_empty() || failed > 0 { EXIT_ERRORS } else { EXIT_OK })
}

/// The scenario a mistyped `--scenario` most likely means: the same name in another
/// case or spacing, a name that contains it, or one a few edits away.
fn scenario_hint(name: &str, names: &[String]) -> Option<String> {
    let fold = crate::text::fold;
    let wanted = fold(name);
    let found = names
        .iter()
        .find(|n| fold(n) == wanted)
        .or_else(|| names.iter().find(|n| !wanted.is_empty() && fold(n).contains(&wanted)));
    if let Some(n) = found {
        return Some(format!("did you mean `{n}`?"));
    }
    let limit = (name.chars().count() / 3).max(1);
    crate::source::did_you_mean_within(name, names.iter().map(String::as_str), limit)
}

/// Reads, types and evaluates every scenario file named by `paths` into one run, for
/// the commands that compare or count over all of it.
/// The scenarios of `paths` evaluated with coverage, their errors shown; an empty
/// run when no path is given.
fn covered(out: &Out, engine: &Engine, paths: &[PathBuf]) -> io::Result<Run> {
    if paths.is_empty() {
        return Ok(Run::default());
    }
    let run = evaluate(engine, paths, true);
    show_errors(out, &run)?;
    Ok(run)
}

fn evaluate(engine: &Engine, paths: &[PathBuf], coverage: bool) -> Run {
    let mut run = Run::default();
    let counted = engine.run(
        files::sources(paths, None),
        coverage,
        |part| part,
        |part| {
            run.append(part);
            Ok::<(), std::convert::Infallible>(())
        },
    );
    let Ok((_, coverage)) = counted;
    run.coverage = coverage;
    run
}

/// The errors of a whole run on stderr.
fn show_errors(out: &Out, run: &Run) -> io::Result<()> {
    let mut shown = Shown::default();
    report_errors(out, run, &mut shown)?;
    shown.finish()
}
