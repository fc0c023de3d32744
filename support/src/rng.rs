//! The seeded random-number generator.
//!
//! Every random value of a recipe comes from [`ChaCha8Rng`], whose output is fixed by
//! its algorithm (unlike `StdRng`, which may change between `rand` versions). A
//! worker's generator is derived from `(seed, worker index)`, so what each worker
//! draws does not depend on how the threads or processes are scheduled.

pub use rand::{Rng, SeedableRng};
pub use rand_chacha::ChaCha8Rng;

/// The generator of a run.
pub fn seeded(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// The generator of worker `index` in a run seeded with `seed`.
pub fn for_worker(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index + 1);
    rng
}

/// `Some(seed)` is used as it is; `None` draws one from the operating system and
/// prints it as `seed = N` so the run can be replayed with `--seed N`.
pub fn resolve_seed(seed: Option<u64>) -> u64 {
    match seed {
        Some(s) => s,
        None => {
            let s: u64 = ChaCha8Rng::from_os_rng().random();
            println!("seed = {s}");
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_values() {
        let a: Vec<u32> = (0..4).map(|_| seeded(42).random()).collect();
        let b: Vec<u32> = (0..4).map(|_| seeded(42).random()).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn workers_get_different_streams() {
        let x: u64 = for_worker(1, 0).random();
        let y: u64 = for_worker(1, 1).random();
        assert_ne!(x, y);
        assert_eq!(x, for_worker(1, 0).random::<u64>());
    }
}
