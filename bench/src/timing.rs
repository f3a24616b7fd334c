//! Whole-process timing, side by side: wall time, and the processor time (user and
//! system, every thread) the process used, from `wait4`.

use std::process::{Command, Stdio};
use std::time::Instant;

/// One command and its timings.
pub struct Timed {
    pub name: String,
    pub argv: Vec<String>,
    /// Wall times, seconds.
    pub times: Vec<f64>,
    /// Processor times (user + system), seconds.
    pub cpu: Vec<f64>,
}

fn median_of(v: &[f64]) -> f64 {
    let mut t = v.to_vec();
    t.sort_by(f64::total_cmp);
    let n = t.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => t[n / 2],
        _ => (t[n / 2 - 1] + t[n / 2]) / 2.0,
    }
}

impl Timed {
    pub fn new(name: impl Into<String>, argv: &[&str]) -> Timed {
        Timed {
            name: name.into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            times: Vec::new(),
            cpu: Vec::new(),
        }
    }

    /// The median wall time, seconds.
    pub fn median(&self) -> f64 {
        median_of(&self.times)
    }

    /// The median processor time, seconds.
    pub fn cpu_median(&self) -> f64 {
        median_of(&self.cpu)
    }

    pub fn min(&self) -> f64 {
        self.times.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// The spread of the wall times: the first and third quartiles, seconds.
    pub fn quartiles(&self) -> (f64, f64) {
        let mut t = self.times.clone();
        t.sort_by(f64::total_cmp);
        let at = |q: usize| t.get((t.len().saturating_sub(1)) * q / 4).copied().unwrap_or(f64::NAN);
        (at(1), at(3))
    }
}

/// Runs a command once, started directly (no shell, whose own start would be timed
/// too), output to /dev/null; returns its wall time and its processor time, seconds.
pub fn run_once(argv: &[String]) -> Result<(f64, f64), String> {
    let (prog, args) = argv.split_first().ok_or("empty command")?;
    let start = Instant::now();
    let child = Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run `{prog}`: {e}"))?;
    let (status, cpu) = wait4(child.id())?;
    let elapsed = start.elapsed().as_secs_f64();
    if status != 0 {
        return Err(format!("`{}` failed: wait status {status}", argv.join(" ")));
    }
    Ok((elapsed, cpu))
}

/// Waits for the process `pid` (a child) and returns its wait status and the processor
/// time it used, user and system, seconds (`std` gives the status only). The child is
/// reaped here; its `std::process::Child` is dropped without waiting.
fn wait4(pid: u32) -> Result<(i32, f64), String> {
    let pid = libc::pid_t::try_from(pid).map_err(|e| e.to_string())?;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills in; both pointers are valid for
    // the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    Ok((status, secs(usage.ru_utime) + secs(usage.ru_stime)))
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
            let (t, cpu) = run_once(&c.argv)?;
            c.times.push(t);
            c.cpu.push(cpu);
        }
    }
    for c in cmds.iter() {
        let (q1, q3) = c.quartiles();
        println!(
            "  {:<24} median {:>10.6} s (quartiles {:.6} to {:.6}, fastest {:.6})   cpu {:>10.6} s   ({} runs)",
            c.name,
            c.median(),
            q1,
            q3,
            c.min(),
            c.cpu_median(),
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

/// The instructions a run executes, counted by valgrind's callgrind (the same count
/// every run, whatever the machine's load; threads are run one at a time, so this is
/// the work of every thread together). `None` when valgrind is not installed.
pub fn instructions(argv: &[String]) -> Result<Option<u64>, String> {
    if Command::new("valgrind").arg("--version").stdout(Stdio::null()).status().is_err() {
        return Ok(None);
    }
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .args(argv)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("`{}` failed under valgrind: {}\n{err}", argv.join(" "), out.status));
    }
    let n = err
        .lines()
        .find_map(|l| l.split_once("Collected : ").map(|(_, n)| n.trim().to_string()))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no instruction count in valgrind's output: {err}"))?;
    Ok(Some(n))
}
