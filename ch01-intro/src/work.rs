//! `do_something`, the 2nd edition's Chapter01 workload (to be written).
