use super::*;

#[test]
fn a_store_can_move_to_a_blocking_thread() {
    fn is_send<T: Send>() {}
    is_send::<Store>();
    is_send::<Tracker>();
}

#[test]
fn ref_names_are_parsed_strictly() {
    let local = parse_refname("refs/cockpit/sessions/ab-12");
    assert_eq!(local, Some((None, "ab-12".into())));
    let remote = parse_refname("refs/cockpit/remotes/origin/sessions/ab12");
    assert_eq!(remote, Some((Some("origin".into()), "ab12".into())));
    assert_eq!(parse_refname("refs/cockpit/other/x"), None);
    assert_eq!(parse_refname("refs/cockpit/sessions/a/b"), None);
}
