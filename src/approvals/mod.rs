//! Human approvals: the hook side (`hook`), the policy that decides alone
//! when it can (`policy`), the socket between them (`ipc`, `protocol`), the
//! cockpit's listener (`server`), and the agent settings that wire it
//! (`install`, `statusline`).

pub mod call;
pub mod cli;
mod defaults;
pub mod hook;
pub mod install;
pub mod ipc;
pub mod patch;
pub mod policy;
pub mod protocol;
pub mod remember;
pub mod server;
pub mod shell;
pub mod statusline;
