//! `bench-run`: ketacalc's whole benchmark suite, started by `bench/run` once everything
//! is built. Generates the formularies, times whole processes side by side against their
//! floors, measures peak memory, runs the in-process divan benches (`cargo bench`), and
//! prints every median and every ratio against its target, PASS or FAIL.
//!
//! ```text
//! bench-run --repo DIR [--quick] [--skip-divan]
//! bench-run --repo DIR --generate OUT N     # only write a formulary of N files
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
}

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
    let bin = |p: &str| cfg.repo.join(p).display().to_string();
    let ketacalc = bin("target/release/ketacalc");
    let toml_floor = bin("bench/target/release/toml-floor");
    let hello_floor = bin("bench/target/release/hello-floor");
    for b in [&ketacalc, &toml_floor, &hello_floor] {
        if !Path::new(b).exists() {
            return Err(format!("{b} is missing: run bench/run, which builds it"));
        }
    }
    let mut header = machine();
    let load_start = load_average();
    header.push(format!("load average at start: {load_start}"));
    for l in &header {
        println!("{l}");
    }

    // The formularies.
    let tmp = TempDir(std::env::temp_dir().join(format!("ketacalc-bench-{}", std::process::id())));
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
        for (n, v, f) in [("5,000", v5, f5), ("50,000", v50, f50)] {
            rows.push(Row::at_most(
                format!("`validate` {n} files ÷ TOML floor"),
                v.median() / f.median(),
                1.5,
                format!("{} vs {}, {rounds} runs", secs(v.median()), secs(f.median())),
            ));
        }
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

    // One worksheet against a process that starts and prints a line.
    {
        let rounds = if cfg.quick { 50 } else { 400 };
        println!("timing one worksheet against hello-floor, {rounds} rounds side by side…");
        let batch = [ketacalc.as_str(), "batch", "ketamine-hcl-troche-50", "--format", "json"];
        let mut dated = batch.to_vec();
        dated.extend(["--date", "2026-11-26"]);
        let mut cmds = [
            Timed::new("hello-floor", &[&hello_floor]),
            Timed::new("batch", &batch),
            Timed::new("batch --date", &dated),
        ];
        timing::side_by_side(&mut cmds, 10, rounds)?;
        let [hello, batch, dated] = &cmds;
        rows.push(Row::at_most(
            "`batch ketamine-hcl-troche-50 --format json` ÷ process floor",
            batch.median() / hello.median(),
            3.0,
            format!("{} vs {}, {rounds} runs", secs(batch.median()), secs(hello.median())),
        ));
        rows.push(Row::at_most(
            "the same with `--date 2026-11-26` ÷ process floor",
            dated.median() / hello.median(),
            3.0,
            format!(
                "{} vs {}; fastest runs {} / {} / {}",
                secs(dated.median()),
                secs(hello.median()),
                secs(batch.min()),
                secs(dated.min()),
                secs(hello.min())
            ),
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

fn main() -> ExitCode {
    let mut cfg = Config { repo: PathBuf::from("."), quick: false, skip_divan: false };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repo" => cfg.repo = args.next().map(PathBuf::from).unwrap_or_default(),
            "--quick" => cfg.quick = true,
            "--skip-divan" => cfg.skip_divan = true,
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
                eprintln!("usage: bench-run --repo DIR [--quick] [--skip-divan] | --generate OUT N");
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
