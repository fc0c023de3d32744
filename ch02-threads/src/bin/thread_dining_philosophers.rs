//! # The dining philosophers: a deadlock, detected and broken, and two cures
//!
//! **Book:** an extra recipe. 1st edition §2.6 (「2.6 使用Lock进行线程同步」) and §2.8
//! (「2.8 使用信号量进行线程同步」) describe its deadlock in prose: two threads that
//! each hold one lock and want the other's. The problem is the classic of
//! *Mastering Concurrency in Python*, chapter 12; the Chinese title
//! 「哲学家就餐问题：死锁及其避免」 is this cookbook's own.
//!
//! **Run:** `cargo run --bin thread_dining_philosophers` (the deadlock), then
//! `-- --strategy ordered` and `-- --strategy waiter` (the two cures).
//!
//! Philosophers around a table share one fork (a mutex) between neighbours and need
//! two to eat. Taking the left fork, then the right, deadlocks: a watchdog sees the
//! circle of waits, reports it, and breaks it. Taking the lower-numbered fork
//! first, or seating at most n − 1 at a time, never deadlocks.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex as StdMutex, MutexGuard as StdGuard};
use std::thread;
use std::time::Duration;

use ch02_threads::semaphore::Semaphore;
use clap::{Parser, ValueEnum};
use cookbook_support::rng::{self, Rng};
use cookbook_support::{Common, Status, count, fail};
use parking_lot::{Mutex, MutexGuard};

/// The longest think, in seconds (scaled by --delay-scale).
const THINK_SECS: f64 = 0.05;
/// How long a meal lasts, in seconds (scaled by --delay-scale).
const EAT_SECS: f64 = 0.1;
/// How often a waiting philosopher looks up, and the watchdog looks round.
const TICK: Duration = Duration::from_millis(2);

/// Philosophers share forks around a table: watch them deadlock, then cure it by
/// ordering the forks or by seating at most n − 1 at a time.
#[derive(Parser)]
#[command(name = "thread_dining_philosophers")]
struct Args {
    /// Philosophers around the table, and as many forks [2–100].
    #[arg(long, default_value_t = 5, value_parser = count(2, 100))]
    philosophers: usize,

    /// Meals each philosopher eats [1–1000].
    #[arg(long, default_value_t = 3, value_parser = count(1, 1000))]
    meals: usize,

    /// How the philosophers pick up their forks.
    #[arg(long, value_enum, default_value_t = Strategy::Naive)]
    strategy: Strategy,

    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Strategy {
    /// Left fork, then right fork: deadlocks.
    Naive,
    /// Lower-numbered fork first: never deadlocks.
    Ordered,
    /// A waiter seats at most n − 1 philosophers at a time: never deadlocks.
    Waiter,
}

// ANCHOR: strategies
impl Strategy {
    /// Which fork philosopher `k` of `n` picks up first, and which second.
    /// Philosopher k has fork k on the left and fork k + 1 on the right.
    fn forks(self, k: usize, n: usize) -> (usize, usize) {
        let (left, right) = (k, (k + 1) % n);
        match self {
            Strategy::Naive | Strategy::Waiter => (left, right),
            // The last philosopher now reaches for fork 0 first, like the first
            // one: the circle of waits can never close.
            Strategy::Ordered => (left.min(right), left.max(right)),
        }
    }
}
// ANCHOR_END: strategies

/// What the watchdog sees of the table. Every change is made under its mutex, so
/// that a snapshot of it is a true picture: who holds which fork, who waits for
/// which.
struct State {
    /// The philosopher holding each fork.
    holder: Vec<Option<usize>>,
    /// The fork each philosopher is waiting for.
    wants: Vec<Option<usize>>,
    /// Philosophers waiting for a seat (the waiter strategy).
    wants_seat: Vec<bool>,
    /// Set by the watchdog: this philosopher must put its fork down.
    give_up: Vec<bool>,
    /// The philosopher asked to give up, until it has.
    victim: Option<usize>,
    /// Philosophers reaching for forks (seated, or holding one), now and at most.
    reaching: usize,
    max_reaching: usize,
    /// Opened once every philosopher holds its first fork or is stuck: see
    /// `worst_moment`.
    second_forks_open: bool,
    /// Philosophers who have left the table (done, or panicked).
    left: Vec<bool>,
    deadlocks: usize,
}

struct Table {
    forks: Vec<Mutex<()>>,
    state: StdMutex<State>,
    changed: Condvar,
    /// The waiter: n − 1 seats.
    seats: Semaphore,
    /// Set while a philosopher eats with the fork: a second eater would be a bug.
    in_use: Vec<AtomicBool>,
    violations: AtomicUsize,
    meals: Vec<AtomicUsize>,
}

// ANCHOR: forks
/// A fork in a philosopher's hand. Dropping it puts it down: first the watchdog's
/// picture is updated, then the mutex is released, handed straight to a waiting
/// neighbour (`unlock_fair`), so that a philosopher who gives up cannot snatch it
/// back at once.
struct Fork<'a> {
    table: &'a Table,
    index: usize,
    guard: Option<MutexGuard<'a, ()>>,
    _hold: tracing::span::EnteredSpan,
}

