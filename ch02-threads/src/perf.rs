//! The workloads of 1st edition §2.13 (to be written).
