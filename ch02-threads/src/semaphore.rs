//! A counting semaphore built from `Mutex` + `Condvar` (to be written).