impl Drop for Fork<'_> {
    fn drop(&mut self) {
        self.table.state().holder[self.index] = None;
        if let Some(guard) = self.guard.take() {
            MutexGuard::unlock_fair(guard);
        }
    }
}

impl Table {
    fn state(&self) -> StdGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Philosopher `k` waits for fork `f`, as long as it takes, unless the
    /// watchdog tells it to give up: then `None`.
    fn take(&self, k: usize, f: usize) -> Option<Fork<'_>> {
        let guard = {
            let _wait = tracing::info_span!("wait", on = "lock").entered();
            self.state().wants[k] = Some(f);
            loop {
                // `try_lock_for` rather than `lock`, only so that the philosopher
                // can hear the watchdog: it waits just the same.
                let got = self.forks[f].try_lock_for(TICK);
                let mut state = self.state();
                if let Some(guard) = got {
                    state.wants[k] = None;
                    state.holder[f] = Some(k);
                    self.changed.notify_all();
                    break guard;
                }
                if state.give_up[k] {
                    state.give_up[k] = false;
                    state.wants[k] = None;
                    state.victim = None;
                    return None;
                }
            }
        };
        let _hold = tracing::info_span!("hold", lock = format!("fork {f}")).entered();
        Some(Fork { table: self, index: f, guard: Some(guard), _hold })
    }
}
// ANCHOR_END: forks

/// The first meal is served at the worst moment: nobody reaches for a second fork
/// until every philosopher holds its first one or is stuck (waiting for a fork
/// that another holds, or for a seat when none is free). That is when a circle of
/// waits can close, so a strategy that allows one shows it on every run.
fn worst_moment(table: &Table, state: &State) -> bool {
    (0..state.wants.len()).all(|j| {
        let holds_one = state.holder.contains(&Some(j));
        let stuck_on_fork = state.wants[j].is_some_and(|f| state.holder[f].is_some_and(|h| h != j));
        let stuck_on_seat = state.wants_seat[j] && table.seats.available() == 0;
        holds_one || stuck_on_fork || stuck_on_seat || state.left[j]
    })
}

/// A circle of waits: philosopher a waits for a fork held by b, b for one held
/// by c, … back to a. Every one of them holds a fork while it waits for the next,
/// so none of them can ever eat.
fn find_circle(state: &State) -> Option<Vec<usize>> {
    let n = state.wants.len();
    let waits_for = |j: usize| state.wants[j].and_then(|f| state.holder[f]);
    for start in 0..n {
        let mut path = vec![start];
        let mut j = start;
        while let Some(next) = waits_for(j) {
            if let Some(pos) = path.iter().position(|&p| p == next) {
                let mut circle = path.split_off(pos);
                let lowest = circle.iter().enumerate().min_by_key(|(_, p)| **p).map_or(0, |(i, _)| i);
                circle.rotate_left(lowest);
                return Some(circle);
            }
            if path.len() > n {
                break;
            }
            path.push(next);
            j = next;
        }
    }
    None
}

