//! Process Gridlock: approvals fed as the app feeds them (queued, then
//! answered, with wall-clock times), the alerts it raises and stays silent
//! on, and the rule it proposes: never wider than what the human answered,
//! added with one key through the real state.

use cockpit::action::Action;
use cockpit::agents::{AgentKind, Millis};
use cockpit::config::Config;
use cockpit::detect::{Alert, Pattern};
use cockpit::policy::Verdict;
use cockpit::policy::protocol::ApprovalRequest;
use cockpit::policy::remember::RememberedRule;
use cockpit::state::Cockpit;
use cockpit::state::hook_line::HookLine;
use cockpit::state::propose::open_proposal;
use cockpit::state::replay::Detectors;
use serde_json::json;

const T0: Millis = 1_780_000_000_000;
const MIN: Millis = 60_000;
const KEY: &str = "/t/s1.jsonl";

fn bash(command: &str, cwd: &str) -> ApprovalRequest {
    ApprovalRequest {
        version: 1,
        agent: AgentKind::Claude,
        hook_event: "PermissionRequest".into(),
        session_id: Some("s1-abc".into()),
        transcript_path: Some(KEY.into()),
        cwd: Some(cwd.into()),
        tool: "Bash".into(),
        input: json!({ "command": command, "description": "run it" }),
        rule: None,
        reason: None,
        why: String::new(),
    }
}

/// One request asked at `at`, answered `waited` later.
struct Asked<'a> {
    request: &'a ApprovalRequest,
    at: Millis,
    waited: Millis,
    verdict: Option<Verdict>,
    by: &'a str,
}

fn feed(d: &mut Detectors, asked: &[Asked]) -> usize {
    let mut raised = 0;
    for (i, a) in asked.iter().enumerate() {
        let id = format!("r{i}");
        raised += d.approval_asked(KEY, &id, a.request, a.at);
        raised += d.approval_ended(&id, a.verdict, a.by, a.at + a.waited);
    }
    raised
}

fn human(request: &ApprovalRequest, at: Millis, waited: Millis, verdict: Verdict) -> Asked<'_> {
    Asked {
        request,
        at,
        waited,
        verdict: Some(verdict),
        by: "human",
    }
}

/// Four different calls, none asked twice.
fn four_calls() -> Vec<ApprovalRequest> {
    ["npm install", "cargo build", "make lint", "ls /etc"]
        .iter()
        .map(|c| bash(c, "/p"))
        .collect()
}

/// `calls` asked seven minutes apart from T0, each allowed `waited` later.
fn one_every_seven_minutes(calls: &[ApprovalRequest], waited: Millis) -> Vec<Asked<'_>> {
    calls
        .iter()
        .enumerate()
        .map(|(i, c)| human(c, T0 + i as Millis * 7 * MIN, waited, Verdict::Allow))
        .collect()
}

fn gridlocks(d: &Detectors) -> Vec<&Alert> {
    d.alerts()
        .iter()
        .filter(|a| a.pattern == Pattern::ProcessGridlock)
        .collect()
}

#[test]
fn gridlock_the_same_call_allowed_three_times_proposes_exactly_its_rule() {
    let test = bash("cargo test", "/p");
    let push = bash("git push", "/p");
    let mut d = Detectors::new(&Config::default());
    let raised = feed(
        &mut d,
        &[
            human(&push, T0, 20_000, Verdict::Allow),
            human(&test, T0 + MIN, 30_000, Verdict::Allow),
            human(&test, T0 + 4 * MIN, 30_000, Verdict::Allow),
            human(&test, T0 + 8 * MIN, 40_000, Verdict::Allow),
        ],
    );
    assert_eq!(raised, 1, "on the third answer");
    let alert = gridlocks(&d)[0];
    assert!(
        alert
            .message
            .contains("you allowed Bash `cargo test` 3 times in 7m40s, 1m40s of waiting"),
        "{}",
        alert.message
    );
    let proposal = alert.proposal.as_deref().expect("a rule to add");
    assert_eq!(Some(&proposal.rule), RememberedRule::of(&test).as_ref());
    let asked: Vec<Millis> = proposal.matched.iter().map(|p| p.asked).collect();
    assert_eq!(asked, [T0 + MIN, T0 + 4 * MIN, T0 + 8 * MIN], "the preview");
    assert_eq!(proposal.unmatched, 1, "git push is not covered");
    // Exactly that call: not another command, not another directory.
    assert!(proposal.rule.covers(&test));
    for wider in [
        bash("cargo test --release", "/p"),
        bash("cargo test", "/q"),
        push,
    ] {
        assert!(!proposal.rule.covers(&wider), "{:?}", wider.input);
    }
}

