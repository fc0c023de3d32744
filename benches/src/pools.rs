//! What the criterion benches share.

/// One rayon pool of `n` threads for each `n`, built once, outside every
/// measurement, so the `rayon` rows time the work and not the pool's start.
pub fn rayon_pools(counts: &[usize]) -> Vec<(usize, rayon::ThreadPool)> {
    counts
        .iter()
        .map(|&n| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(move |i| format!("bench-rayon-{n}-{i}"))
                .build()
                .expect("rayon pool");
            (n, pool)
        })
        .collect()
}
