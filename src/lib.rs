//! cockpit: a full-screen terminal cockpit beside an AI coding agent.
//!
//! The event path: a file event (`watch`, `sources`) wakes a reader thread
//! (`agents::reader`), which tails (`agents::tail`) and parses
//! (`agents::claude`, `agents::codex`) only the appended bytes and sends
//! records to the loop (`app`), which hands each event to the state's one
//! update (`state::update`), carries out the effects it returns
//! (`state::Effect`) and draws a coalesced frame (`ui`).

pub mod action;
pub mod agents;
pub mod app;
pub mod approvals;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod detect;
pub mod event;
pub mod formats;
pub mod keyname;
pub mod known_windows;
pub mod logging;
pub mod loops;
pub mod policy;
pub mod redact;
pub mod report;
pub mod run;
pub mod sources;
pub mod state;
pub mod store;
pub mod text;
pub mod tui;
pub mod ui;
pub mod watch;
