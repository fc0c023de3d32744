//! Amdahl's and Gustafson's laws (to be written).
