//! The share of checks meeting the standard as an SVG picture, drawn on the server: no script,
//! nothing added to the tablet's download, and the same in print. Written by hand with maud
//! rather than a plotting crate so that every mark carries a class for print and contrast, a
//! `<title>` a pointer or screen reader can read, and scales with its `viewBox`.

use crate::domain::check::Period;
use crate::domain::spc::{Chart, ChartPoint, GroupShare, Phase, StandsOut, Variation};
use crate::domain::staff_trend::MonthOnTheLine;
use crate::domain::wall_clock::CalendarDate;
use crate::storage::ActionMark;
use maud::{Markup, html};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 44.0;
/// About this many period names fit under the chart at tablet width.
const AXIS_LABELS: usize = 6;

/// `0.78` as "78%".
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The small icon of what a chart's latest point says, after Making Data Count's variation
/// icons: a flat line in grey for common cause, a rising one in blue for improvement, a falling
/// one in orange for concern. Decorative: the tag beside it names it.
pub fn variation_icon(variation: Variation) -> String {
    let (class, line) = match variation {
        Variation::CommonCause => ("variation-icon__common", "5,11 8,9 11,11 15,9"),
        Variation::Improvement => ("variation-icon__improvement", "5,14 8,11 11,9 15,5"),
        Variation::Concern => ("variation-icon__concern", "5,6 8,9 11,11 15,15"),
    };
    html! {
        svg class=(class) viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false" {
            circle cx="10" cy="10" r="8.5" fill="none" stroke-width="2" {}
            polyline points=(line) fill="none" stroke-width="2" {}
        }
    }
    .into_string()
}

struct Frame {
    points: usize,
}

impl Frame {
    fn slot(&self) -> f64 {
        (WIDTH - LEFT - RIGHT) / self.points.max(1) as f64
    }

    fn x(&self, index: usize) -> f64 {
        LEFT + (index as f64 + 0.5) * self.slot()
    }

    fn y(share: f64) -> f64 {
        TOP + (1.0 - share) * (HEIGHT - TOP - BOTTOM)
    }
}

fn px(value: f64) -> String {
    format!("{value:.1}")
}

/// The chart as SVG: `summary` is its description for screen readers (the page shows it too).
pub fn svg(chart: &Chart, actions: &[ActionMark], period: Period, title: &str, summary: &str) -> String {
    let points = chart.points();
    let frame = Frame { points: points.len() };
    let half = frame.slot() / 2.0;
    let phases: Vec<Phase> = match chart {
        Chart::P { phases, .. } => phases.clone(),
        Chart::Run { median, .. } => vec![Phase { first: 0, points: points.len(), centre: *median, trial: false }],
        Chart::NotEnough { .. } => Vec::new(),
    };
    let centre_name = if matches!(chart, Chart::Run { .. }) { "Median" } else { "Centre" };
    let step = points.len().div_ceil(AXIS_LABELS).max(1);
    let line: Vec<String> =
        points.iter().enumerate().map(|(i, p)| format!("{},{}", px(frame.x(i)), px(Frame::y(p.share)))).collect();
    let trial = phases.last().is_some_and(|phase| phase.trial);
    let markup: Markup = html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
            aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet" {
            title #chart-title { (title) }
            desc #chart-desc { (summary) }
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line.chart__grid x1=(px(LEFT)) x2=(px(WIDTH - RIGHT)) y1=(px(Frame::y(tick))) y2=(px(Frame::y(tick))) {}
                text.chart__tick x=(px(LEFT - 6.0)) y=(px(Frame::y(tick) + 4.0)) text-anchor="end" { (percent(tick)) }
            }
            @for (i, point) in points.iter().enumerate().step_by(step) {
                // Names at the edges lean inwards, so none is cut off.
                @let anchor = if frame.x(i) > WIDTH - 60.0 { "end" } else if frame.x(i) < LEFT + 30.0 { "start" } else { "middle" };
                text.chart__tick x=(px(frame.x(i))) y=(px(HEIGHT - BOTTOM + 18.0)) text-anchor=(anchor) {
                    (short_name(&point.period, period))
                }
            }
            @if matches!(chart, Chart::P { .. }) {
                (limit_line(points, &frame, |p| p.upper_limit))
                (limit_line(points, &frame, |p| p.lower_limit))
            }
            @for phase in &phases {
                @let (from, to) = (frame.x(phase.first) - half, frame.x(phase.first + phase.points - 1) + half);
                line.chart__centre x1=(px(from)) x2=(px(to)) y1=(px(Frame::y(phase.centre))) y2=(px(Frame::y(phase.centre))) {}
                text.chart__label x=(px(to - 4.0)) y=(px(Frame::y(phase.centre) - 6.0)) text-anchor="end" {
                    (centre_name) " " (percent(phase.centre))
                }
                @if phase.first > 0 {
                    line.chart__rebase x1=(px(from)) x2=(px(from)) y1=(px(TOP)) y2=(px(HEIGHT - BOTTOM)) {}
                    text.chart__label x=(px(from + 4.0)) y=(px(TOP + 10.0)) { "New limits" }
                }
            }
            @for mark in actions {
                @if let Some(at) = action_x(points, &frame, &mark.period) {
                    g.chart__action {
                        title { "A cycle's first action, " (mark.on.in_words()) }
                        line x1=(px(at)) x2=(px(at)) y1=(px(TOP)) y2=(px(HEIGHT - BOTTOM)) {}
                        path d=(format!("M{} {} l-6 10 h12 z", px(at), px(HEIGHT - BOTTOM - 10.0))) {}
                    }
                }
            }
            polyline.chart__line points=(line.join(" ")) {}
            @for (i, point) in points.iter().enumerate() {
                circle class=(point_class(point)) cx=(px(frame.x(i))) cy=(px(Frame::y(point.share)))
                    r=(if point.signal.is_some() { "5.5" } else { "4" }) {
                    title { (point_in_words(point)) }
                }
            }
            @if trial {
                text.chart__label x=(px(LEFT + 4.0)) y=(px(TOP - 6.0)) { "Trial limits: fewer than 12 points" }
            }
        }
    };
    markup.into_string()
}

