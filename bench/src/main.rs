//! `bench-run`: ketacalc's whole benchmark suite, started by `bench/run` once everything
//! is built. Generates the formularies, times whole processes side by side against their
//! floors, measures peak memory, runs the in-process divan benches (`cargo bench`), and
//! prints every median and every ratio against its target, PASS or FAIL.
//!
//! ```text
//! bench-run --repo DIR [--quick] [--skip-divan] [--instructions]
//! bench-run --repo DIR --generate OUT N     # only write a formulary of N files
//! bench-run --time ROUNDS 'CMD ARGS' 'CMD ARGS' ...
//!                                            # time any commands side by side
//! ```
//!
//! Exits 1 when a target is missed, 2 when the suite itself could not run.

mod divan;
mod formulary;
mod timing;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use timing::Timed;

struct Config {
    repo: PathBuf,
    quick: bool,
    skip_divan: bool,
    instructions: bool,
}

/// `validate` of 5,000 files against the single-thread TOML floor (issue 24).
const VALIDATE_TARGET: f64 = 0.6;

/// A whole run of each command of [`STARTS`] against the process floor (issue 24).
const START_TARGET: f64 = 1.25;

/// The commands timed as whole processes against the process floor, each run from the
/// repository's root: a name and the arguments after `ketacalc`. To time another command,
/// add a line. Each must exit 0 (a record that needs a decision exits 3), so the record
/// timed is a complete one.
const STARTS: &[(&str, &[&str])] = &[
    ("batch troche", &["batch", "ketamine-hcl-troche-50", "--format", "json"]),
    ("batch troche --date", &["batch", "ketamine-hcl-troche-50", "--format", "json", "--date", "2026-11-26"]),
    ("batch infusion", &["batch", "ketamine-iv-0.5mgkg-100ml", "--weight", "70kg", "--format", "json"]),
    (
        "batch --from troche",
        &["batch", "--from", "tests/fixtures/batch-files/troche-60.toml", "--format", "json"],
    ),
    (
        "batch --from infusion",
        &["batch", "--from", "tests/fixtures/batch-files/iv-70kg.toml", "--format", "json"],
    ),
    ("label troche", &["label", "ketamine-hcl-troche-50", "--date", "2026-11-26"]),
    ("record spray", &["record", "tests/fixtures/cases/record-spray-20ml-ready/ns-20ml.toml"]),
];

/// Removes the generated formularies however the run ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One line of the summary.
struct Row {
    what: String,
    value: String,
    target: String,
    pass: Option<bool>,
}

impl Row {
    fn info(what: impl Into<String>, value: impl Into<String>) -> Row {
        Row { what: what.into(), value: value.into(), target: String::new(), pass: None }
    }

    fn at_most(what: impl Into<String>, ratio: f64, max: f64, detail: String) -> Row {
        Row {
            what: what.into(),
            value: format!("**{ratio:.2}×** ({detail})"),
            target: format!("≤ {max}×"),
            pass: Some(ratio <= max),
        }
    }

    fn between(what: impl Into<String>, ratio: f64, min: f64, max: f64, detail: String) -> Row {
        Row {
            what: what.into(),
            value: format!("**{ratio:.2}×** ({detail})"),
            target: format!("{min}× to {max}×"),
            pass: Some(ratio >= min && ratio <= max),
        }
    }
}