#[test]
fn gridlock_near_miss_twice_or_answered_differently_or_not_by_a_human() {
    let test = bash("cargo test", "/p");
    let mut d = Detectors::new(&Config::default());
    let raised = feed(
        &mut d,
        &[
            human(&test, T0, 20_000, Verdict::Allow),
            human(&test, T0 + MIN, 20_000, Verdict::Deny),
            human(&test, T0 + 2 * MIN, 20_000, Verdict::Allow),
            // Handed back to the agent's prompt: no answer.
            human(&test, T0 + 3 * MIN, 20_000, Verdict::Ask),
            // Answered by a rule: nobody waited on a human.
            Asked {
                request: &test,
                at: T0 + 4 * MIN,
                waited: 0,
                verdict: Some(Verdict::Allow),
                by: "remembered",
            },
            // The hook gave up: no answer.
            Asked {
                request: &test,
                at: T0 + 5 * MIN,
                waited: 10_000,
                verdict: None,
                by: "withdrawn",
            },
        ],
    );
    assert_eq!(raised, 0, "{:#?}", d.alerts());

    // Three allows, but spread over more than the window (30 minutes).
    let mut d = Detectors::new(&Config::default());
    let raised = feed(
        &mut d,
        &[
            human(&test, T0, 20_000, Verdict::Allow),
            human(&test, T0 + 20 * MIN, 20_000, Verdict::Allow),
            human(&test, T0 + 40 * MIN, 20_000, Verdict::Allow),
        ],
    );
    assert_eq!(raised, 0);
}

#[test]
fn gridlock_the_same_call_denied_again_and_again_proposes_nothing_to_allow() {
    let force = bash("git push --force", "/p");
    let mut d = Detectors::new(&Config::default());
    let three = [0, 2, 5].map(|m| human(&force, T0 + m * MIN, 15_000, Verdict::Deny));
    assert_eq!(feed(&mut d, &three), 1);
    let alert = gridlocks(&d)[0];
    assert!(
        alert
            .message
            .contains("you denied Bash `git push --force` 3 times"),
        "{}",
        alert.message
    );
    assert!(alert.what_to_do.contains("deny reason"));
    assert_eq!(alert.proposal, None);
}

#[test]
fn gridlock_most_of_the_window_spent_waiting_on_a_human() {
    let calls = four_calls();
    let mut d = Detectors::new(&Config::default());
    // Four different calls, four minutes each: 16 of the last 30 minutes
    // (12 of 30 at the third: not yet).
    let asked = one_every_seven_minutes(&calls, 4 * MIN);
    assert_eq!(feed(&mut d, &asked), 1);
    let alert = gridlocks(&d)[0];
    assert_eq!(alert.at, Some(T0 + 25 * MIN), "at the fourth answer");
    assert!(
        alert.message.contains(
            "waited on a human 16m00s of the last 30m00s (53%): 4 requests, the longest 4m00s"
        ),
        "{}",
        alert.message
    );
    assert_eq!(
        alert.proposal, None,
        "no one exact rule would have decided them"
    );
    assert_eq!(alert.session.as_deref(), Some(KEY));
}

#[test]
fn gridlock_near_miss_less_than_half_waiting_or_too_few_requests() {
    let calls = four_calls();
    // Four requests of three minutes: 12 of 30 minutes.
    let mut d = Detectors::new(&Config::default());
    let asked = one_every_seven_minutes(&calls, 3 * MIN);
    assert_eq!(feed(&mut d, &asked), 0);
    // Two long waits (the human was away), 26 of 30 minutes: too few requests.
    let mut d = Detectors::new(&Config::default());
    let asked = [
        human(&calls[0], T0, 13 * MIN, Verdict::Allow),
        human(&calls[1], T0 + 14 * MIN, 13 * MIN, Verdict::Allow),
    ];
    assert_eq!(feed(&mut d, &asked), 0);
}

