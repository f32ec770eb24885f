//! `cockpit policy test` and `cockpit install-hooks` / `uninstall-hooks`.

use std::path::PathBuf;

use color_eyre::Result;
use color_eyre::eyre::eyre;
use serde_json::Value;

use crate::agents::AgentKind;
use crate::config::Config;

use super::answer::{Gate, render};
use super::install::{Scope, targets};
use super::settings_change::{Change, plan};
use super::{codex_trust, wiring};
use crate::policy::{ToolCall, Verdict};

pub fn policy_test(config: &Config, json: &str) -> Result<()> {
    let hook: Value = serde_json::from_str(json).map_err(|e| eyre!("not hook JSON: {e}"))?;
    let tool = hook
        .get("tool_name")
        .and_then(Value::as_str)
        .ok_or_else(|| eyre!("the JSON has no tool_name"))?;
    let input = hook.get("tool_input").cloned().unwrap_or(Value::Null);
    let event = hook
        .get("hook_event_name")
        .and_then(Value::as_str)
        .unwrap_or("PreToolUse");
    let cwd = hook
        .get("cwd")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .unwrap_or(std::env::current_dir()?);
    let decision = config
        .compiled_policy()
        .decide(&ToolCall::from_hook(tool, &input, &cwd), &cwd);
    match &decision.rule {
        Some(rule) => println!("rule:     {rule}"),
        None => println!("rule:     (none matched)"),
    }
    let verdict = match decision.verdict {
        Verdict::Allow => "allow: the call proceeds without a prompt",
        Verdict::Deny => "deny: the agent is told no, with the reason",
        Verdict::Ask => "ask: a human decides in the cockpit",
        Verdict::Pass if event == "PermissionRequest" => {
            "pass: a human decides in the cockpit (the agent asked)"
        }
        Verdict::Pass => "pass: no decision, the agent's own permission rules apply",
    };
    println!("verdict:  {verdict}");
    println!("why:      {}", decision.why);
    if let Some(reason) = &decision.reason {
        println!("reason:   {reason}");
    }
    if let (Some(gate), Verdict::Allow | Verdict::Deny) = (Gate::parse(event), decision.verdict) {
        for agent in [AgentKind::Claude, AgentKind::Codex] {
            let output = render(agent, gate, decision.verdict, decision.reason.as_deref());
            let output = output.unwrap_or_else(|| "(nothing)".into());
            println!("output:   {}: {output}", agent.label());
        }
    }
    Ok(())
}

pub fn install(user: bool, dry_run: bool, add: bool, trust_codex: bool) -> Result<()> {
    let scope = if user { Scope::User } else { Scope::Project };
    let project = std::env::current_dir()?;
    let binary = std::env::current_exe()?
        .canonicalize()?
        .to_string_lossy()
        .into_owned();
    // Every file planned before any is written: one refused file changes nothing.
    let changes = targets(scope, &project)
        .into_iter()
        .map(|target| plan(target, &binary, add).map_err(|e| eyre!(e)))
        .collect::<Result<Vec<_>>>()?;
    for change in changes {
        report(&change, add, dry_run)?;
    }
    // What each agent still needs before it runs the hooks, said every time
    // (also when nothing changed: trusting in Codex may still be missing).
    if add {
        let project_scope = scope == Scope::Project;
        for target in targets(scope, &project) {
            if target.agent == "codex" && trust_codex && !dry_run {
                trust(&target.path, &project)?;
                continue;
            }
            println!(
                "{}",
                wiring::advice(target.agent, &target.path, project_scope, &project)
            );
        }
    }
    Ok(())
}

/// Shows one file's change and, unless a dry run, makes it.
fn report(change: &Change, add: bool, dry_run: bool) -> Result<()> {
    let path = change.target.path.display().to_string();
    let leftovers = change.leftovers();
    if !change.changed() && leftovers.is_empty() {
        let nothing = if add {
            "already installed, nothing to change"
        } else {
            "nothing of the cockpit's to remove"
        };
        println!("{path}: {nothing}");
        if !dry_run {
            change.apply()?; // settles a receipt whose entries the user took out
        }
        return Ok(());
    }
    if change.changed() {
        print!("{}", change.diff());
    }
    if dry_run {
        for left in &leftovers {
            println!(
                "{}: would be removed (made by install-hooks)",
                left.display()
            );
        }
        println!("{path}: dry run, nothing written");
        return Ok(());
    }
    let applied = change.apply()?;
    match (&change.after, &applied.backup) {
        _ if !change.changed() => {}
        (None, _) => println!("{path}: removed (install-hooks had created it)"),
        (Some(_), _) if change.exact => {
            println!("{path}: restored as it was before install-hooks")
        }
        (Some(_), Some(backup)) => println!("{path}: written (backup: {})", backup.display()),
        (Some(_), None) => println!("{path}: written"),
    }
    for gone in &applied.removed {
        println!("{}: removed (made by install-hooks)", gone.display());
    }
    if !add && change.target.agent == "codex" && change.changed() {
        println!(
            "{path}: trust Codex recorded for these hooks ([hooks.state] in its config.toml, by its review or --trust-codex) is Codex's and stays; it runs nothing once the hooks are gone"
        );
    }
    Ok(())
}

/// `--trust-codex`: Codex records trust for the cockpit's own hooks.
fn trust(hooks_file: &std::path::Path, project: &std::path::Path) -> Result<()> {
    let codex = codex_trust::codex_bin();
    let keys = codex_trust::trust(&codex, hooks_file, project).map_err(|e| {
        eyre!(
            "{e}\n{}: not trusted; trust the hooks in Codex's TUI instead (\"Hooks need review\" at start, or /hooks)",
            hooks_file.display()
        )
    })?;
    if keys.is_empty() {
        println!(
            "{}: Codex already trusts the cockpit's hooks",
            hooks_file.display()
        );
    } else {
        println!(
            "{}: Codex now trusts the cockpit's {} hooks (recorded by Codex as [hooks.state] trusted_hash in its config.toml); a changed command needs this again",
            hooks_file.display(),
            keys.len()
        );
    }
    Ok(())
}
