//! Messages about a batch file's options, worded for the file: the calculation's errors
//! and their help lines name the flags (`give --weight 70kg`), which a batch file gives as
//! keys (`weight = "70kg"`); a flag given as well as the file would be refused.

use std::borrow::Cow;

use super::format::{LOT, options};

/// `text` with each batch flag it names in backticks, `` `--weight` `` or
/// `` `--weight 70kg` ``, written as the batch file's key, `` `weight` `` or
/// `` `weight = "70kg"` ``. Other text, user values among it, is left as it is.
pub fn for_file(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Every other part is inside backticks.
        if i % 2 == 1 { out.push_str(&as_key(part)) } else { out.push_str(part) }
    }
    out
}

/// One piece of code: a batch flag with or without a value, as the file's key.
fn as_key(code: &str) -> Cow<'_, str> {
    let Some(rest) = code.strip_prefix("--") else { return Cow::Borrowed(code) };
    let (flag, value) = match rest.split_once(' ') {
        Some((flag, value)) => (flag, Some(value)),
        None => (rest, None),
    };
    let key = flag.replace('-', "_");
    if !options().map(|k| k.name).chain(LOT.names()).any(|k| k == key) {
        return Cow::Borrowed(code);
    }
    match value {
        Some(v) => Cow::Owned(format!("{key} = \"{v}\"")),
        None => Cow::Owned(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_keys() {
        assert_eq!(
            for_file("an infusion is one bag: give `--weight`, `--dose` or `--bag`"),
            "an infusion is one bag: give `weight`, `dose` or `bag`"
        );
        assert_eq!(
            for_file("give the patient's weight, e.g. `--weight 70kg` or `--weight 154lb`"),
            "give the patient's weight, e.g. `weight = \"70kg\"` or `weight = \"154lb\"`"
        );
        assert_eq!(for_file("give a smaller `--min-volume` (…)"), "give a smaller `min_volume` (…)");
        assert_eq!(for_file("use `--assay`"), "use `assay`");
        // Not a batch flag, or not code: as it is.
        for same in [
            "run `ketacalc validate x.toml`",
            "`--format json`",
            "`--5` is not",
            "a -- b",
            "`unclosed --weight",
        ] {
            assert_eq!(for_file(same), same);
        }
    }
}
