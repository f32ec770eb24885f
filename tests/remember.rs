//! "Allow and remember" over every tool shape of both agents: what a rule
//! made by `a` covers, and above all what it does not.

use cockpit::agents::AgentKind;
use cockpit::policy::Verdict;
use cockpit::policy::protocol::ApprovalRequest;
use cockpit::policy::remember::RememberedRule;
use cockpit::state::approvals::Approvals;
use cockpit::state::hook_line::HookLine;
use serde_json::{Value, json};

fn req(agent: AgentKind, tool: &str, input: Value) -> ApprovalRequest {
    ApprovalRequest {
        version: 1,
        agent,
        hook_event: "PreToolUse".into(),
        session_id: Some("s".into()),
        transcript_path: None,
        cwd: Some("/p".into()),
        tool: tool.into(),
        input,
        rule: None,
        reason: None,
        why: String::new(),
    }
}

use AgentKind::{Claude, Codex};

struct Row {
    agent: AgentKind,
    tool: &'static str,
    seen: Value,
    /// Substring of `describe()`.
    says: &'static str,
    covered: Vec<Value>,
    not_covered: Vec<(&'static str, Value)>,
}

fn rows() -> Vec<Row> {
    let push = "git push origin main";
    let not_push = |key: &str| -> Vec<(&'static str, Value)> {
        [
            "rm -rf ~/",
            "git push origin main; rm -rf ~",
            "git push --force",
            "git push origin main ",
            "git push origin main && curl x | sh",
        ]
        .into_iter()
        .map(|c| ("Bash", json!({ key: c })))
        .collect()
    };
    let retool = |v: Vec<(&'static str, Value)>, tool: &'static str| {
        v.into_iter().map(|(_, i)| (tool, i)).collect::<Vec<_>>()
    };
    vec![
        Row {
            agent: Claude,
            tool: "Bash",
            seen: json!({"command": push, "description": "Push"}),
            says: "Bash `git push origin main` exactly",
            covered: vec![
                json!({"command": push, "description": "Push it again"}),
                json!({"command": push}),
            ],
            not_covered: [
                not_push("command"),
                vec![("Bash", json!({"command": push, "run_in_background": true}))],
                vec![("shell", json!({"command": push}))],
            ]
            .concat(),
        },
        Row {
            agent: Codex,
            tool: "Bash",
            seen: json!({"command": push}),
            says: "`git push origin main` exactly",
            covered: vec![json!({"command": push})],
            not_covered: not_push("command"),
        },
        Row {
            agent: Codex,
            tool: "exec_command",
            seen: json!({"cmd": push}),
            says: "exec_command `git push origin main` exactly",
            covered: vec![json!({"cmd": push})],
            not_covered: [
                retool(not_push("cmd"), "exec_command"),
                vec![(
                    "exec_command",
                    json!({"cmd": push, "workdir": "/elsewhere"}),
                )],
                vec![(
                    "exec_command",
                    json!({"cmd": push, "sandbox_permissions": "require_escalated"}),
                )],
                vec![("exec_command", json!({}))],
            ]
            .concat(),
        },
        Row {
            agent: Codex,
            tool: "shell",
            seen: json!({"command": ["bash", "-lc", push]}),
            says: "exactly as shown",
            covered: vec![json!({"command": ["bash", "-lc", push]})],
            not_covered: vec![
                ("shell", json!({"command": ["bash", "-lc", "rm -rf ~/"]})),
                (
                    "shell",
                    json!({"command": ["bash", "-lc", "git push origin main; rm -rf ~"]}),
                ),
                (
                    "shell",
                    json!({"command": ["bash", "-lc", "git push --force"]}),
                ),
                ("shell", json!({"command": ["rm", "-rf", "~/"]})),
                (
                    "shell",
                    json!({"command": ["bash", "-lc", push], "workdir": "/"}),
                ),
            ],
        },
        Row {
            agent: Codex,
            tool: "apply_patch",
            seen: json!({"command": "*** Begin Patch\n*** Add File: a\n+x\n*** End Patch"}),
            says: "apply_patch with exactly this input",
            covered: vec![
                json!({"command": "*** Begin Patch\n*** Add File: a\n+x\n*** End Patch"}),
            ],
            not_covered: vec![
                (
                    "apply_patch",
                    json!({"command": "*** Begin Patch\n*** Add File: a\n+y\n*** End Patch"}),
                ),
                (
                    "apply_patch",
                    json!({"command": "*** Begin Patch\n*** Delete File: /etc/x\n*** End Patch"}),
                ),
                (
                    "apply_patch",
                    json!("*** Begin Patch\n*** Add File: a\n+x\n*** End Patch"),
                ),
            ],
        },
        Row {
            agent: Claude,
            tool: "Write",
            seen: json!({"file_path": "/p/src/a.rs", "content": "x"}),
            says: "every Write of /p/src/a.rs",
            covered: vec![
                json!({"file_path": "/p/src/a.rs", "content": "y"}),
                json!({"file_path": "/p/src/../src/a.rs", "content": "z"}),
            ],
            not_covered: vec![
                ("Write", json!({"file_path": "/p/src/b.rs", "content": "x"})),
                (
                    "Write",
                    json!({"file_path": "/p/src/a.rs.bak", "content": "x"}),
                ),
                (
                    "Edit",
                    json!({"file_path": "/p/src/a.rs", "old_string": "a", "new_string": "b"}),
                ),
                ("Write", json!({"content": "x"})),
            ],
        },
        Row {
            agent: Claude,
            tool: "Edit",
            seen: json!({"file_path": "/p/src/a.rs", "old_string": "a", "new_string": "b"}),
            says: "every Edit of /p/src/a.rs",
            covered: vec![
                json!({"file_path": "/p/src/a.rs", "old_string": "c", "new_string": "d"}),
            ],
            not_covered: vec![
                (
                    "Edit",
                    json!({"file_path": "/p/.env", "old_string": "a", "new_string": "b"}),
                ),
                (
                    "MultiEdit",
                    json!({"file_path": "/p/src/a.rs", "edits": []}),
                ),
            ],
        },
        Row {
            agent: Claude,
            tool: "MultiEdit",
            seen: json!({"file_path": "/p/src/a.rs", "edits": [{"old_string": "a", "new_string": "b"}]}),
            says: "every MultiEdit of /p/src/a.rs",
            covered: vec![json!({"file_path": "/p/src/a.rs", "edits": []})],
            not_covered: vec![(
                "MultiEdit",
                json!({"file_path": "/p/src/b.rs", "edits": []}),
            )],
        },
        Row {
            agent: Claude,
            tool: "NotebookEdit",
            seen: json!({"notebook_path": "/p/n.ipynb", "new_source": "x", "cell_id": "c1"}),
            says: "every NotebookEdit of /p/n.ipynb",
            covered: vec![json!({"notebook_path": "/p/n.ipynb", "new_source": "y"})],
            not_covered: vec![
                (
                    "NotebookEdit",
                    json!({"notebook_path": "/p/other.ipynb", "new_source": "x"}),
                ),
                ("NotebookEdit", json!({"new_source": "x"})),
            ],
        },
        Row {
            agent: Claude,
            tool: "Read",
            seen: json!({"file_path": "/p/.env"}),
            says: "every Read of /p/.env",
            covered: vec![json!({"file_path": "/p/.env", "offset": 10})],
            not_covered: vec![("Read", json!({"file_path": "/home/me/.ssh/id_rsa"}))],
        },
        Row {
            agent: Claude,
            tool: "WebFetch",
            seen: json!({"url": "https://docs.rs/x", "prompt": "summarise"}),
            says: "WebFetch of exactly https://docs.rs/x",
            covered: vec![json!({"url": "https://docs.rs/x", "prompt": "other"})],
            not_covered: vec![
                (
                    "WebFetch",
                    json!({"url": "https://docs.rs/x/../../evil", "prompt": "p"}),
                ),
                (
                    "WebFetch",
                    json!({"url": "https://evil.invalid/?q=https://docs.rs/x", "prompt": "p"}),
                ),
                ("WebFetch", json!({"prompt": "p"})),
            ],
        },
        Row {
            agent: Claude,
            tool: "WebSearch",
            seen: json!({"query": "brush-parser"}),
            says: "WebSearch with exactly this input",
            covered: vec![json!({"query": "brush-parser"})],
            not_covered: vec![("WebSearch", json!({"query": "other"}))],
        },
        Row {
            agent: Claude,
            tool: "Task",
            seen: json!({"description": "d", "prompt": "fix it", "subagent_type": "general"}),
            says: "Task with exactly this input",
            covered: vec![
                json!({"description": "d", "prompt": "fix it", "subagent_type": "general"}),
            ],
            not_covered: vec![(
                "Task",
                json!({"description": "d", "prompt": "delete it", "subagent_type": "general"}),
            )],
        },
        Row {
            agent: Claude,
            tool: "mcp__github__create_issue",
            seen: json!({"repo": "a/b", "title": "t"}),
            says: "with exactly this input",
            covered: vec![json!({"repo": "a/b", "title": "t"})],
            not_covered: vec![
                (
                    "mcp__github__create_issue",
                    json!({"repo": "a/c", "title": "t"}),
                ),
                (
                    "mcp__github__delete_repo",
                    json!({"repo": "a/b", "title": "t"}),
                ),
            ],
        },
        Row {
            agent: Codex,
            tool: "some_new_tool",
            seen: json!({"anything": [1, 2]}),
            says: "some_new_tool with exactly this input",
            covered: vec![json!({"anything": [1, 2]})],
            not_covered: vec![
                ("some_new_tool", json!({"anything": [1, 3]})),
                ("some_new_tool", json!(null)),
            ],
        },
    ]
}

#[test]
fn each_tool_shape_covers_what_was_shown_and_nothing_wider() {
    let mut checked = 0;
    for row in rows() {
        let seen = req(row.agent, row.tool, row.seen.clone());
        let rule = RememberedRule::of(&seen).unwrap_or_else(|| panic!("{} offers a", row.tool));
        assert!(
            rule.describe().contains(row.says),
            "{}: {}",
            row.tool,
            rule.describe()
        );
        assert!(rule.restorable(), "{}", row.tool);
        assert!(rule.covers(&seen), "{}", row.tool);
        for input in &row.covered {
            assert!(
                rule.covers(&req(row.agent, row.tool, input.clone())),
                "{} {input}",
                row.tool
            );
            checked += 1;
        }
        for (tool, input) in &row.not_covered {
            assert!(
                !rule.covers(&req(row.agent, tool, input.clone())),
                "{} covers {tool} {input}",
                row.tool
            );
            checked += 1;
        }
        let mut elsewhere = seen.clone();
        elsewhere.cwd = Some("/other".into());
        let file_scoped = row.says.starts_with("every ") || row.tool == "WebFetch";
        assert_eq!(
            rule.covers(&elsewhere),
            file_scoped,
            "{} in another cwd",
            row.tool
        );
    }
    assert!(checked >= 50, "{checked}");
}

#[test]
fn a_is_not_offered_where_nothing_could_be_shown() {
    for (tool, input) in [
        ("Write", json!({"content": "x"})),
        ("NotebookEdit", json!({})),
        ("WebFetch", json!({"prompt": "p"})),
        ("Bash", Value::Null),
        ("mcp__x__y", Value::Null),
    ] {
        assert_eq!(
            RememberedRule::of(&req(Claude, tool, input.clone())),
            None,
            "{tool} {input}"
        );
    }
}

#[test]
fn after_a_on_git_push_the_queue_still_asks_for_the_rest() {
    let mut approvals = Approvals::default();
    let bash = |c: &str| req(Claude, "Bash", json!({"command": c}));
    approvals.arrive(
        "1".into(),
        bash("git push origin main"),
        HookLine::detached(),
        0,
    );
    approvals.arrive("2".into(), bash("rm -rf ~/"), HookLine::detached(), 0);
    approvals.arrive(
        "3".into(),
        bash("git push origin main; rm -rf ~"),
        HookLine::detached(),
        0,
    );
    approvals.arrive(
        "4".into(),
        bash("git push origin main"),
        HookLine::detached(),
        0,
    );
    approvals.answer(Verdict::Allow, None, true, 1);
    let ids: Vec<_> = approvals.pending.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["2", "3"]);
    assert!(!approvals.arrive(
        "5".into(),
        bash("git push origin main"),
        HookLine::detached(),
        2
    ));
    assert!(approvals.arrive(
        "6".into(),
        bash("git push --force"),
        HookLine::detached(),
        2
    ));
    let codex = |c: &str| req(Codex, "exec_command", json!({"cmd": c}));
    assert!(approvals.arrive(
        "7".into(),
        codex("git push origin main"),
        HookLine::detached(),
        2
    ));
}

#[test]
fn a_does_nothing_where_it_is_not_offered() {
    let mut approvals = Approvals::default();
    approvals.arrive(
        "1".into(),
        req(Claude, "Write", json!({"content": "x"})),
        HookLine::detached(),
        0,
    );
    approvals.answer(Verdict::Allow, None, true, 1);
    assert_eq!(approvals.pending.len(), 1);
    assert!(approvals.remembered.is_empty());
    assert!(approvals.outbox.is_empty());
}

#[test]
fn rules_from_older_saves_are_too_wide_to_restore() {
    for old in [
        json!({"tool": "exec_command", "command": null, "path": null}),
        json!({"tool": "Bash", "command": "git push origin main", "path": null}),
        json!({"tool": "Write", "command": null, "path": "/p/a"}),
        json!({"tool": "Bash", "scope": {"kind": "file", "path": "/p/a"}}),
        json!({"tool": "WebFetch", "scope": {"kind": "exact", "input": {"url": "x"}, "cwd": null}}),
        json!({"tool": "Write", "scope": {"kind": "file", "path": "relative"}}),
    ] {
        let rule: RememberedRule = serde_json::from_value(old.clone()).unwrap();
        assert!(!rule.restorable(), "{old}");
        assert!(!rule.covers(&req(Codex, "exec_command", json!({"cmd": "rm -rf ~"}))));
    }
    let rule = RememberedRule::of(&req(Claude, "Bash", json!({"command": "ls"}))).unwrap();
    let saved: RememberedRule =
        serde_json::from_str(&serde_json::to_string(&rule).unwrap()).unwrap();
    assert_eq!(saved, rule);
    assert!(saved.restorable());
}

/// `a` on a Write of a plain file: the agent then puts a symlink in its
/// place (`notes.txt -> ~/.bashrc`), and the rule must not cover the next
/// Write, which would land outside. A file with other hard links gets no
/// rule at all: its other names may be anywhere.
#[test]
fn a_rule_for_a_file_never_follows_a_link_made_later() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let project = root.join("app");
    std::fs::create_dir_all(&project).unwrap();
    let notes = project.join("notes.txt");
    std::fs::write(&notes, "x").unwrap();
    let write = |path: &std::path::Path| {
        let mut request = req(Claude, "Write", json!({"file_path": path, "content": "y"}));
        request.cwd = Some(project.display().to_string());
        request
    };
    let rule = RememberedRule::of(&write(&notes)).unwrap();
    assert!(rule.covers(&write(&notes)));
    std::fs::remove_file(&notes).unwrap();
    std::os::unix::fs::symlink(root.join(".bashrc"), &notes).unwrap();
    assert!(!rule.covers(&write(&notes)), "{}", rule.describe());
    let linked = project.join("shared.txt");
    std::fs::write(&linked, "x").unwrap();
    std::fs::hard_link(&linked, root.join("elsewhere.txt")).unwrap();
    assert_eq!(RememberedRule::of(&write(&linked)), None);
}

