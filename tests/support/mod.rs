pub mod hooks;
pub mod pty;
