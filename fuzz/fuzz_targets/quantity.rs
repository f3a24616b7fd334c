//! Every quantity parser on arbitrary text: an `Ok` or a typed error, never a panic.
#![no_main]

use ketacalc::quantity::{Amount, Percent, Quantity, parse_count, parse_number, parse_whole_count};
use ketacalc::unit::Dimension;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    if let Ok(q) = Quantity::parse(text) {
        let _ = q.to_base();
        let _ = q.to_string();
    }
    let _ = Quantity::parse_dim(text, Dimension::Volume, "a volume");
    if let Ok(a) = Amount::parse(text) {
        let _ = a.to_base();
        let _ = a.dimension();
        let _ = a.to_string();
    }
    if let Ok(p) = Percent::parse(text) {
        let _ = p.fraction();
    }
    let _ = parse_count(text);
    let _ = parse_whole_count(text);
    let _ = parse_number(text);
    for e in [Quantity::parse(text).err(), Amount::parse(text).err()].into_iter().flatten() {
        let _ = e.help();
        let _ = e.to_string();
    }
});
