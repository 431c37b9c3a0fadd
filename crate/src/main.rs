//! `keyroster`: the command-line shell over the core, for scheduled audits and CI.
//!
//! It reads files (saved pages, CSV/TSV, Admin API JSON), prints the report, writes exports, and
//! exits 0 (ok), 1 (an unmuted finding at or above `--fail-on`) or 2 (an input could not be read;
//! the report of the readable ones is still produced). All logic lives in the library; this file
//! only parses arguments, reads and writes files, and maps the outcome to an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use keyroster::export;
use keyroster::ingest::limits::Limits;
use keyroster::ingest::Context;
use keyroster::ingest::Previous;
use keyroster::pull;
use keyroster::report::Severity;
use keyroster::{analyze, render, Inventory, Policy, Report};

/// mimalloc rather than the system's allocator. On the 5,000-key page: 0.88x the instructions
/// (malloc and free were 10% of them) and 297 page faults instead of 807 (each first touch of a
/// page costs a fault, ~4 µs on the 2-core VM the benchmarks run on), 0.95x the time. The
/// million-row cost export, which allocates little per row, takes 1.03-1.05x as long, in 56 MiB
/// at its peak rather than 44 (measured 2026-12-03; Cargo.toml says why version 2).
#[global_allocator]
static HEAP: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "keyroster",
    version,
    about = "Audit LLM platform API keys by owner and project, offline."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read pages and files, judge the keys, print the report and write exports.
    Audit(AuditArgs),
    /// Fetch the Admin API responses an audit reads into a folder, for `audit DIR` (the admin
    /// key comes from OPENAI_ADMIN_KEY / ANTHROPIC_ADMIN_KEY or --key-file, never an argument).
    Pull(PullArgs),
    /// Work with policy files.
    Policy {
        /// Print the default policy as a commented TOML file to start from.
        #[arg(long)]
        print_default: bool,
        /// Check a policy file and print the policy it gives.
        #[arg(long, value_name = "FILE")]
        check: Option<PathBuf>,
    },
    /// Print a page's structure with every text and value replaced by its type, safe to attach
    /// to a bug report when a page reads wrong or as nothing.
    Skeleton {
        /// A saved page (or any input file).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProviderArg {
    Openai,
    Anthropic,
}

impl From<ProviderArg> for pull::Provider {
    fn from(p: ProviderArg) -> Self {
        match p {
            ProviderArg::Openai => pull::Provider::OpenAi,
            ProviderArg::Anthropic => pull::Provider::Anthropic,
        }
    }
}

#[derive(clap::Args)]
struct PullArgs {
    /// Whose Admin API to read.
    #[arg(value_enum)]
    provider: ProviderArg,
    /// The folder to write into: new, or empty (a dated one, e.g. pulls/2026-11-22).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    net: NetArgs,
}

/// How to reach the Admin API (`pull`, and `audit --pull`).
#[derive(clap::Args)]
struct NetArgs {
    /// The first day of usage and costs, YYYY-MM-DD (default: 60 days ago).
    #[arg(long, value_name = "DATE")]
    since: Option<Date>,
    /// The API root, for a proxy (default https://api.openai.com/v1 or
    /// https://api.anthropic.com/v1); plain http only to this machine.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Read the admin key from FILE (readable only by you) instead of the environment.
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Seconds one request may take before it is retried (default 30).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// The first backoff after a 5xx or a timeout, in milliseconds (tests shorten it).
    #[arg(long, value_name = "MS", hide = true)]
    retry_base_ms: Option<u64>,
}

impl NetArgs {
    fn given(&self) -> bool {
        self.since.is_some()
            || self.base_url.is_some()
            || self.key_file.is_some()
            || self.timeout.is_some()
            || self.retry_base_ms.is_some()
    }
}

