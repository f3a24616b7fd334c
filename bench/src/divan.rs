//! Reading divan's table: `name  fastest │ slowest │ median │ mean │ samples │ iters`,
//! drawn as a tree.

use std::collections::BTreeMap;

/// Median times in seconds by path (`batch_size/troche_units/1`).
pub fn medians(output: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    for line in output.lines() {
        if !line.contains('│') {
            continue;
        }
        let body = line.trim_start_matches(['│', '├', '╰', '─', ' ']);
        let prefix_chars = line.chars().count() - body.chars().count();
        // Each tree level is drawn three characters wide; the first line (the bench
        // binary's name) has none.
        let depth = prefix_chars / 3;
        let mut columns = body.split('│');
        let first = columns.next().unwrap_or("");
        let mut words = first.split_whitespace();
        let Some(name) = words.next() else { continue };
        if prefix_chars == 0 {
            // The header: `ketacalc  fastest │ slowest │ ...`.
            stack.clear();
            continue;
        }
        stack.truncate(depth.saturating_sub(1));
        stack.push(name.to_string());
        // fastest is on the name's segment; then slowest, median, …
        let _slowest = columns.next();
        if let Some(median) = columns.next().and_then(parse_time) {
            out.insert(stack.join("/"), median);
        }
    }
    out
}

fn parse_time(cell: &str) -> Option<f64> {
    let mut parts = cell.split_whitespace();
    let value: f64 = parts.next()?.parse().ok()?;
    let scale = match parts.next()? {
        "ns" => 1e-9,
        "µs" | "us" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        _ => return None,
    };
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_tree() {
        let text = "ketacalc              fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ batch_size                       │               │               │               │         │
│  ├─ spray_ml                      │               │               │               │         │
│  │  ├─ 1            5.54 µs       │ 31.71 µs      │ 5.625 µs      │ 6.326 µs      │ 100     │ 100
│  │  ╰─ 100000       4.267 µs      │ 9.767 µs      │ 4.327 µs      │ 4.417 µs      │ 100     │ 100
╰─ worksheet_steps                  │               │               │               │         │
   ├─ compute_batch   12.51 µs      │ 24.15 µs      │ 12.82 µs      │ 13.04 µs      │ 100     │ 100
   ╰─ render_table    162.6 µs      │ 300.3 µs      │ 171.5 ms      │ 181.6 µs      │ 100     │ 100
";
        let m = super::medians(text);
        assert_eq!(m.len(), 4, "{m:?}");
        assert!((m["batch_size/spray_ml/1"] - 5.625e-6).abs() < 1e-12);
        assert!((m["batch_size/spray_ml/100000"] - 4.327e-6).abs() < 1e-12);
        assert!((m["worksheet_steps/compute_batch"] - 12.82e-6).abs() < 1e-12);
        assert!((m["worksheet_steps/render_table"] - 0.1715).abs() < 1e-9);
    }
}
