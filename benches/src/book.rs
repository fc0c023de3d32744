//! What the report sets the measurements against: the 1st edition's own §2.13
//! and §4.2 figures, and the limit that bounds each speed-up.

/// What bounds the speed-up of `n` workers over one worker doing the `n` calls in
/// turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// There is no work to share: workers can only add their own start, so the
    /// speed-up is at most 1.
    NoWork,
    /// The work needs a core: at most min(n, cores).
    Cores,
    /// The work is a wait: n waits overlap, so at most n, whatever the cores.
    Waits,
}

impl Limit {
    /// The ideal speed-up of `n` workers on `cores` cores.
    pub fn ideal(self, n: u32, cores: usize) -> f64 {
        let n = f64::from(n);
        match self {
            Limit::NoWork => 1.0,
            Limit::Cores => n.min(cores.max(1) as f64),
            Limit::Waits => n,
        }
    }

    /// The formula, for the tables.
    pub fn formula(self) -> &'static str {
        match self {
            Limit::NoWork => "1 (no work to share)",
            Limit::Cores => "min(n, cores)",
            Limit::Waits => "n (the waits overlap)",
        }
    }
}

/// A §2.13 workload: bench name, what the book calls it, what bounds it.
pub struct Workload {
    pub name: &'static str,
    pub label: &'static str,
    pub limit: Limit,
}

/// The §2.13 workloads, in the book's order (plus the Rust-only u64 variant).
pub const WORKLOADS: [Workload; 5] = [
    Workload { name: "empty", label: "empty function", limit: Limit::NoWork },
    Workload { name: "fib_bigint", label: "Fibonacci, big integers (the book's)", limit: Limit::Cores },
    Workload { name: "fib_u64", label: "Fibonacci, wrapping u64 (Rust variant)", limit: Limit::Cores },
    // Reads from the page cache: the kernel copies the bytes, on a core.
    Workload { name: "file_read", label: "file read", limit: Limit::Cores },
    Workload { name: "url_read", label: "URL read (loopback server, fixed latency)", limit: Limit::Waits },
];

/// The book's numbers of calls and threads.
pub const NS: [u32; 4] = [1, 2, 4, 8];

/// The 1st edition's §2.13 figures (Core 2 Duo 2.33 GHz, two cores, 32-bit Python
/// 3.3 on Windows 7): workload, n, `non_threaded` and `threaded` seconds, each the
/// minimum of 100 runs. Its URL test read a page over the Internet, ours a loopback
/// server with a fixed latency.
pub const BOOK_2_13: [(&str, u32, f64, f64); 16] = [
    ("empty", 1, 0.000005, 0.000188),
    ("empty", 2, 0.000006, 0.000364),
    ("empty", 4, 0.000009, 0.000713),
    ("empty", 8, 0.000012, 0.001397),
    ("fib_bigint", 1, 0.021832, 0.022062),
    ("fib_bigint", 2, 0.044926, 0.045434),
    ("fib_bigint", 4, 0.090262, 0.090161),
    ("fib_bigint", 8, 0.177695, 0.178830),
    ("file_read", 1, 0.074713, 0.074958),
    ("file_read", 2, 0.150131, 0.082746),
    ("file_read", 4, 0.301600, 0.168953),
    ("file_read", 8, 0.604644, 0.353848),
    ("url_read", 1, 3.133642, 3.159739),
    ("url_read", 2, 6.626534, 3.383511),
    ("url_read", 4, 13.403415, 3.732269),
    ("url_read", 8, 26.904945, 4.927647),
];

/// The 1st edition's §4.2 run, as printed: mode id, label, seconds for the ten
/// calls of `count` (sequential, then a pool of 5 threads, then a pool of 5
/// processes).
pub const BOOK_4_2: [(&str, &str, f64); 3] = [
    ("sequential", "sequential", 7.936585903167725),
    ("threads", "ThreadPoolExecutor(5)", 7.633088827133179),
    ("processes", "ProcessPoolExecutor(5)", 4.787093639373779),
];

/// The cores of the book's machine.
pub const BOOK_CORES: usize = 2;

/// The book's `threaded / non_threaded` for a workload and n.
pub fn book_ratio(workload: &str, n: u32) -> Option<f64> {
    BOOK_2_13.iter().find(|r| r.0 == workload && r.1 == n).map(|r| r.3 / r.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideal_speedups() {
        assert_eq!(Limit::Cores.ideal(8, 2), 2.0);
        assert_eq!(Limit::Cores.ideal(1, 2), 1.0);
        assert_eq!(Limit::Cores.ideal(4, 16), 4.0);
        assert_eq!(Limit::Cores.ideal(4, 0), 1.0);
        assert_eq!(Limit::Waits.ideal(8, 2), 8.0);
        assert_eq!(Limit::NoWork.ideal(8, 2), 1.0);
    }

    #[test]
    fn the_books_ratios() {
        // The book's reading: threads cost for trivial work, give nothing for
        // Fibonacci, and win for the reads.
        assert!(book_ratio("empty", 8).unwrap() > 100.0);
        let fib = book_ratio("fib_bigint", 2).unwrap();
        assert!((fib - 0.045434 / 0.044926).abs() < 1e-12 && fib > 1.0);
        assert!(book_ratio("file_read", 2).unwrap() < 0.6);
        assert!((book_ratio("url_read", 8).unwrap() - 4.927647 / 26.904945).abs() < 1e-12);
        assert_eq!(book_ratio("fib_u64", 2), None);
        assert_eq!(book_ratio("url_read", 3), None);
        // Every workload of the book is one of ours, at every n.
        for (w, n, ..) in BOOK_2_13 {
            assert!(WORKLOADS.iter().any(|x| x.name == w) && NS.contains(&n), "{w} {n}");
        }
    }
}
