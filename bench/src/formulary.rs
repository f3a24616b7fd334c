//! The generated formulary: copies of the built-in formulas under new ids.

use std::path::Path;

/// The built-in formulas: (id, text), sorted by id.
pub fn sources(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let id = text
                .lines()
                .find_map(|l| l.strip_prefix("id = \"").and_then(|r| r.split('"').next()))
                .ok_or_else(|| format!("no top-level `id = \"...\"` line in {}", path.display()))?;
            out.push((id.to_string(), text));
        }
    }
    if out.is_empty() {
        return Err(format!("no formulas in {}", dir.display()));
    }
    out.sort();
    Ok(out)
}

/// Writes `n` files into `out`: file `i` is built-in formula `i mod 7` with its id
/// rewritten to `<id>-<i>`, named `<new id>.toml` (so `validate` finds every file
/// clean), in subfolders of 1,000 files, as a chain's formulary repository might be laid
/// out.
pub fn formulary(sources: &[(String, String)], out: &Path, n: usize) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", out.display());
    for i in 0..n {
        let (id, text) = &sources[i % sources.len()];
        let new_id = format!("{id}-{i}");
        // The first `id = "..."` line is the formula's own; ingredient ids come later.
        let text = text.replacen(&format!("id = \"{id}\""), &format!("id = \"{new_id}\""), 1);
        let dir = out.join(format!("group-{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&dir).map_err(io)?;
        }
        std::fs::write(dir.join(format!("{new_id}.toml")), text).map_err(io)?;
    }
    Ok(())
}
