//! # Thread synchronisation with a reentrant lock (RLock)
//!
//! **Book:** 1st edition §2.7 *Thread synchronization with RLock*
//! (「2.7 使用RLock进行线程同步」; printed edition「使用RLock实现线程同步」).
//! 2nd edition `Chapter02/Rlock.py` (第2章 基于线程的并行性).
//!
//! **Run:** `cargo run --bin thread_rlock` (or `cookbook run 2.7`).
//! Try `--random` (the 2nd edition's version) and `--non-reentrant`.
//!
//! ## What it shows
//!
//! A box of items has `add()` and `remove()`. Each takes the box's lock and then
//! calls `execute(±1)`, which takes the *same* lock again before it changes the
//! count. With an ordinary lock the second acquisition would wait for the first to
//! be released, by the thread that is waiting: a deadlock. A reentrant lock lets
//! the thread that owns it lock it again; it is free once every acquisition has
//! been released. One thread adds items and another removes them, sleeping 1 s
//! after each.
//!
//! - Default (1st edition): 5 items added, 5 removed, 0 left.
//! - `--random` (2nd edition): 10–20 items added and 1–10 removed (seeded).
//! - `--non-reentrant`: the same box around a `std::sync::Mutex`, which is not
//!   reentrant. `execute()` tries the lock its caller already holds with
//!   `try_lock`, is refused, and reports the deadlock that `lock()` would have
//!   caused; the recipe then exits 0 without hanging.
//!
//! **Book error this recipe fixes.** The 1st edition starts the adder thread with
//! `target=add`, a name that does not exist at that point; the intended target is
//! the `adder` function, which is what runs here.
//!
//! ## Python → Rust
//!
//! - `threading.RLock()` → `parking_lot::ReentrantMutex` (std has no reentrant
//!   mutex). A reentrant mutex hands out only *shared* references, because the
//!   same thread may hold two guards at once; two `&mut` to the count would break
//!   Rust's aliasing rule. So the count sits in a `Cell<i64>`, changed with
//!   `get`/`set`.
//! - `std::sync::Mutex` is not reentrant: locking it again on the thread that
//!   holds it deadlocks or panics (the documentation leaves it unspecified).
//!   `try_lock` is the safe way to show it.
//! - An RLock's "only the owner may release" is automatic in Rust: the guard
//!   belongs to the thread that locked, and releasing is dropping it.
//! - The thread functions return how many items they handled, and `join()` hands
//!   that value back to main: no shared counter needed for the report.
//!
//! ## Output
//!
//! The book's lines, then the facts `added`, `removed`, `remaining` (= added −
//! removed). With `--non-reentrant`: `reentrant_error = true`.

use std::cell::Cell;
use std::process;
use std::sync::{Arc, Mutex, TryLockError};
use std::thread;

use clap::Parser;
use cookbook_support::rng::{Rng, seeded};
use cookbook_support::{Common, EXIT_FAILURE};
use parking_lot::ReentrantMutex;

/// A box whose add() and remove() lock a reentrant lock and call execute(),
/// which locks it again (1st edition §2.7, 2nd edition Rlock.py).
#[derive(Parser)]
#[command(name = "thread_rlock")]
struct Args {
    /// Items to add and to remove (the 1st edition's 5).
    #[arg(long, default_value_t = 5, value_parser = cookbook_support::positive_usize)]
    items: usize,

    /// The 2nd edition: add a random 10 to 20 items and remove 1 to 10.
    #[arg(long, conflicts_with = "items")]
    random: bool,

    /// Use a std Mutex, which is not reentrant, and show that execute() cannot
    /// lock it again (no deadlock: try_lock reports it).
    #[arg(long, conflicts_with_all = ["items", "random"])]
    non_reentrant: bool,

    #[command(flatten)]
    common: Common,
}

/// The book's `Box` (Rust's prelude already has a `Box`). The reentrant lock owns
/// the count, as a `Mutex` would.
struct ItemBox {
    total_items: ReentrantMutex<Cell<i64>>,
}

impl ItemBox {
    fn new() -> Self {
        ItemBox { total_items: ReentrantMutex::new(Cell::new(0)) }
    }

    /// Lock (perhaps again, on the same thread) and change the count.
    fn execute(&self, n: i64) {
        let items = self.total_items.lock();
        items.set(items.get() + n);
    }

    fn add(&self) {
        let _guard = self.total_items.lock();
        self.execute(1); // locks a second time: fine, this thread owns the lock
    }

