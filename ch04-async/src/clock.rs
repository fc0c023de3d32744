//! The runtime of the chapter's tokio recipes, and `--paused-clock`.
//!
//! asyncio runs every coroutine of a program on one thread, its event loop. The
//! same on tokio is the `current_thread` runtime: [`PausedClock::runtime`] builds
//! one, with timers and sockets enabled.
//!
//! With `--paused-clock` the runtime starts with tokio's clock paused (tokio's
//! `test-util` feature): the runtime's clock stands still while a task runs, and
//! when every task is waiting on a timer it jumps straight to the next deadline.
//! A recipe's sleeps then cost nothing, and timers fire in the exact order of their
//! deadlines, so a test can assert that order. [`Stopwatch`] reads that clock: on a
//! paused clock it measures virtual time, exactly.
//!
//! ```
//! use ch04_async::clock::{PausedClock, Stopwatch};
//! let clock = PausedClock { paused_clock: true };
//! let rt = clock.runtime().unwrap();
//! let ms = rt.block_on(async {
//!     let watch = Stopwatch::start();
//!     tokio::time::sleep(std::time::Duration::from_secs(3600)).await; // no real hour passes
//!     watch.elapsed_ms()
//! });
//! assert_eq!(ms, 3_600_000);
//! ```

use std::io;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};

/// `--paused-clock`: run on tokio's paused clock.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PausedClock {
    /// Run on tokio's paused clock: sleeps end at once and the virtual time jumps
    /// to their deadlines, so delays cost nothing and timers fire in the exact
    /// order of their deadlines (what the tests use).
    #[arg(long)]
    pub paused_clock: bool,
}

impl PausedClock {
    /// A `current_thread` runtime (one thread, like asyncio's loop), its clock
    /// paused when `--paused-clock` was given.
    pub fn runtime(&self) -> io::Result<Runtime> {
        Builder::new_current_thread().enable_all().start_paused(self.paused_clock).build()
    }
}

/// A `current_thread` runtime on the real clock, for recipes that wait on
/// sockets (a paused clock would jump over the time a socket takes).
pub fn current_thread() -> io::Result<Runtime> {
    PausedClock::default().runtime()
}

/// Time since it was started, on the runtime's clock (virtual under
/// `--paused-clock`). Start it and read it inside the runtime: outside, tokio
/// reads the real clock.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch(tokio::time::Instant);

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch(tokio::time::Instant::now())
    }

    pub fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }

    /// Whole milliseconds, rounded to the nearest.
    pub fn elapsed_ms(&self) -> u128 {
        (self.elapsed().as_micros() + 500) / 1000
    }
}
