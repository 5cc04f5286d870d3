//! `arsenal` run as real processes against the simulator: a bot split over two processes
//! sharing one PostgreSQL store (`fleet`), and a process re-executing itself in place
//! (`reexec`).

#[path = "../common/mod.rs"]
mod common;

mod fleet;
mod process;
mod reexec;