#[derive(clap::Args)]
struct AuditArgs {
    /// Saved pages (HTML), CSV/TSV exports, Admin API JSON files and folders of them (a
    /// `keyroster pull` folder too), in any mix.
    #[arg(required_unless_present = "pull", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Pull from this provider's Admin API into a temporary folder first, and audit it with
    /// the files named (see `keyroster pull --help` for the key and network options).
    #[arg(long, value_enum, value_name = "PROVIDER")]
    pull: Option<ProviderArg>,
    #[command(flatten)]
    net: NetArgs,
    /// "Today" for every age, YYYY-MM-DD (default: the current UTC date).
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    /// A policy file (TOML or JSON): thresholds, severities, disabled rules, mutes.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// A built-in policy preset: default, cis or strict (a policy file may name one too).
    #[arg(long, value_name = "NAME", conflicts_with = "policy")]
    preset: Option<String>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write the Excel workbook to FILE.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Write the report as one self-contained HTML file to FILE (prints to PDF from a browser).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Write keys.csv, findings.csv, owners.csv, projects.csv and report.json into DIR.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Start CSV files with a UTF-8 byte order mark, for Excel.
    #[arg(long)]
    bom: bool,
    /// Exit 1 when an unmuted finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY")]
    fail_on: Option<Severity>,
    /// A previous audit (its report JSON or keys.csv): mark findings new, fixed and still open.
    #[arg(long, value_name = "FILE")]
    previous: Option<PathBuf>,
    /// The largest input read, in MiB (default 128); a larger file is refused unread.
    #[arg(long, value_name = "MIB")]
    max_input_mb: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Audit(args) => audit(args),
        Command::Pull(args) => pull_command(args),
        Command::Policy {
            print_default,
            check,
        } => policy(print_default, check),
        Command::Skeleton { file } => skeleton(&file),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("keyroster: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

fn display_name(path: &Path) -> String {
    path.display().to_string()
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A progress bar on stderr for a file large enough to take more than a moment, when stderr is
/// a terminal; a hidden one (drawing nothing) otherwise.
fn progress(file: &std::fs::File, name: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    const LARGE: u64 = 16 << 20;
    let len = file.metadata().map_or(0, |m| m.len());
    if len < LARGE || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    );
    if let Ok(style) = style {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(name.to_string());
    bar
}

fn policy(print_default: bool, check: Option<PathBuf>) -> Result<ExitCode> {
    if let Some(path) = check {
        let p = Policy::load(&display_name(&path), &read_text(&path)?)?;
        println!("{}: valid ({} policy)", path.display(), p.preset_name());
        return Ok(ExitCode::SUCCESS);
    }
    if print_default {
        print!("{}", Policy::default_toml());
        return Ok(ExitCode::SUCCESS);
    }
    anyhow::bail!("say what to do: --print-default, or --check FILE")
}

fn skeleton(path: &Path) -> Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    print!(
        "{}",
        keyroster::ingest::html::skeleton::of_bytes(&display_name(path), &bytes)
    );
    Ok(ExitCode::SUCCESS)
}

fn load_policy(args: &AuditArgs) -> Result<Policy> {
    Ok(match (&args.policy, &args.preset) {
        (Some(path), _) => Policy::load(&display_name(path), &read_text(path)?)?,
        (None, Some(name)) => Policy::preset(name)?,
        (None, None) => Policy::default(),
    })
}

fn load_previous(path: &Path) -> Result<Previous> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(keyroster::ingest::previous::read(
        &display_name(path),
        &bytes,
    )?)
}

/// Pulls into `out`, printing what is missing on stderr.
fn run_pull(
    provider: ProviderArg,
    out: &Path,
    net: &NetArgs,
    as_of: Date,
) -> Result<pull::Manifest> {
    use std::io::IsTerminal;
    let provider = pull::Provider::from(provider);
    let key = pull::AdminKey::load(provider, net.key_file.as_deref())?;
    let mut patience = pull::Patience::default();
    if let Some(secs) = net.timeout {
        anyhow::ensure!(
            secs.is_finite() && secs > 0.0,
            "--timeout must be a positive number of seconds"
        );
        patience.timeout = std::time::Duration::from_secs_f64(secs);
    }
    if let Some(ms) = net.retry_base_ms {
        patience.backoff = std::time::Duration::from_millis(ms);
    }
    let opts = pull::Options {
        provider,
        out: out.to_path_buf(),
        since: net.since.unwrap_or_else(|| {
            as_of
                .checked_sub(jiff::Span::new().days(60))
                .unwrap_or(as_of)
        }),
        base_url: net.base_url.clone(),
        patience,
        progress: std::io::stderr().is_terminal(),
    };
    let manifest = pull::run(&opts, key)?;
    for line in manifest.summary(out) {
        eprintln!("keyroster: {line}");
    }
    Ok(manifest)
}

fn pull_command(args: PullArgs) -> Result<ExitCode> {
    let manifest = run_pull(args.provider, &args.out, &args.net, today())?;
    Ok(if manifest.complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn audit(mut args: AuditArgs) -> Result<ExitCode> {
    let as_of = args.as_of.unwrap_or_else(today);
    let policy = load_policy(&args)?;
    let previous = args.previous.as_deref().map(load_previous).transpose()?;
    anyhow::ensure!(
        args.pull.is_some() || !args.net.given(),
        "--since, --base-url, --key-file and --timeout go with --pull"
    );
    // Removed (with every response in it) when the audit ends.
    let pulled = match args.pull {
        Some(provider) => {
            let dir = pull::folder::TempFolder::new()?;
            run_pull(provider, dir.path(), &args.net, as_of)?;
            args.files.push(dir.path().to_path_buf());
            Some(dir)
        }
        None => None,
    };
    let inputs = pull::folder::expand(&args.files);

    let mut limits = Limits::default();
    if let Some(mb) = args.max_input_mb {
        limits.max_input_bytes = mb.saturating_mul(1024 * 1024);
    }
    let mut inv = Inventory::default();
    for path in &inputs.files {
        let ctx = Context::new(display_name(path), as_of);
        // A file over the limit is refused before it is read into memory, unless it is delimited
        // text, which is streamed in bounded memory whatever its size.
        let streams = std::fs::File::open(path).ok().is_some_and(|f| {
            let mut head = Vec::new();
            std::io::Read::read_to_end(&mut std::io::Read::take(f, 8 * 1024), &mut head).is_ok()
                && keyroster::ingest::streams_as_delimited(&head)
        });
        let too_big = std::fs::metadata(path)
            .ok()
            .and_then(|m| usize::try_from(m.len()).ok())
            .filter(|_| !streams)
            .and_then(|len| limits.check_input(&ctx.name, len).err());
        if let Some(e) = too_big {
            inv.record_source(keyroster::model::Source {
                name: ctx.name.clone(),
                kind: "unknown".into(),
                error: Some(e.to_string()),
                ..Default::default()
            });
            continue;
        }
        // A buffered stream, never the whole file: a cost export of a gigabyte is read in
        // bounded memory (see Inventory::ingest_stream).
        match std::fs::File::open(path) {
            Ok(file) => {
                let bar = progress(&file, &ctx.name);
                let refused = inv
                    .ingest_stream(&ctx, bar.wrap_read(std::io::BufReader::new(file)), &limits)
                    .error
                    .is_some();
                bar.finish_and_clear();
                // A refused input (it was within the size limit) is read again whole, so it is
                // swept for secrets like any other refused input (a notes CSV holding a key).
                if refused {
                    if let Ok(bytes) = std::fs::read(path) {
                        inv.ingest_with(&ctx, &bytes, &limits);
                    }
                }
            }
            Err(e) => inv.record_source(keyroster::model::Source {
                name: ctx.name.clone(),
                kind: "unknown".into(),
                error: Some(format!("{}: cannot read: {e}", ctx.name)),
                ..Default::default()
            }),
        }
    }

    pull::folder::settle(&mut inv, &inputs.pulls);
    drop(pulled);

    // The previous audit stays beside the inventory: the report is made with it, not patched.
    // Nothing reads the inventory after this: its keys move into the report.
    let report = analyze::audit_taking_keys(&mut inv, &policy, as_of, previous.as_ref());

    write_outputs(&args, &report)?;
    use std::io::Write;
    let stdout = match args.format {
        Format::Table => render::table(&report).into_bytes(),
        Format::Markdown => render::markdown(&report).into_bytes(),
        // Streamed: the report JSON of a large roster is megabytes, written as it is made.
        Format::Json => {
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
            export::json::write_report(&report, &mut out)
                .and_then(|()| out.flush())
                .context("cannot write to standard output")?;
            Vec::new()
        }
        Format::Csv => export::csv::keys(
            &report,
            &export::csv::CsvOptions {
                bom: args.bom,
                ..Default::default()
            },
        ),
    };
    std::io::stdout()
        .write_all(&stdout)
        .context("cannot write to standard output")?;

    let code = exit_code(&report, args.fail_on);
    // The process ends here: the operating system takes its memory back at once, while dropping
    // the report, the inventory and the output (tens of thousands of small allocations for a
    // 5,000-key page) would walk and free each one, 5% of such a run. `pulled` was removed
    // above, and nothing else here owns a resource the OS would not release.
    std::mem::forget(stdout);
    std::mem::forget(report);
    std::mem::forget(inv);
    Ok(code)
}

/// 2 when an input could not be read (each error printed), else 1 when an unmuted finding is at
/// or above `fail_on`, else 0.
fn exit_code(report: &Report, fail_on: Option<Severity>) -> ExitCode {
    let failed: Vec<&str> = report
        .sources
        .iter()
        .filter_map(|s| s.error.as_deref())
        .collect();
    for e in &failed {
        eprintln!("keyroster: {e}");
    }
    if !failed.is_empty() {
        return ExitCode::from(2);
    }
    if let Some(threshold) = fail_on {
        let hit = report
            .findings
            .iter()
            .filter(|f| f.muted.is_none() && f.severity >= threshold)
            .count();
        if hit > 0 {
            eprintln!("keyroster: {hit} unmuted finding(s) at or above {threshold}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

fn write_outputs(args: &AuditArgs, report: &Report) -> Result<()> {
    let opts = export::csv::CsvOptions {
        bom: args.bom,
        ..Default::default()
    };
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for name in export::OUT_DIR_FILES {
            let bytes = export::by_name(report, name, &opts)?;
            let path = dir.join(name);
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    if let Some(path) = &args.xlsx {
        let bytes = export::by_name(report, "xlsx", &opts)?;
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.html {
        std::fs::write(path, export::html::report(report))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
