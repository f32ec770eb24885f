//! Test counts from the summary lines test runners print.

use std::sync::LazyLock;

use regex::Regex;

/// What the runner said it ran. Counts add up over every summary line
/// (cargo prints one per test binary).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
}

/// A runner summary also says pass or fail when no count is printed
/// (`go test`'s `ok` / `FAIL` lines, cargo's `test result: FAILED`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub counts: Option<TestCounts>,
    pub said_failed: bool,
    pub said_ok: bool,
}

static CARGO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"test result: (ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored").unwrap()
});
/// ExUnit: `10 tests, 0 failures`, `3 doctests, 12 tests, 1 failure, 2 skipped`.
static EXUNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(\d+) doctests?, )?(\d+) tests?, (\d+) failures?(?:.*?(\d+) (?:skipped|excluded))?",
    )
    .unwrap()
});
/// pytest's closing line: `=== 2 failed, 10 passed, 1 skipped in 0.31s ===`.
static PYTEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^=+ (.*\d+ (?:passed|failed|error|errors|skipped).*) in [\d.]+s").unwrap()
});
/// jest `Tests:       1 failed, 4 passed, 5 total`, vitest `Tests  1 failed | 4 passed (5)`.
static JEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*Tests:?\s+(.*\d+ (?:passed|failed).*)$").unwrap());
static COUNT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d+) (passed|failed|skipped|errors?|todo|xfailed|xpassed)").unwrap()
});
/// go test: `ok  \tpkg\t0.1s`, `FAIL\tpkg`, `--- FAIL: TestX`.
static GO_OK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^ok\s+\S+").unwrap());
static GO_FAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(FAIL(\s+\S+|$)|--- FAIL: )").unwrap());

pub fn parse(output: &str) -> Summary {
    let mut summary = Summary::default();
    let mut counts = TestCounts::default();
    let mut add = |c: TestCounts| {
        counts.passed += c.passed;
        counts.failed += c.failed;
        counts.skipped += c.skipped;
        true
    };
    let mut any = false;
    for line in output.lines() {
        let line = line.trim_end();
        if let Some(c) = CARGO.captures(line) {
            let n = |i: usize| c[i].parse::<u64>().unwrap_or(0);
            any |= add(TestCounts {
                passed: n(2),
                failed: n(3),
                skipped: n(4),
            });
            summary.said_failed |= &c[1] == "FAILED";
            summary.said_ok |= &c[1] == "ok";
        } else if let Some(c) = PYTEST.captures(line).or_else(|| JEST.captures(line)) {
            any |= add(words(&c[1]));
        } else if let Some(c) = EXUNIT.captures(line) {
            let n = |i: usize| {
                c.get(i)
                    .map_or(0, |m| m.as_str().parse::<u64>().unwrap_or(0))
            };
            let (total, failed, skipped) = (n(1) + n(2), n(3), n(4));
            any |= add(TestCounts {
                passed: total.saturating_sub(failed + skipped),
                failed,
                skipped,
            });
        } else if GO_FAIL.is_match(line) {
            summary.said_failed = true;
        } else if GO_OK.is_match(line) {
            summary.said_ok = true;
        }
    }
    if any {
        summary.said_failed |= counts.failed > 0;
        summary.counts = Some(counts);
    }
    summary
}

fn words(text: &str) -> TestCounts {
    let mut counts = TestCounts::default();
    for c in COUNT_WORD.captures_iter(text) {
        let n: u64 = c[1].parse().unwrap_or(0);
        match &c[2] {
            "passed" | "xfailed" | "xpassed" => counts.passed += n,
            "failed" | "error" | "errors" => counts.failed += n,
            _ => counts.skipped += n,
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(output: &str) -> (u64, u64, u64) {
        let c = parse(output).counts.expect("counts");
        (c.passed, c.failed, c.skipped)
    }

    #[test]
    fn every_runner_summary_line() {
        assert_eq!(
            counts(
                "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out\ntest result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured"
            ),
            (5, 1, 1)
        );
        assert_eq!(
            counts("==== 2 failed, 10 passed, 1 skipped in 0.31s ===="),
            (10, 2, 1)
        );
        assert_eq!(
            counts("Tests:       1 failed, 4 passed, 5 total"),
            (4, 1, 0)
        );
        assert_eq!(counts("      Tests  1 failed | 4 passed (5)"), (4, 1, 0));
        assert_eq!(
            counts("Finished in 0.2 seconds\n410 tests, 0 failures"),
            (410, 0, 0)
        );
        assert_eq!(
            counts("3 doctests, 12 tests, 1 failure, 2 excluded"),
            (12, 1, 2)
        );
        assert!(parse("test result: FAILED. 0 passed; 1 failed; 0 ignored").said_failed);
    }

    #[test]
    fn go_says_ok_or_fail_without_counts() {
        let ok = parse("ok  \texample.com/pkg\t0.01s");
        assert!(ok.said_ok && !ok.said_failed && ok.counts.is_none());
        let fail = parse("--- FAIL: TestAdd (0.00s)\nFAIL\nFAIL\texample.com/pkg\t0.01s");
        assert!(fail.said_failed);
        assert!(parse("nothing here").counts.is_none());
    }
}