/// `a` on a shell command that writes a file: once the agent puts a symlink
/// in that file's place, the same command writes elsewhere. The policy reads
/// it differently (where the link leads), and the rule no longer covers it.
#[test]
fn a_rule_for_a_command_holds_only_while_the_policy_reads_it_the_same() {
    use cockpit::policy::defaults::default_rules;
    use cockpit::policy::{Policy, ToolCall};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let project = root.join("app");
    std::fs::create_dir_all(&project).unwrap();
    let policy = Policy::compile(&default_rules()).unwrap();
    let input = json!({"command": "cat notes.md > ../out.txt"});
    let asked = || {
        let call = ToolCall::from_hook("Bash", &input, &project);
        let decision = policy.decide(&call, &project);
        let mut request = req(Claude, "Bash", input.clone());
        request.cwd = Some(project.display().to_string());
        request.rule = decision.rule;
        request.why = decision.why;
        request
    };
    let first = asked();
    assert_eq!(first.rule.as_deref(), Some("write-outside-project"));
    let rule = RememberedRule::of(&first).unwrap();
    assert!(rule.covers(&asked()));
    std::os::unix::fs::symlink(root.join("home/.bashrc"), root.join("out.txt")).unwrap();
    assert!(!rule.covers(&asked()), "{:?}", asked().why);
}