/// Something done on a day, marked on a person's time line: a cycle's action.
pub struct MarkOnLine {
    pub on: CalendarDate,
    /// "Coaching, 3 November 2026"
    pub words: String,
}

/// A person's share of checks meeting the standard month by month, no limits (one person's
/// checks are too few for them): a line broken where a month had no checks, each point with how
/// many checks it rests on while they fit, and each of `marks` at its own day.
pub fn time_line_svg(line: &[MonthOnTheLine], marks: &[MarkOnLine], id: &str, title: &str, summary: &str) -> String {
    /// Above this many months the counts over the points would run into each other.
    const COUNTED_MONTHS: usize = 24;
    let frame = Frame { points: line.len() };
    let step = line.len().div_ceil(AXIS_LABELS).max(1);
    let mut segments: Vec<Vec<String>> = vec![Vec::new()];
    for (i, month) in line.iter().enumerate() {
        match month.checks {
            0 => segments.push(Vec::new()),
            checks => segments.last_mut().expect("one segment at least").push(format!(
                "{},{}",
                px(frame.x(i)),
                px(Frame::y(f64::from(month.met) / f64::from(checks)))
            )),
        }
    }
    // A mark sits at its day within its month's slot.
    let mark_x = |on: CalendarDate| -> Option<f64> {
        let day = on.to_string();
        let index = line.iter().position(|month| day.starts_with(&month.month))?;
        let day_of_month: f64 = day.get(8..10)?.parse().ok()?;
        Some(frame.x(index) - frame.slot() / 2.0 + frame.slot() * (day_of_month - 0.5) / 31.0)
    };
    let markup = html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
            aria-labelledby=(format!("{id}-title {id}-desc")) preserveAspectRatio="xMidYMid meet" {
            title id=(format!("{id}-title")) { (title) }
            desc id=(format!("{id}-desc")) { (summary) }
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line.chart__grid x1=(px(LEFT)) x2=(px(WIDTH - RIGHT)) y1=(px(Frame::y(tick))) y2=(px(Frame::y(tick))) {}
                text.chart__tick x=(px(LEFT - 6.0)) y=(px(Frame::y(tick) + 4.0)) text-anchor="end" { (percent(tick)) }
            }
            @for (i, month) in line.iter().enumerate().step_by(step) {
                @let anchor = if frame.x(i) > WIDTH - 60.0 { "end" } else if frame.x(i) < LEFT + 30.0 { "start" } else { "middle" };
                text.chart__tick x=(px(frame.x(i))) y=(px(HEIGHT - BOTTOM + 18.0)) text-anchor=(anchor) {
                    (short_name(&month.month, Period::Month))
                }
            }
            @for mark in marks {
                @if let Some(at) = mark_x(mark.on) {
                    g.chart__action {
                        title { (mark.words) }
                        line x1=(px(at)) x2=(px(at)) y1=(px(TOP)) y2=(px(HEIGHT - BOTTOM)) {}
                        path d=(format!("M{} {} l-6 10 h12 z", px(at), px(HEIGHT - BOTTOM - 10.0))) {}
                    }
                }
            }
            @for segment in segments.iter().filter(|segment| segment.len() > 1) {
                polyline.chart__line points=(segment.join(" ")) {}
            }
            @for (i, month) in line.iter().enumerate().filter(|(_, month)| month.checks > 0) {
                @let share = f64::from(month.met) / f64::from(month.checks);
                circle.chart__point cx=(px(frame.x(i))) cy=(px(Frame::y(share))) r="4" {
                    title {
                        (Period::in_words(&month.month)) ": " (month.met) " of " (month.checks) " met the standard ("
                        (percent(share)) ")"
                    }
                }
                @if line.len() <= COUNTED_MONTHS {
                    text.chart__count x=(px(frame.x(i))) y=(px(Frame::y(share) - 9.0)) text-anchor="middle" { (month.checks) }
                }
            }
        }
    };
    markup.into_string()
}

