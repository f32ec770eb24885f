//! Session ids and the key naming a project's fallback store.

use std::path::Path;

/// 128 random bits written like a UUID v4 (`8-4-4-4-12` hex digits), so it
/// reads like the agents' own ids and never collides across machines.
pub fn new_session_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No entropy source (a very odd sandbox): time and pid still make
        // collisions between two cockpits implausible.
        let now = crate::clock::now_millis() as u128;
        let mixed = now.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u128::from(std::process::id());
        bytes = mixed.to_le_bytes();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Whether `id` can be part of a ref name: hex digits and dashes only, so a
/// stored or typed id can never escape `refs/cockpit/sessions/`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// Whether an agent's own session id is safe to paste into a shell unquoted:
/// letters, digits, `-`, `_` and `.`, as the agents' uuids and ids are.
pub fn is_plain_token(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// `<directory name>-<16 hex digits of a hash of the full path>`: readable,
/// and two projects with the same name in different places stay apart.
pub fn project_key(dir: &Path) -> String {
    let name: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "root".into())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    format!("{name}-{:016x}", fnv1a(dir.as_os_str().as_encoded_bytes()))
}

/// FNV-1a: a stable hash (std's `DefaultHasher` may change between releases,
/// which would orphan existing stores).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_uuids_and_differ() {
        let a = new_session_id();
        let b = new_session_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(is_valid_id(&a));
        assert!(!is_valid_id("../heads/main"));
    }

    #[test]
    fn project_keys_are_stable_and_distinct() {
        let a = project_key(Path::new("/home/me/work/app"));
        assert_eq!(a, project_key(Path::new("/home/me/work/app")));
        assert_ne!(a, project_key(Path::new("/home/me/play/app")));
        assert!(a.starts_with("app-"));
    }
}