    fn remove(&self) {
        let _guard = self.total_items.lock();
        self.execute(-1);
    }

    fn total(&self) -> i64 {
        self.total_items.lock().get()
    }
}

/// Which edition's messages the two threads print.
#[derive(Clone, Copy)]
enum Style {
    First,
    Second,
}

/// The adder thread: add `items` items, sleeping 1 s after each. Returns how
/// many it added.
fn adder(bx: &ItemBox, mut items: usize, style: Style, common: &Common) -> usize {
    let mut added = 0;
    if let Style::Second = style {
        println!("N° {items} items to ADD");
    }
    while items > 0 {
        if let Style::First = style {
            println!("adding 1 item in the box");
        }
        bx.add();
        added += 1;
        common.sleep(1.0);
        items -= 1;
        if let Style::Second = style {
            println!("ADDED one item -->{items} item to ADD");
        }
    }
    added
}

/// The remover thread: the mirror of [`adder`].
fn remover(bx: &ItemBox, mut items: usize, style: Style, common: &Common) -> usize {
    let mut removed = 0;
    if let Style::Second = style {
        println!("N° {items} items to REMOVE");
    }
    while items > 0 {
        if let Style::First = style {
            println!("removing 1 item in the box");
        }
        bx.remove();
        removed += 1;
        common.sleep(1.0);
        items -= 1;
        if let Style::Second = style {
            println!("REMOVED one item -->{items} item to REMOVE");
        }
    }
    removed
}

/// The same box around a `std::sync::Mutex`, which is not reentrant.
struct StdBox {
    total_items: Mutex<i64>,
}

impl StdBox {
    /// What `execute` would do with `lock()`, done with `try_lock` so that the
    /// demonstration cannot hang: `Err` says why the lock was refused.
    fn execute(&self, n: i64) -> Result<(), String> {
        match self.total_items.try_lock() {
            Ok(mut items) => {
                *items += n;
                Ok(())
            }
            Err(TryLockError::WouldBlock) => Err("the mutex is already locked — by this very thread, in add()".into()),
            Err(TryLockError::Poisoned(_)) => Err("the mutex is poisoned".into()),
        }
    }

    fn add(&self) -> Result<(), String> {
        let _guard = self.total_items.lock().map_err(|_| "the mutex is poisoned".to_string())?;
        println!("add(): locked the std Mutex, now calling execute(1)");
        self.execute(1)
    }
}

fn non_reentrant() {
    let bx = StdBox { total_items: Mutex::new(0) };
    match bx.add() {
        Err(why) => {
            println!("execute(): try_lock refused: {why}");
            println!("with lock() instead of try_lock(), this thread would wait for itself forever (or panic)");
            println!("reentrant_error = true");
        }
        Ok(()) => {
            println!("reentrant_error = false");
            eprintln!("try_lock on a std Mutex held by the same thread succeeded, which it must not");
            process::exit(EXIT_FAILURE);
        }
    }
}

fn main() {
    let args = Args::parse();
    if args.non_reentrant {
        non_reentrant();
        return;
    }

    let (style, to_add, to_remove) = if args.random {
        let mut rng = seeded(args.common.seed());
        (Style::Second, rng.random_range(10..=20), rng.random_range(1..=10))
    } else {
        println!("putting {} items in the box", args.items);
        (Style::First, args.items, args.items)
    };

    let bx = Arc::new(ItemBox::new());
    // The book's t1 names `add` as its target; the adder function is meant.
    let t1 = {
        let (bx, common) = (Arc::clone(&bx), args.common.clone());
        thread::spawn(move || adder(&bx, to_add, style, &common))
    };
    let t2 = {
        let (bx, common) = (Arc::clone(&bx), args.common.clone());
        thread::spawn(move || remover(&bx, to_remove, style, &common))
    };
    let (Ok(added), Ok(removed)) = (t1.join(), t2.join()) else {
        eprintln!("a thread panicked");
        process::exit(EXIT_FAILURE);
    };

    let remaining = bx.total();
    println!("{remaining} items still remain in the box");
    println!();
    println!("added = {added}");
    println!("removed = {removed}");
    println!("remaining = {remaining}");
    if remaining != added as i64 - removed as i64 {
        eprintln!("the box holds {remaining} items, expected {added} - {removed}");
        process::exit(EXIT_FAILURE);
    }
}
