//! Failure-pattern detectors (12-Factor AgentOps): each is a pure rule over a
//! stream of [`Event`]s that raises [`Alert`]s naming the factor that
//! prevents the pattern. [`Rules`] runs them all over the events the state
//! derives from its own update; [`replay::Detectors`] feeds records the same
//! way without the app.

pub mod alert;
pub mod api_items;
pub mod bridge;
pub mod bridge_scan;
pub mod collision;
pub mod context_amnesia;
pub mod deadlock;
pub mod debug_loop;
pub mod deletion;
pub mod drift;
pub mod eldritch;
pub mod engine;
pub mod event;
pub mod gridlock;
pub mod memory_decay;
pub mod proposal;
pub mod references;
pub mod scope;
pub mod stewnami;
pub mod tests_passing_lie;
pub mod waits;

pub use alert::{Alert, Detector, Pattern, Severity};
pub use engine::Rules;
pub use event::{Edit, Event};
