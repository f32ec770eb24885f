//! Human approvals: the hook side (`hook`, reading its input in `stdin`,
//! talking to the cockpit in `client`, answering in the agent's format in
//! `answer`, explaining fail-safes in `failsafe`), the socket between them
//! and the cockpit (`ipc`; the policy and the wire types are in `crate::policy`),
//! the cockpit's listener (`server`), and the agent settings that wire it
//! (`install`, `statusline`). What lifecycle hooks and the status line tell
//! the running cockpit is applied where the state is updated
//! (`state::agent_events`).

pub mod answer;
pub mod client;
pub mod codex_trust;
mod decide;
pub mod failsafe;
pub mod handoff_hook;
pub mod hook;
pub mod hook_commands;
pub mod install;
pub mod ipc;
pub mod outcome;
pub mod receipt;
pub mod server;
pub mod settings_change;
pub mod settings_text;
pub mod statusline;
pub mod stdin;
mod unreadable;
pub mod watchdog;
pub mod wiring;
