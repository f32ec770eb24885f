pub mod hooks;
pub mod pty;
pub mod screen;
