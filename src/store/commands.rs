//! `cockpit sessions | show | handoff | resume`: the store from the shell.
//! These run before any terminal or async runtime is set up.

use std::io::Write as _;
use std::path::Path;

use color_eyre::Result;
use color_eyre::eyre::eyre;

use crate::agents::AgentKind;
use crate::cli::StoreCommand;
use crate::text::{escape_control, escape_control_keep_lines};

use super::{SessionRecord, Store, handoff, resume_command, session_text};

pub fn run(command: &StoreCommand, cwd: &Path) -> Result<()> {
    let store = Store::open(cwd)?;
    if store.location().is_fallback() {
        eprintln!("cockpit: {}", store.location());
    }
    match command {
        StoreCommand::Sessions { json, .. } => {
            let (sessions, damaged) = store.list_all()?;
            for err in &damaged {
                eprintln!("cockpit: skipped {}", escape_control(&err.to_string()));
            }
            if *json {
                out(&(serde_json::to_string_pretty(&sessions)? + "\n"))?;
            } else if sessions.is_empty() {
                out(&format!("No stored sessions ({}).\n", store.location()))?;
            } else {
                out_text(&session_text::sessions_table(&sessions))?;
            }
        }
        StoreCommand::Show { id, json, .. } => {
            let record = store.load(id)?;
            if *json {
                out(&(serde_json::to_string_pretty(&record)? + "\n"))?;
            } else {
                out_text(&session_text::record(&record))?;
            }
        }
        StoreCommand::Handoff { id, .. } => {
            let record = pick(&store, id.as_deref(), false)?;
            let earlier = super::learnings::newest_first(&store.list()?);
            let prompt = handoff::prompt_with_earlier(&record, &earlier);
            let prompt = escape_control_keep_lines(&prompt);
            out(&prompt)?;
            let tokens = crate::agents::tokens::estimate(AgentKind::Claude, &prompt);
            // On stderr so `cockpit handoff | pbcopy` copies only the prompt.
            eprintln!(
                "(this prompt: about {tokens} tokens, estimated with tiktoken; session {})",
                escape_control(&record.id)
            );
        }
        StoreCommand::Resume { id, .. } => {
            let record = pick(&store, id.as_deref(), true)?;
            out_text(&restore_plan(&record))?;
        }
    }
    Ok(())
}

/// Prints text made of record fields: whatever a transcript or a fetched
/// record carried, no escape sequence reaches the terminal.
fn out_text(text: &str) -> Result<()> {
    out(&escape_control_keep_lines(text))
}

/// Prints to stdout; a closed pipe (`cockpit sessions | head`) is not an error.
fn out(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

/// The named session, else the newest unfinished one (when `unfinished_first`),
/// else the newest.
fn pick(store: &Store, id: Option<&str>, unfinished_first: bool) -> Result<SessionRecord> {
    if let Some(id) = id {
        return Ok(store.load(id)?);
    }
    let newest = if unfinished_first {
        store.latest_unfinished()?
    } else {
        None
    };
    let summary = match newest {
        Some(summary) => summary,
        None => store
            .list()?
            .into_iter()
            .next()
            .ok_or_else(|| eyre!("no stored sessions ({})", store.location()))?,
    };
    Ok(store.load(&summary.id)?)
}

fn restore_plan(record: &SessionRecord) -> String {
    let mut out = format!(
        "Session {} ({}, {}) would be restored:\n",
        record.id,
        record.project,
        if record.finished {
            "finished"
        } else {
            "unfinished"
        }
    );
    for t in &record.transcripts {
        out.push_str(&format!("  follow {}\n", t.path));
    }
    out.push_str(&format!(
        "  gauge history: {} samples, {} compaction(s); {} alerts, {} approvals, {} notes\n",
        record.gauge.samples.len(),
        record.gauge.compactions.len(),
        record.alerts.len(),
        record.approvals.len(),
        record.notes.len()
    ));
    match resume_command(record) {
        Some(command) => out.push_str(&format!("Resume the agent with:\n  {command}\n")),
        None => out.push_str(
            "The agent's own session id is unknown (or not a plain id): no resume command.\n",
        ),
    }
    out
}