/// Groups side by side: each share as a dot on its 95 % Wilson interval, and a group that
/// clearly differs from the rest in the colour of concern or improvement.
pub fn intervals_svg(groups: &[GroupShare], id: &str, title: &str, summary: &str) -> String {
    const ROW: f64 = 30.0;
    const LABELS: f64 = 110.0;
    let height = TOP + ROW * groups.len() as f64 + 28.0;
    let x = |share: f64| LABELS + share * (WIDTH - LABELS - RIGHT);
    let markup = html! {
        svg.chart.chart--intervals xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {}", px(height)))
            role="img" aria-labelledby=(format!("{id}-title {id}-desc")) {
            title id=(format!("{id}-title")) { (title) }
            desc id=(format!("{id}-desc")) { (summary) }
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line.chart__grid x1=(px(x(tick))) x2=(px(x(tick))) y1=(px(TOP - 8.0)) y2=(px(height - 24.0)) {}
                text.chart__tick x=(px(x(tick))) y=(px(height - 8.0)) text-anchor="middle" { (percent(tick)) }
            }
            @for (i, group) in groups.iter().enumerate() {
                @let y = TOP + ROW * i as f64 + ROW / 2.0;
                @let class = match group.stands_out {
                    None => "chart__point",
                    Some(StandsOut::Higher) => "chart__point chart__point--improvement",
                    Some(StandsOut::Lower) => "chart__point chart__point--concern",
                };
                g {
                    title { (group.label) ": " (counts_in_words(group)) " met the standard" }
                    text.chart__label x="0" y=(px(y + 4.0)) { (group.label) }
                    line.chart__interval x1=(px(x(group.low))) x2=(px(x(group.high))) y1=(px(y)) y2=(px(y)) {}
                    circle class=(class) cx=(px(x(group.share))) cy=(px(y)) r="5.5" {}
                }
            }
        }
    };
    markup.into_string()
}

/// Each criterion's ratings as one bar split into its 1s, 2s, 3s and 4s (N/A left out of the
/// bar, counted in the table), so that the spread shows without averaging an ordinal score.
/// `criteria` are (name, counts of 1 to 4).
pub fn distribution_svg(criteria: &[(String, [u32; 4])], id: &str, title: &str, summary: &str) -> String {
    const ROW: f64 = 34.0;
    const LABELS: f64 = 200.0;
    /// Narrower than this, a segment's count would not fit inside it.
    const COUNTED_WIDTH: f64 = 22.0;
    let height = TOP + ROW * criteria.len() as f64 + 8.0;
    let width = WIDTH - LABELS - RIGHT;
    let markup = html! {
        svg.chart.chart--distribution xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {}", px(height)))
            role="img" aria-labelledby=(format!("{id}-title {id}-desc")) {
            title id=(format!("{id}-title")) { (title) }
            desc id=(format!("{id}-desc")) { (summary) }
            @for (score, x) in [(1, 0.0), (2, 90.0), (3, 180.0), (4, 270.0)] {
                rect class=(format!("chart__score chart__score--{score}")) x=(px(LABELS + x)) y="2" width="12" height="12" {}
                text.chart__tick x=(px(LABELS + x + 16.0)) y="12" { "Rated " (score) }
            }
            @for (i, (name, counts)) in criteria.iter().enumerate() {
                @let y = TOP + ROW * i as f64 + 6.0;
                @let rated: u32 = counts.iter().sum();
                text.chart__label x="0" y=(px(y + 15.0)) { (shortened(name, 30)) }
                @if rated == 0 {
                    text.chart__tick x=(px(LABELS)) y=(px(y + 15.0)) { "Not rated: N/A only" }
                }
                @for (score, (from, share)) in segments(counts).into_iter().enumerate() {
                    @if share > 0.0 {
                        g {
                            title { (name) ": " (counts[score]) " of " (rated) " rated " (score + 1) }
                            rect class=(format!("chart__score chart__score--{}", score + 1)) x=(px(LABELS + from * width)) y=(px(y))
                                width=(px(share * width)) height="22" {}
                            @if share * width >= COUNTED_WIDTH {
                                text class=(format!("chart__score-count chart__score-count--{}", score + 1))
                                    x=(px(LABELS + (from + share / 2.0) * width)) y=(px(y + 15.0)) text-anchor="middle" { (counts[score]) }
                            }
                        }
                    }
                }
            }
        }
    };
    markup.into_string()
}

