//! Python's `threading.Event` (to be written).
