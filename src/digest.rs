//! The SHA-256 of a file's bytes as every report prints it: 64 lowercase hex digits.
//!
//! One function for both places that hash a formula file: `report::Source` at run time,
//! and `build.rs`, which includes this file to hash the built-in formulas when the binary
//! is built, so that the two cannot disagree on the form.

/// The SHA-256 of `bytes`, lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    sha2::Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_hash_is_the_standard_one_in_lowercase_hex() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