#[test]
fn gridlock_waiting_proposes_the_rule_of_what_was_allowed_twice_never_of_a_refusal() {
    let test = bash("cargo test", "/p");
    let lint = bash("make lint", "/p");
    let build = bash("cargo build", "/p");
    // Waiting 16 of 30 minutes; `cargo test` allowed twice among them.
    let mut d = Detectors::new(&Config::default());
    let asked = [
        human(&test, T0, 4 * MIN, Verdict::Allow),
        human(&lint, T0 + 6 * MIN, 4 * MIN, Verdict::Allow),
        human(&test, T0 + 12 * MIN, 4 * MIN, Verdict::Allow),
        human(&build, T0 + 18 * MIN, 4 * MIN, Verdict::Allow),
    ];
    assert_eq!(feed(&mut d, &asked), 1);
    let proposal = gridlocks(&d)[0]
        .proposal
        .as_deref()
        .expect("cargo test's rule");
    assert_eq!(Some(&proposal.rule), RememberedRule::of(&test).as_ref());
    assert_eq!((proposal.matched.len(), proposal.unmatched), (2, 2));

    // The same, but the human once refused `cargo test`: nothing proposed.
    let mut d = Detectors::new(&Config::default());
    let asked = [
        human(&test, T0, 4 * MIN, Verdict::Allow),
        human(&test, T0 + 6 * MIN, 4 * MIN, Verdict::Deny),
        human(&test, T0 + 12 * MIN, 4 * MIN, Verdict::Allow),
        human(&build, T0 + 18 * MIN, 4 * MIN, Verdict::Allow),
    ];
    assert_eq!(feed(&mut d, &asked), 1);
    assert_eq!(gridlocks(&d)[0].proposal, None);
}

#[test]
fn the_proposed_rule_is_added_with_one_key_and_decides_the_next_request() {
    let test = bash("cargo test", "/p");
    let mut d = Detectors::new(&Config::default());
    let three = [0, 3, 6].map(|m| human(&test, T0 + m * MIN, 30_000, Verdict::Allow));
    feed(&mut d, &three);
    let mut state = Cockpit::new("p".into(), None, T0);
    state.now = T0 + 7 * MIN;
    state.alerts = d.unacknowledged().cloned().collect();
    let offered = open_proposal(&state).expect("on offer").rule.clone();
    state.apply(Action::AddRule, false);
    assert_eq!(state.approvals.remembered, [offered]);
    assert!(open_proposal(&state).is_none(), "added: no longer offered");
    assert!(
        state
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("`cargo test` exactly as shown in /p"))
    );
    // The same call is decided by the rule; the same words elsewhere ask.
    assert!(
        !state
            .approvals
            .arrive("n1".into(), test.clone(), HookLine::detached(), state.now)
    );
    assert!(state.approvals.arrive(
        "n2".into(),
        bash("cargo test", "/q"),
        HookLine::detached(),
        state.now
    ));
    assert_eq!(
        state.approvals.log.last().map(|r| r.by.as_str()),
        Some("remembered")
    );

    // Acknowledged alerts offer nothing; the key then does nothing.
    let mut state = Cockpit::new("p".into(), None, T0);
    state.alerts = d.unacknowledged().cloned().collect();
    state.alerts.iter_mut().for_each(|a| a.acknowledged = true);
    state.apply(Action::AddRule, false);
    assert!(state.approvals.remembered.is_empty());
}

#[test]
fn deadlock_and_gridlock_thresholds_are_bounded_and_used() {
    for (text, key) in [
        ("deadlock_quiet_secs = 10", "detect.deadlock_quiet_secs"),
        ("gridlock_window_secs = 0", "detect.gridlock_window_secs"),
        (
            "gridlock_wait_percent = 101",
            "detect.gridlock_wait_percent",
        ),
        ("gridlock_min_requests = 0", "detect.gridlock_min_requests"),
        ("gridlock_same_answers = 1", "detect.gridlock_same_answers"),
    ] {
        let err = cockpit::config::parse(&format!("[detect]\n{text}\n")).unwrap_err();
        assert!(err.starts_with(&format!("2: key `{key}`")), "{err}");
    }
    let config = cockpit::config::parse("[detect]\ngridlock_same_answers = 2\n").unwrap();
    let test = bash("cargo test", "/p");
    let mut d = Detectors::new(&config);
    let twice = [0, 3].map(|m| human(&test, T0 + m * MIN, 30_000, Verdict::Allow));
    assert_eq!(
        feed(&mut d, &twice),
        1,
        "twice is enough when the config says so"
    );
}