// ANCHOR: philosopher
/// Philosopher `k`: think, take a seat (waiter), pick up two forks, eat, put them
/// down, `--meals` times.
fn philosopher(k: usize, table: &Table, args: &Args, seed: u64) {
    let _run = tracing::info_span!("run", worker = k).entered();
    let _leaves = LeavesTable { table, k };
    let (first, second) = args.strategy.forks(k, args.philosophers);
    let mut rng = rng::for_worker(seed, k as u64);
    for meal in 1..=args.meals {
        if meal > 1 {
            args.common.sleep(rng.random_range(0.0..THINK_SECS)); // think
        }
        let _seat = (args.strategy == Strategy::Waiter).then(|| table.take_seat(k));
        table.reaching(1);
        loop {
            let Some(first_fork) = table.take(k, first) else { continue };
            println!("Philosopher {k} picks up fork {first}");
            if meal == 1 {
                table.wait_for_the_worst_moment();
            }
            let Some(second_fork) = table.take(k, second) else {
                println!("Philosopher {k} puts fork {first} down and tries again");
                drop(first_fork);
                args.common.sleep(rng.random_range(0.0..THINK_SECS));
                continue;
            };
            println!("Philosopher {k} picks up fork {second}");
            table.eat(k, meal, [first, second], &args.common);
            drop((second_fork, first_fork)); // put down in the reverse order
            break;
        }
        table.reaching(-1);
    } // the seat is given back after the forks
}

/// The watchdog, in the main thread: it opens the second forks at the worst
/// moment of the first meal, and when it sees a circle of waits it reports a
/// deadlock and asks the highest-numbered philosopher in it to put its fork down.
fn watchdog(table: &Table) {
    let mut state = table.state();
    while !state.left.iter().all(|&l| l) {
        if !state.second_forks_open && worst_moment(table, &state) {
            state.second_forks_open = true;
            table.changed.notify_all();
        }
        if state.victim.is_none()
            && let Some(circle) = find_circle(&state)
        {
            state.deadlocks += 1;
            let victim = *circle.iter().max().expect("a circle has members");
            let waits: Vec<String> = circle
                .iter()
                .zip(circle.iter().cycle().skip(1))
                .map(|(j, next)| format!("{j} waits for fork {}, held by {next}", state.wants[*j].unwrap_or_default()))
                .collect();
            println!("deadlock detected: {}", waits.join("; "));
            let names: Vec<String> = circle.iter().map(usize::to_string).collect();
            println!("deadlock = {} circle = {} victim = {victim}", state.deadlocks, names.join("-"));
            state.give_up[victim] = true;
            state.victim = Some(victim);
        }
        state = table.changed.wait_timeout(state, TICK).unwrap_or_else(|e| e.into_inner()).0;
    }
}
// ANCHOR_END: philosopher

/// Marks philosopher `k` as gone when dropped: at the end of its meals, and also
/// if it panics, so that the watchdog and the worst moment do not wait for it.
struct LeavesTable<'a> {
    table: &'a Table,
    k: usize,
}

impl Drop for LeavesTable<'_> {
    fn drop(&mut self) {
        self.table.state().left[self.k] = true;
        self.table.changed.notify_all();
    }
}

