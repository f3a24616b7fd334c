//! Whole-process timing, side by side.

use std::process::{Command, Stdio};
use std::time::Instant;

/// One command and its timings.
pub struct Timed {
    pub name: &'static str,
    pub argv: Vec<String>,
    pub times: Vec<f64>,
}

impl Timed {
    pub fn new(name: &'static str, argv: &[&str]) -> Timed {
        Timed { name, argv: argv.iter().map(|s| s.to_string()).collect(), times: Vec::new() }
    }

    /// The median wall time, seconds.
    pub fn median(&self) -> f64 {
        let mut t = self.times.clone();
        t.sort_by(f64::total_cmp);
        let n = t.len();
        match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => t[n / 2],
            _ => (t[n / 2 - 1] + t[n / 2]) / 2.0,
        }
    }

    pub fn min(&self) -> f64 {
        self.times.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Runs a command once, started directly (no shell, whose own start would be timed
/// too), output to /dev/null; returns its wall time in seconds.
pub fn run_once(argv: &[String]) -> Result<f64, String> {
    let (prog, args) = argv.split_first().ok_or("empty command")?;
    let start = Instant::now();
    let status = Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run `{prog}`: {e}"))?;
    let elapsed = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("`{}` failed: {status}", argv.join(" ")));
    }
    Ok(elapsed)
}

/// Times the commands side by side: every round runs each command once, in an order
/// rotated from round to round, so that a change in the machine's load during the run
/// touches all of them alike and their ratios stay fair.
pub fn side_by_side(cmds: &mut [Timed], warmup: usize, rounds: usize) -> Result<(), String> {
    for _ in 0..warmup {
        for c in cmds.iter() {
            run_once(&c.argv)?;
        }
    }
    let n = cmds.len();
    for round in 0..rounds {
        for k in 0..n {
            let c = &mut cmds[(round + k) % n];
            let t = run_once(&c.argv)?;
            c.times.push(t);
        }
    }
    for c in cmds.iter() {
        println!(
            "  {:<14} median {:>10.6} s   fastest {:>10.6} s   ({} runs)",
            c.name,
            c.median(),
            c.min(),
            c.times.len()
        );
    }
    Ok(())
}

/// Peak resident set size in KiB of one run, from GNU time's `%M`.
pub fn peak_rss_kib(argv: &[String]) -> Result<u64, String> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .args(argv)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time: {e} (apt-get install time)"))?;
    if !out.status.success() {
        return Err(format!("`{}` failed under /usr/bin/time: {}", argv.join(" "), out.status));
    }
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| format!("no peak RSS in /usr/bin/time's output: {err}"))
}
