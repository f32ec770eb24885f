//! What each agent's transcript format means, in one place: the usage blocks
//! and the rules that turn them into the context and the token totals. The
//! live reader (`agents/`) and `report` (`report/`) each pick the fields they
//! need out of a line (the report reads far fewer, for speed), but every
//! figure they derive comes from here, so a format change is made once.
//! Where the files are found is here too (`roots`).

pub mod claude;
pub mod codex;
pub mod roots;
