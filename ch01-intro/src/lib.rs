//! Chapter 1: getting started with parallel computing.
