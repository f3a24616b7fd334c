//! Embeds the repository's `formulas/` folder into the binary, so that an installed
//! `ketacalc` has the built-in formulary wherever it runs, each file with its SHA-256
//! (a worksheet names the hash of its formula; hashing at a start would first ask the
//! processor whether it has SHA instructions, a `cpuid` that traps on a virtual machine).
//!
//! Each file is read once and copied into `OUT_DIR`, and the copy is what is embedded, so
//! the hash is of the very bytes the binary holds.

use std::fmt::Write;
use std::path::Path;

/// The crate's own hash form (`src/digest.rs`), so the built-in hashes are written as the
/// run-time ones are.
#[path = "src/digest.rs"]
mod digest;

fn main() {
    println!("cargo:rerun-if-changed=formulas");
    // Read at run time, not `env!` at the build script's compile time: a build script
    // compiled in another checkout (a copied `target/`) would embed that checkout's files.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    let dir = Path::new(&manifest).join("formulas");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from(
        "/// The built-in formulary: (file name, contents, SHA-256 of the contents).\npub(crate) static BUILT_IN: &[(&str, &str, &str)] = &[\n",
    );
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let copies = out_dir.join("formulas");
    if let Err(e) = std::fs::create_dir_all(&copies) {
        println!("cargo:warning=cannot make {}: {e}", copies.display());
    }
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("cargo:warning=cannot read {}: {e}", path.display());
                continue;
            }
        };
        let copy = copies.join(name);
        if let Err(e) = std::fs::write(&copy, &bytes) {
            println!("cargo:warning=cannot write {}: {e}", copy.display());
        }
        let sha256 = digest::sha256_hex(&bytes);
        let _ = writeln!(code, "    ({name:?}, include_str!({:?}), {sha256:?}),", copy.display().to_string());
    }
    code.push_str("];\n");
    let out = out_dir.join("formulary.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
