//! The floor for one worksheet as a whole process: a Rust program that starts and
//! prints one line.

fn main() {
    println!("hello");
}
