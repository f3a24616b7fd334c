//! The command-line front end: resolves arguments, calls the library, renders results
//! and errors, and maps them to exit codes (SPEC §4). Only this module prints.

mod args;
mod color;
mod complete;
mod compute;
mod man;
mod output;
mod tools;

use std::io::IsTerminal;
use std::process::ExitCode;

use ketacalc::formula::{Diagnostic, Formula, Located, load_bytes};
use ketacalc::formulary::{FormulaFile, Formulary, FormularyError, is_path_like, read_limited};
use ketacalc::report::{self, Layout, Report, Source, json::DiagnosticDto, json::ListEntry};
use ketacalc::request::Flags;
use ketacalc::validate::{self, FileReport};

use args::{
    Args, BatchArgs, BatchFormat, Command, LabelArgs, LabelFormat, ListFormat, RecordArgs, RecordFormat,
    ValidateFormat,
};
use color::ColorWhen;
use compute::{Computed, compute, compute_from};
use output::WriteError;

/// The width worksheets are laid out for when standard output is not a terminal.
const WIDTH: u16 = 100;

/// The narrowest terminal worksheets are laid out for: a narrower one wraps them.
const MIN_TERMINAL_WIDTH: u16 = 80;

/// The layout width: `--width`, else the terminal's (at least 80), else 100.
fn width(given: Option<u16>, to_file: bool) -> u16 {
    if let Some(w) = given {
        return w;
    }
    if to_file || !std::io::stdout().is_terminal() {
        return WIDTH;
    }
    terminal_size::terminal_size().map_or(WIDTH, |(w, _)| w.0.max(MIN_TERMINAL_WIDTH))
}

/// Exit statuses (SPEC §4, §14.3).
const INPUT_ERROR: u8 = 1;
const USAGE: u8 = 2;
/// A completed record that is not ready: a pharmacist must decide.
const DECIDE: u8 = 3;

/// A failure with its message already rendered for stderr, and the exit status it ends
/// with.
struct Failure(String, u8);

impl Failure {
    /// An input error (status 1).
    fn new(message: String) -> Failure {
        Failure(message, INPUT_ERROR)
    }

    /// A usage error (status 2).
    fn usage(message: String) -> Failure {
        Failure(message, USAGE)
    }
}

impl From<FormularyError> for Failure {
    fn from(e: FormularyError) -> Self {
        Failure::new(report::diagnostics::error(&e.to_string(), None, e.help().as_deref()))
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::BrokenPipe => Failure::new(String::new()),
            WriteError::Failed(m) => Failure::new(report::diagnostics::error(&m, None, None)),
        }
    }
}

/// Parses the command line and runs it.
pub(crate) fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == args::IDS) {
        return ids(argv.get(1..).unwrap_or_default());
    }
    let args = match parse() {
        Ok(a) => a,
        // `--help` and `--version` (exit 0) go through `output::stdout`, so that a failed
        // write (`ketacalc --help > /dev/full`) is an error, not a silent success.
        Err(e) if e.exit_code() == 0 && !std::io::stdout().is_terminal() => {
            return match output::stdout(&e.render().to_string()) {
                Ok(()) | Err(WriteError::BrokenPipe) => ExitCode::SUCCESS,
                Err(WriteError::Failed(m)) => {
                    // Nothing more can be done if standard error fails too.
                    let _ = output::stderr(&report::diagnostics::error(&m, None, None));
                    ExitCode::from(INPUT_ERROR)
                }
            };
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(args) {
        Ok(code) => code,
        Err(Failure(message, code)) => {
            if !message.is_empty() {
                // The status whether or not the message could be written (`2>/dev/full`).
                let _ = output::stderr(&printable(&message));
                return ExitCode::from(code);
            }
            // A closed pipe: the reader has what it wanted.
            ExitCode::SUCCESS
        }
    }
}

/// `ketacalc __ids`, for the completion scripts: the ids and nothing else, not even an
/// error message, which would disturb the line being typed (an unreadable folder has no
/// ids).
fn ids(argv: &[std::ffi::OsString]) -> ExitCode {
    use clap::Parser;
    let Ok(a) = args::IdsArgs::try_parse_from(argv) else { return ExitCode::from(USAGE) };
    let ids = Formulary::choose(a.formulas, std::env::var_os("KETACALC_FORMULAS")).ids();
    let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
    match output::stdout(&text) {
        Ok(()) | Err(WriteError::BrokenPipe) => ExitCode::SUCCESS,
        Err(WriteError::Failed(_)) => ExitCode::from(INPUT_ERROR),
    }
}

/// The command line, parsed; clap's help and usage errors are coloured as `--color` says.
fn parse() -> Result<Args, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let mut cmd = Args::command();
    if let Some(when) = ColorWhen::given(std::env::args_os()) {
        cmd = cmd.color(when.clap());
    }
    let matches = cmd.try_get_matches_from_mut(std::env::args_os());
    // The definition of every command and option is left for the process's exit to free:
    // freeing its thousands of small allocations one by one was a twentieth of the
    // instructions of a worksheet's whole run.
    std::mem::forget(cmd);
    Args::from_arg_matches(&matches?)
}

