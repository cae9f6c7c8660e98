//! Heap leak demo: the program the book runs under Valgrind (chapter 2,
//! "Detecting memory leaks", "Introduction to Valgrind"), in Rust.
//!
//! - No sockets. Allocates 4 bytes (`--bytes`), prints `b = 0` and
//!   `leaking <n> bytes`, and never frees them (`--no-leak` frees them).
//! - Run it under `cargo run -p harness -- leak-check heap-leak-demo`.
//!
//! The heap check reports the leak as "definitely lost". The book's other error,
//! printing an uninitialised `int`, cannot be written in safe Rust: the compiler
//! rejects a read of a variable before it is assigned.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = Args::parse();
    lab::run(|| {
        allocate(&args);
        Ok(())
    })
}

// ANCHOR: leak
fn allocate(args: &Args) {
    let size = usize::try_from(args.bytes).unwrap_or(usize::MAX);
    // The book's `char* a = malloc(4);`: a block on the heap, owned by `a`.
    let a: Vec<u8> = vec![0; size];
    // The book's `int b; printf("b = %d\n", b);` reads `b` before it is set;
    // Rust refuses to compile that, so `b` is initialised.
    let b = 0;
    println!("b = {b}");
    if args.no_leak {
        println!("freeing {} bytes", a.len());
        // `a` is dropped here, and its block freed, as at the end of any scope.
    } else {
        println!("leaking {} bytes", a.len());
        // Safe Rust can leak on purpose: the block stays allocated, and no
        // pointer to it is kept — Valgrind's "definitely lost".
        std::mem::forget(std::hint::black_box(a));
    }
}
// ANCHOR_END: leak

/// Leaks a few bytes on purpose, for the heap check to find: the Valgrind
/// example of the book's chapter 2, "Introduction to Valgrind".
#[derive(Parser)]
#[command(version)]
struct Args {
    /// How many bytes to allocate (in one block, at most 1 MiB).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1 << 20))]
    bytes: u32,
    /// Free the block before exiting: the heap check then reports no leak.
    #[arg(long)]
    no_leak: bool,
}
