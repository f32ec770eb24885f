//! One approval request as Process Gridlock remembers it, and the words
//! its alerts name it by.

use crate::agents::Millis;
use crate::agents::summary::summarize;
use crate::policy::Verdict;
use crate::policy::protocol::ApprovalRequest;
use crate::policy::remember::RememberedRule;

pub(super) struct Request {
    pub(super) id: String,
    pub(super) session: String,
    pub(super) summary: String,
    pub(super) label: String,
    pub(super) rule: Option<RememberedRule>,
    pub(super) asked: Millis,
    /// When it ended, and the human's answer when a human gave one.
    pub(super) ended: Option<(Millis, Option<Verdict>)>,
}

impl Request {
    pub(super) fn waited_until(&self, now: Millis) -> Millis {
        self.ended.map_or(now, |(at, _)| at)
    }

    pub(super) fn answer(&self) -> Option<Verdict> {
        self.ended.and_then(|(_, v)| v)
    }
}

pub(super) fn describe(request: &ApprovalRequest) -> String {
    let summary = summarize(&request.tool, &request.input, request.cwd.as_deref());
    format!(
        "{} `{}`",
        request.tool,
        crate::text::truncate_width(&summary, 60)
    )
}

pub(super) fn label(request: &ApprovalRequest) -> String {
    let id = request.session_id.as_deref().unwrap_or("?");
    let short = id.split('-').next().unwrap_or(id);
    format!("{} {short}", request.agent.label())
}