fn secs(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else {
        format!("{:.2} µs", s * 1e6)
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn load_average() -> String {
    read("/proc/loadavg").split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn machine() -> Vec<String> {
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name").map(|r| r.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kib: u64 = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    vec![
        format!("machine: {cpu}, {cores} cores, {:.0} GiB", mem_kib as f64 / 1048576.0),
        format!("kernel: Linux {}; {rustc}", read("/proc/sys/kernel/osrelease").trim()),
        format!("TZ: {}", std::env::var("TZ").unwrap_or_else(|_| "(unset: /etc/localtime)".into())),
    ]
}

fn output_of(argv: &[String]) -> Result<String, String> {
    let (prog, args) = argv.split_first().ok_or("empty command")?;
    let out = Command::new(prog)
        .args(args)
        .env_remove("KETACALC_FORMULAS")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{prog}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{}` failed: {}\n{}",
            argv.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn median_u64(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn run(cfg: &Config) -> Result<bool, String> {
    let started = Instant::now();
    let tmp = TempDir(std::env::temp_dir().join(format!("ketacalc-bench-{}", std::process::id())));
    // Every program is timed from a fresh copy in the run's own folder, the floors as
    // ketacalc. How a binary's pages came to be in the page cache changes the cost of its
    // start by up to a tenth of the floor (a file the linker wrote, one copied, one read
    // back from the disk; BENCHMARKS.md, fourth round), and more the larger the binary; a
    // copy made now puts every program in the same state, the state of one just installed.
    let bin_dir = tmp.0.join("bin");
    std::fs::create_dir_all(&bin_dir).map_err(|e| format!("{}: {e}", bin_dir.display()))?;
    let bin = |p: &str| -> Result<String, String> {
        let from = cfg.repo.join(p);
        if !from.exists() {
            return Err(format!("{} is missing: run bench/run, which builds it", from.display()));
        }
        let to = bin_dir.join(from.file_name().unwrap_or_default());
        std::fs::copy(&from, &to).map_err(|e| format!("copying {}: {e}", from.display()))?;
        Ok(to.display().to_string())
    };
    let ketacalc = bin("target/release/ketacalc")?;
    let toml_floor = bin("bench/target/release/toml-floor")?;
    let hello_floor = bin("bench/target/release/hello-floor")?;
    let stack_floor = bin("bench/target/release/stack-floor")?;
    // The commands name files of the repository (`tests/fixtures/…`) by relative paths.
    std::env::set_current_dir(&cfg.repo).map_err(|e| format!("{}: {e}", cfg.repo.display()))?;
    let mut header = machine();
    let load_start = load_average();
    header.push(format!("load average at start: {load_start}"));
    for l in &header {
        println!("{l}");
    }

    // The formularies.
    let sources = formulary::sources(&cfg.repo.join("formulas"))?;
    let sizes: [usize; 2] = [5_000, 50_000];
    let mut dirs = Vec::new();
    for n in sizes {
        let dir = tmp.0.join(format!("formulary-{n}"));
        let t = Instant::now();
        formulary::formulary(&sources, &dir, n)?;
        println!("generated {n} files in {} ({:.1}s)", dir.display(), t.elapsed().as_secs_f64());
        // Both programs must see every file, and validate must find them all clean.
        let v = output_of(&[
            ketacalc.clone(),
            "validate".into(),
            "--format".into(),
            "json".into(),
            dir.display().to_string(),
        ])?;
        let compact: String = v.split_whitespace().collect();
        if !compact.contains(&format!("\"files\":{n},\"errors\":0,")) {
            return Err(format!(
                "validate did not find {n} clean files: {}",
                v.chars().take(300).collect::<String>()
            ));
        }
        let f = output_of(&[toml_floor.clone(), dir.display().to_string()])?;
        if f.trim() != format!("parsed {n} files, 0 failed") {
            return Err(format!("toml-floor: {f}"));
        }
        dirs.push(dir.display().to_string());
    }

    // The 55,000 files just written are still being written back to the disk: the kernel's
    // writeback threads would take processor time from the timed runs, more from
    // `validate`'s two threads than from the one-thread floor. Wait for them here.
    let synced = std::process::Command::new("sync").status();
    if !synced.is_ok_and(|s| s.success()) {
        println!("note: `sync` failed; the first timed runs may overlap the kernel's writeback");
    }

    let mut rows = Vec::new();

    // validate against the TOML floor, both sizes in one group so that the growth from
    // 5,000 to 50,000 files is measured side by side too.
    {
        let (warmup, rounds) = if cfg.quick { (0, 1) } else { (1, 9) };
        println!(
            "timing validate over 5,000 and 50,000 files against toml-floor, {rounds} rounds side by side…"
        );
        let (d5, d50) = (&dirs[0], &dirs[1]);
        let mut cmds = [
            Timed::new("toml-floor 5k", &[&toml_floor, d5]),
            Timed::new("validate 5k", &[&ketacalc, "validate", d5]),
            Timed::new("toml-floor 50k", &[&toml_floor, d50]),
            Timed::new("validate 50k", &[&ketacalc, "validate", d50]),
        ];
        timing::side_by_side(&mut cmds, warmup, rounds)?;
        let [f5, v5, f50, v50] = &cmds;
        let detail = |v: &Timed, f: &Timed| {
            let (q1, q3) = v.quartiles();
            format!(
                "{} vs {}, {rounds} runs; quartiles {} to {}; processor time {:.2}× ({} vs {})",
                secs(v.median()),
                secs(f.median()),
                secs(q1),
                secs(q3),
                v.cpu_median() / f.cpu_median(),
                secs(v.cpu_median()),
                secs(f.cpu_median())
            )
        };
        rows.push(Row::at_most(
            "`validate` 5,000 files ÷ TOML floor",
            v5.median() / f5.median(),
            VALIDATE_TARGET,
            detail(v5, f5),
        ));
        rows.push(Row::info(
            "`validate` 50,000 files ÷ TOML floor",
            format!("**{:.2}×** ({})", v50.median() / f50.median(), detail(v50, f50)),
        ));
        rows.push(Row::at_most(
            "`validate` time, 50,000 ÷ 5,000 files (linear: 10)",
            v50.median() / v5.median(),
            12.5,
            format!(
                "floor: {:.2}×; per file {} vs {}",
                f50.median() / f5.median(),
                secs(v50.median() / 50_000.0),
                secs(v5.median() / 5_000.0)
            ),
        ));
    }

    // Each command of STARTS against a process that starts and prints a line.
    {
        let rounds = if cfg.quick { 50 } else { 400 };
        println!("timing {} commands against hello-floor, {rounds} rounds side by side…", STARTS.len());
        let mut cmds = vec![Timed::new("hello-floor", &[&hello_floor])];
        for (name, args) in STARTS {
            let mut argv = vec![ketacalc.as_str()];
            argv.extend_from_slice(args);
            cmds.push(Timed::new(*name, &argv));
        }
        // Where a start goes, in the same run: the binary's own start (`--version`), and
        // the crates a worksheet needs with nothing of ketacalc (src/bin/stack-floor.rs).
        cmds.push(Timed::new("ketacalc --version", &[&ketacalc, "--version"]));
        cmds.push(Timed::new(
            "stack-floor",
            &[&stack_floor, "batch", "ketamine-hcl-troche-50", "--format", "json"],
        ));
        timing::side_by_side(&mut cmds, 10, rounds)?;
        let (hello, rest) = cmds.split_first().ok_or("no commands")?;
        let (starts, parts) = rest.split_at(STARTS.len());
        for t in parts {
            rows.push(Row::info(
                format!("`{}` ÷ process floor", t.name),
                format!(
                    "**{:.2}×** ({} vs {})",
                    t.median() / hello.median(),
                    secs(t.median()),
                    secs(hello.median())
                ),
            ));
        }
        for (t, (_, args)) in starts.iter().zip(STARTS) {
            let (q1, q3) = t.quartiles();
            rows.push(Row::at_most(
                format!("`ketacalc {}` ÷ process floor", args.join(" ")),
                t.median() / hello.median(),
                START_TARGET,
                format!(
                    "{} vs {}, {rounds} runs; quartiles {} to {} vs {} to {}",
                    secs(t.median()),
                    secs(hello.median()),
                    secs(q1),
                    secs(q3),
                    secs(hello.quartiles().0),
                    secs(hello.quartiles().1)
                ),
            ));
        }
    }

    // Instructions, which the machine's load does not change.
    if cfg.instructions {
        println!("counting instructions (valgrind --tool=callgrind)…");
        let count = |argv: &[&str]| -> Result<u64, String> {
            let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
            timing::instructions(&argv)?.ok_or_else(|| "valgrind is not installed".to_string())
        };
        let hello = count(&[&hello_floor])?;
        for (_, args) in STARTS {
            let mut argv = vec![ketacalc.as_str()];
            argv.extend_from_slice(args);
            let n = count(&argv)?;
            rows.push(Row::info(
                format!("instructions, `ketacalc {}` ÷ process floor", args.join(" ")),
                format!("**{:.2}×** ({n} vs {hello})", n as f64 / hello as f64),
            ));
        }
        // One folder of the 5,000 files: 1,000 of them.
        let one = Path::new(&dirs[0]).join("group-000").display().to_string();
        let (v, f) = (count(&[&ketacalc, "validate", &one])?, count(&[&toml_floor, &one])?);
        rows.push(Row::info(
            "instructions, `validate` 1,000 files ÷ TOML floor (every thread)",
            format!("**{:.2}×** ({} vs {} a file)", v as f64 / f as f64, v / 1000, f / 1000),
        ));
    }

    // Peak memory.
    {
        let runs = if cfg.quick { 1 } else { 3 };
        println!("measuring peak memory (/usr/bin/time, median of {runs})…");
        let mut rss = Vec::new();
        for dir in &dirs {
            let v = (0..runs)
                .map(|_| timing::peak_rss_kib(&[ketacalc.clone(), "validate".into(), dir.clone()]))
                .collect::<Result<Vec<_>, _>>()?;
            let f = timing::peak_rss_kib(&[toml_floor.clone(), dir.clone()])?;
            rss.push((median_u64(v), f));
        }
        if let [(v5, f5), (v50, f50)] = rss.as_slice() {
            rows.push(Row::info("peak RSS of `validate`, 5,000 files", format!("{v5} KiB (floor {f5} KiB)")));
            rows.push(Row::info(
                "peak RSS of `validate`, 50,000 files",
                format!("{v50} KiB (floor {f50} KiB)"),
            ));
            rows.push(Row::at_most(
                "peak RSS of `validate`, 50,000 ÷ 5,000 files",
                *v50 as f64 / *v5 as f64,
                2.0,
                format!("{v50} KiB vs {v5} KiB"),
            ));
        }
    }

    // In-process, with divan.
    if !cfg.skip_divan {
        println!("running the in-process benches (cargo bench --bench ketacalc)…");
        let out = Command::new("cargo")
            .args(["bench", "--locked", "--quiet", "--bench", "ketacalc"])
            .current_dir(&cfg.repo)
            .env_remove("KETACALC_FORMULAS")
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run cargo bench: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        print!("{text}");
        if !out.status.success() {
            return Err(format!("cargo bench failed: {}", out.status));
        }
        let m = divan::medians(&text);
        let get = |k: &str| m.get(k).copied().ok_or_else(|| format!("no median for `{k}` in divan's output"));
        for (k, what) in [
            ("worksheet_steps/parse_formula", "parse one formula (troche)"),
            ("worksheet_steps/compute_batch", "compute one batch (troche, reference)"),
            ("worksheet_steps/render_table", "render the table worksheet"),
            ("worksheet_steps/render_json", "render the JSON"),
            ("worksheet_steps/validate_check", "check one file as `validate` does (read excluded)"),
        ] {
            rows.push(Row::info(what, secs(get(k)?)));
        }
        for (group, unit, big) in [("troche_units", "units", "1000000"), ("spray_ml", "mL", "100000")] {
            let (one, mid, max) = (
                get(&format!("batch_size/{group}/1"))?,
                get(&format!("batch_size/{group}/1000"))?,
                get(&format!("batch_size/{group}/{big}"))?,
            );
            rows.push(Row::at_most(
                format!("compute {group}: {big} ÷ 1 {unit}"),
                max / one,
                1.25,
                format!("{} vs {}", secs(max), secs(one)),
            ));
            rows.push(Row::between(
                format!("compute {group}: {big} ÷ 1000 {unit}"),
                max / mid,
                0.8,
                1.25,
                format!("{} vs {}", secs(max), secs(mid)),
            ));
        }
        for step in ["parse", "compute", "validate_check"] {
            let (t2, t8, t32) = (
                get(&format!("ingredients/{step}/2"))?,
                get(&format!("ingredients/{step}/8"))?,
                get(&format!("ingredients/{step}/32"))?,
            );
            rows.push(Row::at_most(
                format!("{step}, 32 ÷ 8 ingredients (linear: ≤ 4)"),
                t32 / t8,
                5.0,
                format!("{} / {} / {} at 2 / 8 / 32", secs(t2), secs(t8), secs(t32)),
            ));
        }
    }

    let load_end = load_average();
    println!();
    println!("## ketacalc benchmarks");
    println!();
    for l in &header {
        println!("- {l}");
    }
    println!(
        "- load average at end: {load_end}; the whole run took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    println!();
    println!("| measure | median / ratio | target | result |");
    println!("|---|---|---|---|");
    let mut all = true;
    for r in &rows {
        let result = match r.pass {
            Some(true) => "PASS",
            Some(false) => {
                all = false;
                "FAIL"
            }
            None => "",
        };
        println!("| {} | {} | {} | {result} |", r.what, r.value, r.target);
    }
    println!();
    println!("{}", if all { "all targets met" } else { "SOME TARGETS MISSED" });
    Ok(all)
}

/// `--time`: each argument is one command (split at spaces, started without a shell),
/// timed side by side; every median (wall time, and processor time) is also given as a
/// ratio to the first command's.
fn time_commands(cmds: &[String], rounds: usize) -> Result<(), String> {
    let mut timed: Vec<Timed> =
        cmds.iter().map(|c| Timed::new(c.as_str(), &c.split_whitespace().collect::<Vec<_>>())).collect();
    let warmup = rounds.div_ceil(20).min(10);
    timing::side_by_side(&mut timed, warmup, rounds)?;
    let (wall, cpu) = timed.first().map_or((f64::NAN, f64::NAN), |t| (t.median(), t.cpu_median()));
    println!("wall    processor");
    for t in &timed {
        println!("{:.3}×  {:.3}×     {}", t.median() / wall, t.cpu_median() / cpu, t.name);
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut cfg = Config { repo: PathBuf::from("."), quick: false, skip_divan: false, instructions: false };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repo" => cfg.repo = args.next().map(PathBuf::from).unwrap_or_default(),
            "--quick" => cfg.quick = true,
            "--skip-divan" => cfg.skip_divan = true,
            "--instructions" => cfg.instructions = true,
            "--time" => {
                let Some(rounds) = args.next().and_then(|n| n.parse().ok()) else {
                    eprintln!("usage: bench-run --time ROUNDS 'CMD ARGS' 'CMD ARGS' ...");
                    return ExitCode::from(2);
                };
                let cmds: Vec<String> = args.collect();
                return match time_commands(&cmds, rounds) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("bench-run: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            "--generate" => {
                let (Some(out), Some(n)) = (args.next(), args.next().and_then(|n| n.parse().ok())) else {
                    eprintln!("usage: bench-run --repo DIR --generate OUT N");
                    return ExitCode::from(2);
                };
                let made = formulary::sources(&cfg.repo.join("formulas"))
                    .and_then(|s| formulary::formulary(&s, Path::new(&out), n));
                return match made {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("bench-run: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            _ => {
                eprintln!(
                    "usage: bench-run --repo DIR [--quick] [--skip-divan] [--instructions] | --generate OUT N | --time ROUNDS CMD..."
                );
                return ExitCode::from(2);
            }
        }
    }
    match run(&cfg) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("bench-run: {e}");
            ExitCode::from(2)
        }
    }
}