/// Where each score's part of a bar starts, and its share of the bar.
fn segments(counts: &[u32; 4]) -> [(f64, f64); 4] {
    let rated: u32 = counts.iter().sum();
    let mut from = 0.0;
    counts.map(|count| {
        let share = if rated == 0 { 0.0 } else { f64::from(count) / f64::from(rated) };
        let segment = (from, share);
        from += share;
        segment
    })
}

/// `text` cut to `chars` characters with an ellipsis; the table beside gives it whole.
fn shortened(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_owned(),
    }
}

/// "2 of 10, 20%; 95% interval 6%–51%"
pub fn counts_in_words(group: &GroupShare) -> String {
    format!(
        "{} of {}, {}; 95% interval {}–{}",
        group.met,
        group.checks,
        percent(group.share),
        percent(group.low),
        percent(group.high)
    )
}

/// A control limit as steps: each point's own, across its slot.
fn limit_line(points: &[ChartPoint], frame: &Frame, limit: impl Fn(&ChartPoint) -> Option<f64>) -> Markup {
    let half = frame.slot() / 2.0;
    let steps: Vec<String> = points
        .iter()
        .enumerate()
        .filter_map(|(i, point)| {
            let y = px(Frame::y(limit(point)?));
            Some(format!("{},{y} {},{y}", px(frame.x(i) - half), px(frame.x(i) + half)))
        })
        .collect();
    html! { polyline.chart__limit points=(steps.join(" ")) {} }
}

/// Where an action in `period` goes: on its period's point, or between the points around it.
fn action_x(points: &[ChartPoint], frame: &Frame, period: &str) -> Option<f64> {
    let index = points.iter().position(|point| point.period.as_str() >= period)?;
    let at = frame.x(index);
    Some(if points[index].period == period { at } else { at - frame.slot() / 2.0 })
}

fn point_class(point: &ChartPoint) -> &'static str {
    match point.variation {
        Variation::CommonCause => "chart__point",
        Variation::Improvement => "chart__point chart__point--improvement",
        Variation::Concern => "chart__point chart__point--concern",
    }
}

/// "Nov 2026: 14 of 18 met the standard (78%); below the lower limit"
pub fn point_in_words(point: &ChartPoint) -> String {
    let mut words = format!(
        "{}: {} of {} met the standard ({})",
        Period::in_words(&point.period),
        point.met,
        point.checks,
        percent(point.share)
    );
    if let Some(signal) = point.signal {
        words.push_str("; ");
        words.push_str(signal.in_words());
    }
    words
}

/// Under the axis: "Nov 2026", "W48 2026".
fn short_name(name: &str, period: Period) -> String {
    let words = Period::in_words(name);
    match period {
        Period::Month => words,
        Period::Week => name.split_once('-').map_or(words, |(year, week)| format!("{week} {year}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_split_by_share_of_the_rated_and_names_are_cut_short() {
        assert_eq!(segments(&[1, 1, 2, 0]), [(0.0, 0.25), (0.25, 0.25), (0.5, 0.5), (1.0, 0.0)]);
        assert_eq!(segments(&[0; 4]), [(0.0, 0.0); 4], "nothing rated: an empty bar");
        assert_eq!(shortened("Knocks and waits", 30), "Knocks and waits");
        assert_eq!(shortened("Offers a choice of clothes and explains", 12), "Offers a cho…");
        assert_eq!(shortened("Élan vital", 4), "Élan…", "cut by characters, not bytes");
    }
}