impl Table {
    /// Wait for one of the waiter's n − 1 seats; the permit gives it back.
    fn take_seat(&self, k: usize) -> ch02_threads::semaphore::Permit<'_> {
        self.state().wants_seat[k] = true;
        let permit = {
            let _wait = tracing::info_span!("wait", on = "semaphore").entered();
            self.seats.permit()
        };
        self.state().wants_seat[k] = false;
        permit
    }

    /// During the first meal, holding the first fork: wait until the watchdog opens
    /// the second forks (see `worst_moment`).
    fn wait_for_the_worst_moment(&self) {
        let _wait = tracing::info_span!("wait", on = "condition").entered();
        let mut state = self.state();
        while !state.second_forks_open {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn new(n: usize) -> Table {
        Table {
            forks: (0..n).map(|_| Mutex::new(())).collect(),
            state: StdMutex::new(State {
                holder: vec![None; n],
                wants: vec![None; n],
                wants_seat: vec![false; n],
                give_up: vec![false; n],
                victim: None,
                reaching: 0,
                max_reaching: 0,
                second_forks_open: false,
                left: vec![false; n],
                deadlocks: 0,
            }),
            changed: Condvar::new(),
            seats: Semaphore::new(n - 1),
            in_use: (0..n).map(|_| AtomicBool::new(false)).collect(),
            violations: AtomicUsize::new(0),
            meals: (0..n).map(|_| AtomicUsize::new(0)).collect(),
        }
    }

    /// One more (or one fewer) philosopher reaching for forks.
    fn reaching(&self, delta: isize) {
        let mut state = self.state();
        state.reaching = state.reaching.saturating_add_signed(delta);
        state.max_reaching = state.max_reaching.max(state.reaching);
    }

    /// Eat with both forks in hand. A fork already marked in use would mean that
    /// a neighbour is eating with it too.
    fn eat(&self, k: usize, meal: usize, forks: [usize; 2], common: &Common) {
        for f in forks {
            if self.in_use[f].swap(true, Ordering::SeqCst) {
                self.violations.fetch_add(1, Ordering::SeqCst);
            }
        }
        println!("Philosopher {k} eats (meal {meal})");
        self.meals[k].fetch_add(1, Ordering::SeqCst);
        common.sleep(EAT_SECS);
        for f in forks {
            self.in_use[f].store(false, Ordering::SeqCst);
        }
    }
}

fn name(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Naive => "naive (left fork, then right)",
        Strategy::Ordered => "ordered (lower-numbered fork first)",
        Strategy::Waiter => "waiter (at most n - 1 philosophers reach for forks)",
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let _session = args.common.start();
    let seed = args.common.seed();
    let n = args.philosophers;
    let table = Table::new(n);
    println!("{n} philosophers, {} meals each, strategy {}", args.meals, name(args.strategy));

    let panicked = thread::scope(|s| {
        let mut philosophers = Vec::new();
        for k in 0..n {
            let (table, args) = (&table, &args);
            match thread::Builder::new().spawn_scoped(s, move || philosopher(k, table, args, seed)) {
                Ok(handle) => philosophers.push(handle),
                Err(e) => {
                    // The others would wait for it at the worst moment: end here.
                    eprintln!("thread_dining_philosophers: cannot start philosopher {k}: {e}");
                    std::process::exit(Status::Failure.code());
                }
            }
        }
        watchdog(&table);
        philosophers.into_iter().map(|p| p.join()).filter(Result::is_err).count()
    });
    if panicked > 0 {
        return fail(format!("{panicked} philosopher(s) panicked"));
    }

    let state = table.state.into_inner().unwrap_or_else(|e| e.into_inner());
    let meals: Vec<usize> = table.meals.into_iter().map(AtomicUsize::into_inner).collect();
    let eaten: usize = meals.iter().sum();
    let violations = table.violations.into_inner();
    println!("every philosopher has eaten; the table is clear");
    println!("deadlocks = {}", state.deadlocks);
    println!("max_reaching = {}", state.max_reaching);
    println!("meals_eaten = {eaten}");
    println!("meals_per_philosopher = {}", meals.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(" "));
    println!("neighbour_violations = {violations}");
    if violations > 0 || eaten != n * args.meals {
        return fail("two neighbours ate with the same fork, or a meal is missing");
    }
    match (args.strategy, state.deadlocks) {
        (Strategy::Naive, 0) => fail("the naive table did not deadlock at its worst moment"),
        (Strategy::Ordered | Strategy::Waiter, d) if d > 0 => fail(format!("the cure deadlocked {d} time(s)")),
        _ => Status::Success.into(),
    }
}
