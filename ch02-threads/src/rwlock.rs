//! The readers-preference lock (to be written).
