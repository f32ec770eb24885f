//! Who gives up rows first when the screen is short. The gauge (as two
//! rows: its bar and figures) and a waiting approval are the last to lose
//! theirs; then the status line's keys, a proposed rule's preview (its key
//! must never add what is not on screen), the header, the alerts, a little
//! of the feed; only then the gauge's border, the rest of the alerts, the
//! banner and the feed's other rows.

/// Rows each part would like.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wants {
    pub banner: u16,
    pub approvals: u16,
    pub alerts: u16,
    pub proposal: u16,
    /// The alerts have focus: they take rows before the feed does.
    pub reading_alerts: bool,
}

/// Rows each part gets, top to bottom as drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rows {
    pub header: u16,
    pub banner: u16,
    pub gauge: u16,
    pub approvals: u16,
    pub alerts: u16,
    pub proposal: u16,
    pub body: u16,
    pub status: u16,
}

/// The gauge's bar and figures without the border.
const GAUGE_LEAST: u16 = 2;
const GAUGE_FULL: u16 = 4;
/// A bordered panel with one row inside.
const ONE_ROW: u16 = 3;

pub fn allocate(height: u16, wants: Wants) -> Rows {
    let mut left = height;
    let mut take = |want: u16| {
        let got = want.min(left);
        left -= got;
        got
    };
    let gauge = take(GAUGE_LEAST);
    let status = take(1);
    let approvals = take(wants.approvals);
    let proposal = take(wants.proposal);
    let header = take(1);
    let mut alerts = take(wants.alerts.min(ONE_ROW));
    if wants.reading_alerts {
        alerts += take(wants.alerts.saturating_sub(alerts));
    }
    let body = take(ONE_ROW);
    let gauge = gauge + take(GAUGE_FULL - GAUGE_LEAST);
    let alerts = alerts + take(wants.alerts.saturating_sub(alerts));
    let banner = take(wants.banner);
    let body = body + take(u16::MAX);
    Rows {
        header,
        banner,
        gauge,
        approvals,
        alerts,
        proposal,
        body,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUSY: Wants = Wants {
        banner: 2,
        approvals: 0,
        alerts: 3,
        proposal: 0,
        reading_alerts: false,
    };

    #[test]
    fn a_tall_screen_gives_everyone_what_they_want() {
        let rows = allocate(50, BUSY);
        assert_eq!((rows.gauge, rows.alerts, rows.banner), (4, 3, 2));
        assert_eq!(rows.body, 50 - 1 - 2 - 4 - 3 - 1);
    }

    #[test]
    fn at_40x10_the_gauge_keeps_its_bar_and_figures_before_the_feed_keeps_a_row() {
        let rows = allocate(10, BUSY);
        assert_eq!(rows.gauge, 2);
        assert_eq!(
            (rows.status, rows.header, rows.alerts, rows.body),
            (1, 1, 3, 3)
        );
        assert_eq!(rows.banner, 0);
        let sum = rows.header
            + rows.banner
            + rows.gauge
            + rows.approvals
            + rows.alerts
            + rows.proposal
            + rows.body
            + rows.status;
        assert_eq!(sum, 10);
    }

    #[test]
    fn the_gauge_and_a_waiting_approval_are_the_last_to_give_up_rows() {
        let wants = Wants {
            approvals: 5,
            ..BUSY
        };
        let rows = allocate(8, wants);
        assert_eq!((rows.gauge, rows.approvals, rows.status), (2, 5, 1));
        let rows = allocate(3, wants);
        assert_eq!((rows.gauge, rows.status, rows.approvals), (2, 1, 0));
    }

    #[test]
    fn alerts_being_read_take_rows_before_the_feed() {
        let wants = Wants {
            alerts: 6,
            reading_alerts: true,
            ..BUSY
        };
        let rows = allocate(10, wants);
        assert_eq!((rows.gauge, rows.alerts, rows.body), (2, 6, 0));
    }
}
