use super::*;

#[test]
fn the_wait_ends_before_the_agent_kills_the_hook() {
    let mut config = Config::default();
    config.approvals.timeout_secs = 3_600;
    assert_eq!(wait_limit(&config), Duration::from_secs(MAX_WAIT_SECS));
    config.approvals.timeout_secs = 0;
    assert_eq!(wait_limit(&config), Duration::from_secs(1));
}