/// Messages carry values from files and arguments; their hidden characters (a control
/// character other than a line feed or tab, a bidirectional control: [`ketacalc::hidden`])
/// are shown escaped (`\u{1b}`, `\u{202e}`), so that a formula cannot send escape
/// sequences to the terminal (clear the screen, or fake a clean `validate`) or reorder a
/// line through an error message.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    ketacalc::hidden::escape(text)
}

/// The formulary of `--formulas DIR`, else `$KETACALC_FORMULAS`, else the built-in one;
/// a folder that is not there is an error for every command (SPEC §13.1).
fn formulary(dir: Option<std::path::PathBuf>) -> Result<Formulary, Failure> {
    let from_env = dir.is_none();
    let f = Formulary::choose(dir, std::env::var_os("KETACALC_FORMULAS"));
    f.check(from_env)?;
    Ok(f)
}

fn run(args: Args) -> Result<ExitCode, Failure> {
    match args.command {
        Command::List { formulas, format } => list(&formulary(formulas)?, format),
        Command::Show { formula, formulas, format } => show(&formulary(formulas)?, &formula, format),
        Command::Validate { paths, formulas, format, deny_warnings } => {
            validate(&formulary(formulas)?, &paths, format, deny_warnings)
        }
        Command::Batch(b) => batch(&formulary(b.batch.formulas.clone())?, &b, args.color),
        Command::Label(l) => label(&formulary(l.batch.formulas.clone())?, &l),
        Command::Record(r) => record(&formulary(r.formulas.clone())?, &r, args.color),
        Command::Tool(t) => tools::run(&t),
        Command::Schema { kind } => {
            emit(&kind.text(), None)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            emit(&complete::script(shell), None)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { command } => {
            emit(&man(command.as_deref())?, None)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The manual page of ketacalc or of one of its subcommands; a usage error for a
/// subcommand ketacalc does not have.
fn man(command: Option<&str>) -> Result<String, Failure> {
    let Some(page) = man::page(command) else {
        let names: Vec<String> = man::commands().iter().map(|c| format!("`{c}`")).collect();
        return Err(Failure::usage(report::diagnostics::error(
            &format!("ketacalc has no command `{}`", command.unwrap_or_default()),
            None,
            Some(&format!("give one of {}, or none for the main page", names.join(", "))),
        )));
    };
    page.map_err(|e| {
        Failure::new(report::diagnostics::error(
            &format!("cannot render the manual page: {}", ketacalc::files::io_reason(&e)),
            None,
            None,
        ))
    })
}

/// Finds `FORMULA`: a path when it ends in `.toml` or has a `/`, else an id.
fn resolve(formulary: &Formulary, arg: &str) -> Result<FormulaFile, Failure> {
    if is_path_like(arg) {
        let path = std::path::Path::new(arg);
        let bytes = read_limited(path).map_err(|e| match id_as_file_name(formulary, arg, path) {
            Some(help) => Failure::new(report::diagnostics::error(&e.to_string(), None, Some(&help))),
            None => Failure::from(e),
        })?;
        return Ok(FormulaFile {
            path: arg.to_string(),
            bytes: bytes.into(),
            expected_id: None,
            sha256: None,
        });
    }
    Ok(formulary.get(arg)?)
}

/// The help for `ketacalc batch x.toml` when there is no file `x.toml` but `x` is an id:
/// the `.toml` made a path of what was meant as an id.
fn id_as_file_name(formulary: &Formulary, arg: &str, path: &std::path::Path) -> Option<String> {
    let id = arg.strip_suffix(".toml").filter(|id| ketacalc::formula::is_valid_id(id))?;
    if std::fs::symlink_metadata(path).is_ok() {
        return None;
    }
    Some(match formulary.get(id) {
        Ok(_) => format!(
            "to use the formula `{id}` of {}, give its id without `.toml`: `{id}`; for a file, give its path",
            formulary.describe()
        ),
        Err(ketacalc::formulary::FormularyError::NotFound { ref nearest, .. }) if !nearest.is_empty() => {
            let near = nearest.first().map(String::as_str).unwrap_or_default();
            format!(
                "a name ending in `.toml` is a file's path; to use the formula `{near}` of {}, give its id: `{near}`",
                formulary.describe()
            )
        }
        Err(_) => "a name ending in `.toml` is a file's path; give the path of the file, or a formula's id without `.toml` (`ketacalc list` shows them)".to_string(),
    })
}

/// Loads a formula, or renders every error it has.
fn load(file: &FormulaFile) -> Result<(Formula, Source), Failure> {
    let loaded = load_bytes(&file.bytes);
    let mut diagnostics = loaded.diagnostics;
    if let (Some((id, span)), Some(stem)) = (&loaded.id, &file.expected_id)
        && id != stem
    {
        diagnostics.push(validate::id_mismatch(id, stem, span.clone()));
    }
    let errors: Vec<Diagnostic> = diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    if let Some(f) = loaded.formula.filter(|_| errors.is_empty()) {
        return Ok((f, Source::of_file(file)));
    }
    // Only to place the errors: a formula that loads is not decoded a second time.
    let text = String::from_utf8_lossy(&file.bytes);
    // A batch file given where a formula goes: say how it is given.
    if ketacalc::request::is_batch_file(&text) {
        return Err(Failure::new(report::diagnostics::error(
            &format!("`{}` is a batch file, not a formula file", file.path),
            None,
            Some(&format!("give a batch file with `--from`: `--from {}`", file.path)),
        )));
    }
    Err(Failure::new(errors_in(&file.path, &text, errors, loaded.omitted)))
}

/// Every error of one file, located, and the line that says how many must be fixed.
fn errors_in(path: &str, text: &str, errors: Vec<Diagnostic>, omitted: ketacalc::formula::Omitted) -> String {
    let mut out = String::new();
    // Those shown (not the one that counts the rest), and the rest.
    let (count, _) = validate::counts(&errors, omitted);
    for l in Located::all(text, errors) {
        let d = &l.diagnostic;
        out.push_str(&report::diagnostics::error(&d.message, Some((path, &l)), d.help.as_deref()));
    }
    out.push_str(&report::diagnostics::error(
        &format!(
            "`{path}` has {} that must be fixed first; run `ketacalc validate {path}`",
            if count == 1 { "1 error".to_string() } else { format!("{count} errors") },
        ),
        None,
        None,
    ));
    out
}

/// Refuses to run a command whose output is its product (`list`, `show`, a worksheet)
/// when standard output is closed: the output would be lost and the run would look
/// like a success. (`validate`'s result is its exit status, so it runs anyway.)
fn require_stdout(what: &str) -> Result<(), Failure> {
    if output::stdout_closed() {
        return Err(Failure::new(report::diagnostics::error(
            &format!(
                "standard output is closed (or is `/dev/null` opened for reading and writing): {what} would be lost"
            ),
            None,
            Some(
                "write it to a file with `-o FILE`, or redirect with `> /dev/null` to discard it on purpose",
            ),
        )));
    }
    Ok(())
}

fn emit(text: &str, to: Option<&std::path::Path>) -> Result<(), Failure> {
    emit_beside(text, to, &[])
}

/// Like [`emit`], never writing over `inputs`, the files the output came from (each with
/// what it is: `formula file`, `batch file`).
fn emit_beside(
    text: &str,
    to: Option<&std::path::Path>,
    inputs: &[(std::path::PathBuf, &str)],
) -> Result<(), Failure> {
    match to {
        Some(path) => Ok(output::file(path, text, inputs)?),
        None => Ok(output::stdout(text)?),
    }
}

fn list(formulary: &Formulary, format: ListFormat) -> Result<ExitCode, Failure> {
    require_stdout("the list")?;
    // A missing or unreadable folder is an error, not an empty formulary.
    if let Formulary::Dir(dir) = formulary
        && let Err(e) = std::fs::read_dir(dir)
    {
        let reason = ketacalc::files::io_reason(&e);
        return Err(Failure::new(report::diagnostics::error(
            &format!("cannot read the formulary folder `{}`: {reason}", dir.display()),
            None,
            Some("give `--formulas DIR` (or `$KETACALC_FORMULAS`) a folder of `<id>.toml` files"),
        )));
    }
    let mut entries = Vec::new();
    let mut failed = String::new();
    for id in formulary.ids() {
        // One entry that cannot be read (a dangling link, a named pipe, a folder) is
        // reported, and the others are listed.
        let file = match formulary.get(&id) {
            Ok(f) => f,
            Err(e) => {
                failed.push_str(&Failure::from(e).0);
                continue;
            }
        };
        match load_bytes(&file.bytes).formula {
            Some(f) => entries.push(ListEntry {
                name: f.reference_name(),
                id: f.id,
                dosage_form: f.dosage_form.as_str().to_string(),
                revision: f.revision,
                path: file.path,
            }),
            None => failed.push_str(&report::diagnostics::error(
                &format!(
                    "`{}` has errors and is not listed; run `ketacalc validate {}`",
                    file.path, file.path
                ),
                None,
                None,
            )),
        }
    }
    let text = match format {
        ListFormat::Table => report::list::table(&entries, WIDTH),
        ListFormat::Json => report::json::list(&entries),
    };
    emit(&text, None)?;
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        let _ = output::stderr(&printable(&failed));
        Ok(ExitCode::from(INPUT_ERROR))
    }
}

fn show(formulary: &Formulary, arg: &str, format: ListFormat) -> Result<ExitCode, Failure> {
    require_stdout("the record")?;
    let (formula, source) = load(&resolve(formulary, arg)?)?;
    let text = match format {
        ListFormat::Table => report::show::table(&formula, &source, WIDTH),
        ListFormat::Json => report::show::json(&formula, &source),
    };
    emit(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

fn validate(
    formulary: &Formulary,
    paths: &[std::path::PathBuf],
    format: ValidateFormat,
    deny: bool,
) -> Result<ExitCode, Failure> {
    let (mut errors, mut warnings) = (0usize, 0usize);
    let mut dtos: Vec<DiagnosticDto> = Vec::new();
    let mut located: Vec<(String, Located)> = Vec::new();
    let mut broken = false;
    let mut each = |r: FileReport| {
        // Every problem found, those left out of the report included.
        let (e, w) = r.counts();
        errors = errors.saturating_add(e);
        warnings = warnings.saturating_add(w);
        for l in r.diagnostics {
            let line = match format {
                ValidateFormat::Human => report::diagnostics::diagnostic(&r.path, &l),
                ValidateFormat::Github => report::github::diagnostic(&r.path, &l),
                ValidateFormat::Json => {
                    dtos.push(DiagnosticDto::new(&r.path, &l));
                    continue;
                }
                ValidateFormat::Sarif => {
                    located.push((r.path.clone(), l));
                    continue;
                }
            };
            if !broken && let Err(WriteError::BrokenPipe) = output::stdout(&printable(&line)) {
                broken = true;
            }
        }
    };
    let files = match (paths.is_empty(), formulary) {
        (true, Formulary::BuiltIn) => {
            validate::check_files(ketacalc::formulary::built_in(), formulary, &mut each)
        }
        (true, Formulary::Dir(d)) => validate::check_paths(std::slice::from_ref(d), formulary, &mut each),
        (false, _) => validate::check_paths(paths, formulary, &mut each),
    };
    if broken {
        return Ok(ExitCode::SUCCESS);
    }
    let text = match format {
        ValidateFormat::Human | ValidateFormat::Github => {
            report::diagnostics::summary(files, errors, warnings)
        }
        ValidateFormat::Json => report::json::validate(files, errors, warnings, &dtos),
        ValidateFormat::Sarif => report::sarif::render(&located),
    };
    emit(&text, None)?;
    if errors > 0 || (deny && warnings > 0) { Ok(ExitCode::from(INPUT_ERROR)) } else { Ok(ExitCode::SUCCESS) }
}

fn batch(formulary: &Formulary, b: &BatchArgs, color: ColorWhen) -> Result<ExitCode, Failure> {
    if b.output.is_none() {
        require_stdout("the worksheet")?;
    }
    let Computed { formula, source, batch, inputs, .. } = compute(formulary, &b.batch)?;
    // A file written with `-o` is a record, never coloured.
    let layout =
        Layout { width: width(b.width, b.output.is_some()), color: b.output.is_none() && color.stdout() };
    let format = match b.format {
        BatchFormat::Table => report::Format::Table,
        BatchFormat::Json => report::Format::Json,
        BatchFormat::Markdown => report::Format::Markdown,
        BatchFormat::Csv => report::Format::Csv,
        BatchFormat::Html => report::Format::Html,
    };
    let report = Report { formula: &formula, source: &source, batch: &batch, explain: b.explain, layout };
    let text = report::worksheet(format, &report);
    emit_beside(&text, b.output.as_deref(), &inputs)?;
    Ok(ExitCode::SUCCESS)
}

fn label(formulary: &Formulary, l: &LabelArgs) -> Result<ExitCode, Failure> {
    if l.output.is_none() {
        require_stdout("the label")?;
    }
    let Computed { formula, source, batch, inputs, .. } = compute(formulary, &l.batch)?;
    let format = match l.format {
        LabelFormat::Text => report::LabelFormat::Text,
        LabelFormat::Html => report::LabelFormat::Html,
        LabelFormat::Json => report::LabelFormat::Json,
    };
    let layout = Layout { width: WIDTH, color: false };
    let text = report::label(
        format,
        &Report { formula: &formula, source: &source, batch: &batch, explain: false, layout },
    );
    emit_beside(&text, l.output.as_deref(), &inputs)?;
    Ok(ExitCode::SUCCESS)
}

/// `ketacalc record FILE`: the completed record of a batch file (SPEC §14.2–§14.3); exit
/// 0 when it is ready for the pharmacist's verification, 3 when it is printed but
/// incomplete or to check.
fn record(formulary: &Formulary, a: &RecordArgs, color: ColorWhen) -> Result<ExitCode, Failure> {
    if a.output.is_none() {
        require_stdout("the record")?;
    }
    let Computed { formula, source, batch, inputs, request } =
        compute_from(formulary, &a.file, None, &Flags::default())?;
    let Some((file, text, options)) = request else {
        return Err(Failure::new(report::diagnostics::error("the batch file cannot be read", None, None)));
    };
    let shown = a.file.display().to_string();
    let record = ketacalc::record::compute(&formula, &options, &batch, &file).map_err(|errors| {
        Failure::new(errors_in(&shown, &text, errors, ketacalc::formula::Omitted::default()))
    })?;
    let layout =
        Layout { width: width(a.width, a.output.is_some()), color: a.output.is_none() && color.stdout() };
    let format = match a.format {
        RecordFormat::Table => report::RecordFormat::Table,
        RecordFormat::Json => report::RecordFormat::Json,
        RecordFormat::Markdown => report::RecordFormat::Markdown,
        RecordFormat::Html => report::RecordFormat::Html,
    };
    let report = Report { formula: &formula, source: &source, batch: &batch, explain: false, layout };
    emit_beside(&report::record(format, &report, &record), a.output.as_deref(), &inputs)?;
    match record.release.status {
        ketacalc::record::ReleaseStatus::Ready => Ok(ExitCode::SUCCESS),
        _ => Ok(ExitCode::from(DECIDE)),
    }
}
