//! Telling change from noise (`docs/domain.md` §7): the share of checks meeting the standard,
//! period by period, as a p-chart in the Making Data Count style, a run chart when the periods
//! rest on too few checks for control limits, or "not enough checks yet" with how many more
//! periods are needed. The special-cause rules mean what they mean in NHS-R's NHSRplotthedots;
//! the run chart's rules are Anhøj's, as qicharts2 applies them. Ratings are never averaged: a
//! check either meets the standard or it does not.

use serde::Serialize;

/// One period (an ISO week or a month) of one service's checks on one theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// `2026-W48` or `2026-11`, as the storage counts it.
    pub period: String,
    pub checks: u32,
    pub met: u32,
}

impl Sample {
    pub fn share(&self) -> f64 {
        if self.checks == 0 { 0.0 } else { f64::from(self.met) / f64::from(self.checks) }
    }
}

/// Fewer periods than this give trial limits.
pub const TRIAL_UNDER: usize = 12;
/// A p-chart needs at least this many periods, with trial limits until [`TRIAL_UNDER`].
pub const P_CHART_FROM: usize = 6;
/// The Anhøj rules need at least this many periods off the median to judge anything.
pub const RUN_CHART_FROM: usize = 10;
/// Every special-cause rule of the package counts seven points.
const RUN_LENGTH: usize = 7;

/// Why a point stands out, in the package's order of precedence: a point can show only one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    AboveUpperLimit,
    BelowLowerLimit,
    TrendUp,
    TrendDown,
    TwoOfThreeHigh,
    TwoOfThreeLow,
    RunAbove,
    RunBelow,
}

impl Signal {
    /// +1 when the signal is of a rise, −1 of a fall.
    fn direction(self) -> i8 {
        match self {
            Signal::AboveUpperLimit | Signal::TrendUp | Signal::TwoOfThreeHigh | Signal::RunAbove => 1,
            Signal::BelowLowerLimit | Signal::TrendDown | Signal::TwoOfThreeLow | Signal::RunBelow => -1,
        }
    }

    pub fn in_words(self) -> &'static str {
        match self {
            Signal::AboveUpperLimit => "above the upper limit",
            Signal::BelowLowerLimit => "below the lower limit",
            Signal::TrendUp => "part of 7 rising in a row",
            Signal::TrendDown => "part of 7 falling in a row",
            Signal::TwoOfThreeHigh => "2 of 3 near the upper limit",
            Signal::TwoOfThreeLow => "2 of 3 near the lower limit",
            Signal::RunAbove => "part of 7 above the centre line",
            Signal::RunBelow => "part of 7 below the centre line",
        }
    }
}

/// What a point, or the chart's latest point, says: Making Data Count's variation icons. More
/// checks meeting the standard is better, so a rise is an improvement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    CommonCause,
    Improvement,
    Concern,
}

impl Variation {
    fn of(signal: Option<Signal>) -> Variation {
        match signal.map(Signal::direction) {
            Some(1) => Variation::Improvement,
            Some(_) => Variation::Concern,
            None => Variation::CommonCause,
        }
    }

    /// The icon's meaning, as Making Data Count names it.
    pub fn in_words(self) -> &'static str {
        match self {
            Variation::CommonCause => "Common cause variation: no sign of real change",
            Variation::Improvement => "Special cause variation of improvement: more checks meet the standard",
            Variation::Concern => "Special cause variation of concern: fewer checks meet the standard",
        }
    }
}

/// One point as drawn: its share, the centre and limits it is judged against (p-chart only),
/// and the signal it shows, if any.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChartPoint {
    pub period: String,
    pub checks: u32,
    pub met: u32,
    pub share: f64,
    pub centre: f64,
    pub lower_limit: Option<f64>,
    pub upper_limit: Option<f64>,
    pub signal: Option<Signal>,
    pub variation: Variation,
}

/// A stretch of points sharing one centre line: the whole chart, or the part after a cycle's
/// action that the chart showed a signal after.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Phase {
    pub first: usize,
    pub points: usize,
    pub centre: f64,
    /// Fewer than [`TRIAL_UNDER`] points: limits to be read as provisional.
    pub trial: bool,
}

/// The Anhøj rules' reading of a run chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunTest {
    /// Points not on the median.
    pub useful: usize,
    pub longest_run: usize,
    /// +1 when the longest run is above the median, −1 below, 0 when there is none.
    pub longest_run_side: i8,
    /// A longer run than this is a signal.
    pub longest_run_limit: usize,
    pub crossings: usize,
    /// Fewer crossings than this is a signal.
    pub fewest_crossings: usize,
}

impl RunTest {
    pub fn signals(&self) -> bool {
        self.useful >= RUN_CHART_FROM
            && (self.longest_run > self.longest_run_limit || self.crossings < self.fewest_crossings)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    /// Control limits from each point's own n.
    P { points: Vec<ChartPoint>, phases: Vec<Phase>, latest: Variation },
    /// Too few checks a period for limits: the median, judged by the Anhøj rules.
    Run { points: Vec<ChartPoint>, median: f64, test: RunTest },
    /// Too few periods for either; `more_periods` more with checks would draw one.
    NotEnough { periods: usize, checks: u32, more_periods: usize },
}

impl Chart {
    pub fn points(&self) -> &[ChartPoint] {
        match self {
            Chart::P { points, .. } | Chart::Run { points, .. } => points,
            Chart::NotEnough { .. } => &[],
        }
    }
}

/// The chart of `samples` (oldest first, periods without checks left out). `changes` are the
/// indices of the first point after a known change (a cycle's action): the limits start afresh
/// there only when, judged by the limits before it, the points from there on show a signal, and
/// only when at least [`P_CHART_FROM`] points lie on each side of it.
///
/// The rule: a p-chart when there are at least [`P_CHART_FROM`] periods and they rest on at
/// least 1/p̄ checks each on average (p̄ the rarer of meeting and not meeting the standard: in
/// whole numbers, at least as many checks of the rarer outcome as there are periods, so that a
/// period can expect one); otherwise a run chart from [`RUN_CHART_FROM`] periods; otherwise not
/// enough checks yet. A single thin period (a month begun part way) keeps the p-chart, with the
/// wide limits its own n gives it.
pub fn standard_chart(samples: &[Sample], changes: &[usize]) -> Chart {
    let checks: u32 = samples.iter().map(|sample| sample.checks).sum();
    let met: u32 = samples.iter().map(|sample| sample.met).sum();
    let rarer = met.min(checks - met) as usize;
    let enough_per_period = rarer > 0 && rarer >= samples.len();
    if enough_per_period && samples.len() >= P_CHART_FROM {
        return p_chart(samples, changes);
    }
    if samples.len() >= RUN_CHART_FROM {
        return run_chart(samples);
    }
    let needed = if enough_per_period { P_CHART_FROM } else { RUN_CHART_FROM };
    Chart::NotEnough { periods: samples.len(), checks, more_periods: needed - samples.len() }
}

/// p̄: checks meeting the standard over all checks.
fn centre_of(samples: &[Sample]) -> f64 {
    let (met, checks) = samples
        .iter()
        .fold((0u64, 0u64), |(met, checks), sample| (met + u64::from(sample.met), checks + u64::from(sample.checks)));
    if checks == 0 { 0.0 } else { met as f64 / checks as f64 }
}

fn p_chart(samples: &[Sample], changes: &[usize]) -> Chart {
    let mut starts = vec![0];
    let mut changes = changes.to_vec();
    changes.sort_unstable();
    changes.dedup();
    for change in changes {
        let start = *starts.last().expect("the first phase starts at 0");
        // Limits from fewer points than a p-chart needs, before or after, would say nothing: the
        // limits carry on, and a fall just after an action still shows against them.
        if change < start + P_CHART_FROM || change + P_CHART_FROM > samples.len() {
            continue;
        }
        let before = centre_of(&samples[start..change]);
        if judged_points(&samples[change..], before).iter().any(|point| point.signal.is_some()) {
            starts.push(change);
        }
    }
    let mut points = Vec::with_capacity(samples.len());
    let mut phases = Vec::with_capacity(starts.len());
    for (index, &first) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(samples.len());
        let centre = centre_of(&samples[first..end]);
        points.extend(judged_points(&samples[first..end], centre));
        phases.push(Phase { first, points: end - first, centre, trial: end - first < TRIAL_UNDER });
    }
    let latest = points.last().map_or(Variation::CommonCause, |point| point.variation);
    Chart::P { points, phases, latest }
}

/// Each sample against `centre`, with p-chart limits from its own n and its signal.
fn judged_points(samples: &[Sample], centre: f64) -> Vec<ChartPoint> {
    let limits: Vec<Limits> = samples.iter().map(|sample| Limits::p_chart(centre, sample.checks)).collect();
    let values: Vec<f64> = samples.iter().map(Sample::share).collect();
    let signals = special_causes(&values, centre, &limits);
    samples
        .iter()
        .zip(limits)
        .zip(signals)
        .map(|((sample, limits), signal)| ChartPoint {
            period: sample.period.clone(),
            checks: sample.checks,
            met: sample.met,
            share: sample.share(),
            centre,
            lower_limit: Some(limits.lower),
            upper_limit: Some(limits.upper),
            signal,
            variation: Variation::of(signal),
        })
        .collect()
}

/// A point's control limits (3σ) and near limits (2σ).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub lower: f64,
    pub upper: f64,
    pub near_lower: f64,
    pub near_upper: f64,
}

impl Limits {
    /// For a share with `n` checks behind it: σ = √(p̄(1 − p̄)/n), clipped to 0–1.
    pub fn p_chart(centre: f64, n: u32) -> Limits {
        let sigma = if n == 0 { 0.0 } else { (centre * (1.0 - centre) / f64::from(n)).sqrt() };
        let at = |sigmas: f64| (centre + sigmas * sigma).clamp(0.0, 1.0);
        Limits { lower: at(-3.0), upper: at(3.0), near_lower: at(-2.0), near_upper: at(2.0) }
    }
}

/// The signal each value shows against `centre` and its `limits`, by NHSRplotthedots' rules and
/// precedence: outside the limits (strictly), then part of a trend of 7 (6 steps the same way;
/// a tie breaks it; the centre does not matter), then part of 2 of 3 beyond the near limit (all
/// three on one side of the centre; only the near ones are marked, never one outside the
/// limits), then part of a run of 7 on one side of the centre (a point on it breaks the run).
pub fn special_causes(values: &[f64], centre: f64, limits: &[Limits]) -> Vec<Option<Signal>> {
    let sides: Vec<i8> = values.iter().map(|value| side(*value, centre)).collect();
    let outside: Vec<bool> =
        values.iter().zip(limits).map(|(value, limits)| *value > limits.upper || *value < limits.lower).collect();
    let near: Vec<bool> = values
        .iter()
        .zip(limits)
        .zip(&outside)
        .map(|((value, limits), outside)| !outside && (*value > limits.near_upper || *value < limits.near_lower))
        .collect();
    let trends = part_of_trend(values);
    let two_of_three = part_of_two_of_three(&near, &sides);
    let runs = part_of_run(&sides);
    (0..values.len())
        .map(|i| {
            let rising = sides[i] > 0;
            if outside[i] {
                Some(if rising { Signal::AboveUpperLimit } else { Signal::BelowLowerLimit })
            } else if trends[i] != 0 {
                Some(if trends[i] > 0 { Signal::TrendUp } else { Signal::TrendDown })
            } else if two_of_three[i] {
                Some(if rising { Signal::TwoOfThreeHigh } else { Signal::TwoOfThreeLow })
            } else if runs[i] {
                Some(if rising { Signal::RunAbove } else { Signal::RunBelow })
            } else {
                None
            }
        })
        .collect()
}

fn side(value: f64, centre: f64) -> i8 {
    if value > centre {
        1
    } else if value < centre {
        -1
    } else {
        0
    }
}

/// Whether each point belongs to 7 or more in a row on the same side of the centre.
fn part_of_run(sides: &[i8]) -> Vec<bool> {
    let ends: Vec<bool> = (0..sides.len())
        .map(|i| i + 1 >= RUN_LENGTH && sides[i] != 0 && sides[i + 1 - RUN_LENGTH..i].iter().all(|s| *s == sides[i]))
        .collect();
    backfill(&ends)
}

/// +1 or −1 for each point in 7 or more rising or falling in a row, 0 otherwise. A point in two
/// trends (at a peak) takes the direction of the step after it, as the package labels it.
fn part_of_trend(values: &[f64]) -> Vec<i8> {
    let steps: Vec<i8> = values.windows(2).map(|pair| side(pair[1], pair[0])).collect();
    // A trend ends at point i when the 6 steps before it all go the same way.
    let ends: Vec<bool> = (0..values.len())
        .map(|i| {
            i + 1 >= RUN_LENGTH && steps[i - 1] != 0 && steps[i + 1 - RUN_LENGTH..i].iter().all(|s| *s == steps[i - 1])
        })
        .collect();
    let in_trend = backfill(&ends);
    (0..values.len())
        .map(|i| match (in_trend[i], in_trend.get(i + 1).copied().unwrap_or(false)) {
            (false, _) => 0,
            // A tie after a trend's last point ends it without changing its direction.
            (true, true) if steps[i] != 0 => steps[i],
            (true, _) => steps[i - 1],
        })
        .collect()
}

/// Whether each point is near a limit and one of at least 2 of 3 in a row that are, all three
/// on one side of the centre.
fn part_of_two_of_three(near: &[bool], sides: &[i8]) -> Vec<bool> {
    let windows_ok = |start: usize| {
        let window = start..start + 3;
        window.end <= near.len()
            && near[window.clone()].iter().filter(|n| **n).count() >= 2
            && sides[window.clone()].iter().all(|s| *s == sides[start] && *s != 0)
    };
    (0..near.len()).map(|i| near[i] && (i.saturating_sub(2)..=i).any(windows_ok)).collect()
}

/// Marks the 7 points that end at each marked point.
fn backfill(ends: &[bool]) -> Vec<bool> {
    (0..ends.len()).map(|i| ends[i..ends.len().min(i + RUN_LENGTH)].iter().any(|end| *end)).collect()
}

fn run_chart(samples: &[Sample]) -> Chart {
    let values: Vec<f64> = samples.iter().map(Sample::share).collect();
    let median = median_of(&values);
    let test = anhoej(&values, median);
    let points = samples
        .iter()
        .map(|sample| ChartPoint {
            period: sample.period.clone(),
            checks: sample.checks,
            met: sample.met,
            share: sample.share(),
            centre: median,
            lower_limit: None,
            upper_limit: None,
            signal: None,
            variation: Variation::CommonCause,
        })
        .collect();
    Chart::Run { points, median, test }
}

fn median_of(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The Anhøj rules: points on the centre are left out; the longest run on one side is a signal
/// when longer than round(log₂ n) + 3, and the crossings are a signal when fewer than the lower
/// 5 % point of Binomial(n − 1, ½), n being the points left.
pub fn anhoej(values: &[f64], centre: f64) -> RunTest {
    let sides: Vec<i8> = values.iter().map(|value| side(*value, centre)).filter(|side| *side != 0).collect();
    let mut longest_run = 0;
    let mut longest_run_side = 0;
    let mut crossings = 0;
    let mut current = 0;
    for (index, side) in sides.iter().enumerate() {
        if index > 0 && sides[index - 1] != *side {
            crossings += 1;
            current = 0;
        }
        current += 1;
        if current > longest_run {
            longest_run = current;
            longest_run_side = *side;
        }
    }
    let useful = sides.len();
    RunTest {
        useful,
        longest_run,
        longest_run_side,
        longest_run_limit: longest_run_limit(useful),
        crossings,
        fewest_crossings: fewest_crossings(useful),
    }
}

/// round(log₂ n) + 3.
pub fn longest_run_limit(useful: usize) -> usize {
    if useful == 0 { 3 } else { (useful as f64).log2().round() as usize + 3 }
}

/// The smallest k with P(X ≤ k) ≥ 0.05 for X ~ Binomial(n − 1, ½).
pub fn fewest_crossings(useful: usize) -> usize {
    let trials = useful.saturating_sub(1);
    // In logs, so that long series do not underflow 0.5ⁿ.
    let mut log_choose = 0.0f64;
    let log_half_power = trials as f64 * 0.5f64.ln();
    let mut cumulative = 0.0;
    for k in 0..=trials {
        if k > 0 {
            log_choose += ((trials - k + 1) as f64).ln() - (k as f64).ln();
        }
        cumulative += (log_choose + log_half_power).exp();
        if cumulative >= 0.05 {
            return k;
        }
    }
    trials
}

/// Wilson's 95 % interval for `met` of `checks`: honest about small numbers where a bare
/// percentage is not.
pub fn wilson_interval(met: u32, checks: u32) -> (f64, f64) {
    if checks == 0 {
        return (0.0, 1.0);
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = f64::from(checks);
    let p = f64::from(met) / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// One group of checks to set beside the rest: a shift type, or weekends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupCount {
    pub label: String,
    pub checks: u32,
    pub met: u32,
}

/// Which way a group differs from the rest, when it clearly does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StandsOut {
    Lower,
    Higher,
}

/// A group's share meeting the standard with its Wilson interval, and whether it stands out.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupShare {
    pub label: String,
    pub checks: u32,
    pub met: u32,
    pub share: f64,
    pub low: f64,
    pub high: f64,
    pub stands_out: Option<StandsOut>,
}

/// Each group beside all the other groups' checks together: it stands out only when its Wilson
/// interval and theirs do not overlap, so that a few checks never make a difference look real.
pub fn against_the_rest(groups: &[GroupCount]) -> Vec<GroupShare> {
    let (all_checks, all_met) =
        groups.iter().fold((0, 0), |(checks, met), group| (checks + group.checks, met + group.met));
    groups
        .iter()
        .map(|group| {
            let (low, high) = wilson_interval(group.met, group.checks);
            let (rest_checks, rest_met) = (all_checks - group.checks, all_met - group.met);
            let stands_out = if group.checks == 0 || rest_checks == 0 {
                None
            } else {
                let (rest_low, rest_high) = wilson_interval(rest_met, rest_checks);
                if high < rest_low {
                    Some(StandsOut::Lower)
                } else if low > rest_high {
                    Some(StandsOut::Higher)
                } else {
                    None
                }
            };
            let share = if group.checks == 0 { 0.0 } else { f64::from(group.met) / f64::from(group.checks) };
            GroupShare {
                label: group.label.clone(),
                checks: group.checks,
                met: group.met,
                share,
                low,
                high,
                stands_out,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The package's XmR limits (mean ± 2.66 × mean moving range, screened once at 3.267 ×),
    /// so that its own examples can be run through the rules here.
    fn xmr_limits(values: &[f64]) -> (f64, Vec<Limits>) {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let ranges: Vec<f64> = values.windows(2).map(|pair| (pair[1] - pair[0]).abs()).collect();
        let first = ranges.iter().sum::<f64>() / ranges.len() as f64;
        let kept: Vec<f64> = ranges.iter().copied().filter(|range| *range < 3.267 * first).collect();
        let amr = kept.iter().sum::<f64>() / kept.len() as f64;
        let limits = Limits {
            lower: mean - 2.66 * amr,
            upper: mean + 2.66 * amr,
            near_lower: mean - 2.0 * 2.66 / 3.0 * amr,
            near_upper: mean + 2.0 * 2.66 / 3.0 * amr,
        };
        (mean, vec![limits; values.len()])
    }

    fn xmr_signals(values: &[f64]) -> Vec<Option<Signal>> {
        let (mean, limits) = xmr_limits(values);
        special_causes(values, mean, &limits)
    }

    fn flagged(signals: &[Option<Signal>]) -> Vec<usize> {
        signals.iter().enumerate().filter(|(_, s)| s.is_some()).map(|(i, _)| i + 1).collect()
    }

    fn samples(pairs: &[(u32, u32)]) -> Vec<Sample> {
        pairs
            .iter()
            .enumerate()
            .map(|(i, (met, checks))| Sample { period: format!("2026-W{:02}", i + 1), checks: *checks, met: *met })
            .collect()
    }

    // The package's unit tests of each rule, on sides and values as it gives them.

    #[test]
    fn seven_on_one_side_needs_seven_and_marks_all_of_them() {
        assert_eq!(part_of_run(&[1; 6]), [false; 6]);
        assert_eq!(part_of_run(&[1, 1, 1, 1, 1, 1, -1]), [false; 7]);
        assert_eq!(part_of_run(&[1, 1, 1, 1, 1, 1, 1, 1, -1]), [true, true, true, true, true, true, true, true, false]);
        assert_eq!(part_of_run(&[1, 1, 1, 0, 1, 1, 1, 1]), [false; 8], "a point on the centre breaks the run");
        assert_eq!(part_of_run(&[-1; 7]), [true; 7]);
    }

    #[test]
    fn a_trend_is_six_steps_one_way_and_a_tie_breaks_it() {
        let values = |v: &[i32]| v.iter().map(|x| f64::from(*x)).collect::<Vec<_>>();
        assert_eq!(part_of_trend(&values(&[1, 2, 3, 3, 4, 5, 6])), [0; 7]);
        assert_eq!(part_of_trend(&values(&[2, 1, 2, 3, 4, 5, 6, 7, 3])), [0, 1, 1, 1, 1, 1, 1, 1, 0]);
        assert_eq!(part_of_trend(&values(&[2, 7, 6, 5, 4, 3, 2, 1, 3])), [0, -1, -1, -1, -1, -1, -1, -1, 0]);
        assert_eq!(part_of_trend(&values(&[1, 2, 3, 4, 5, 6])), [0; 6], "six points are five steps");
        let peak = part_of_trend(&values(&[1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1]));
        assert_eq!(peak, [1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1], "a tie at the top ends the rise");
    }

    #[test]
    fn two_of_three_marks_only_the_near_points_on_one_side() {
        assert_eq!(
            part_of_two_of_three(&[false, false, true, true, false, false, false], &[1; 7]),
            [false, false, true, true, false, false, false]
        );
        assert_eq!(
            part_of_two_of_three(&[false, false, true, false, true, false, false], &[1; 7]),
            [false, false, true, false, true, false, false]
        );
        assert_eq!(part_of_two_of_three(&[true, false, true], &[1, -1, 1]), [false; 3]);
        assert_eq!(part_of_two_of_three(&[true, false, false, true, true], &[1; 5]), [false, false, false, true, true]);
        assert_eq!(part_of_two_of_three(&[true, false, false, true], &[1; 4]), [false; 4]);
    }

    // The package's examples, end to end.

    #[test]
    fn the_deviations_vignette_flags_only_its_one_high_point() {
        let values = [1., 2., 1., 2., 10., 1., 2., 1., 2., 1., 2., 1., 2., 1., 2., 1., 2., 1.];
        let (mean, limits) = xmr_limits(&values);
        assert!((mean - 1.9444).abs() < 1e-3);
        assert!((limits[0].upper - 4.60).abs() < 5e-3 && (limits[0].lower + 0.72).abs() < 5e-3);
        let signals = xmr_signals(&values);
        assert_eq!(flagged(&signals), [5]);
        assert_eq!(signals[4], Some(Signal::AboveUpperLimit));
        assert_eq!(Variation::of(signals[4]), Variation::Improvement);
    }

    #[test]
    fn near_points_on_opposite_sides_are_common_cause() {
        let mut values: Vec<f64> = [1.0, -1.0].repeat(8);
        values[14] = 5.5;
        values[15] = -5.5;
        assert_eq!(flagged(&xmr_signals(&values)), Vec::<usize>::new());
    }

    #[test]
    fn a_rising_trend_across_the_centre_is_an_improvement() {
        let values = [5., 3., 5., 3., 5., 3., 1., 2., 3., 4., 5., 6., 7., 3., 5., 3., 5.];
        let signals = xmr_signals(&values);
        assert_eq!(flagged(&signals), [7, 8, 9, 10, 11, 12, 13]);
        assert!(signals[6..13].iter().all(|s| *s == Some(Signal::TrendUp)));
    }

    #[test]
    fn a_point_on_the_mean_breaks_what_would_be_a_run() {
        let values = [1., 5., 1., 5., 4., 4., 4., 3., 4., 4., 4., 1., 1., 2., 2.];
        assert_eq!(xmr_signals(&values), vec![None; 15]);
    }

    #[test]
    fn precedence_outside_before_two_of_three_before_run() {
        // Limits fixed on the first 12 points, as the package's fix_after_n_points = 12 does.
        let mut values: Vec<f64> = [0.0, 1.0].repeat(6);
        values.extend([3.0, 4.0].repeat(4));
        let (mean, limits) = xmr_limits(&values[..12]);
        assert!((mean - 0.5).abs() < 1e-9 && (limits[0].upper - 3.16).abs() < 1e-9);
        let signals = special_causes(&values, mean, &vec![limits[0]; values.len()]);
        assert_eq!(signals[11], Some(Signal::RunAbove));
        for point in [12, 14, 16, 18] {
            assert_eq!(signals[point], Some(Signal::TwoOfThreeHigh), "point {}", point + 1);
        }
        for point in [13, 15, 17, 19] {
            assert_eq!(signals[point], Some(Signal::AboveUpperLimit), "point {}", point + 1);
        }
    }

    #[test]
    fn a_point_on_a_limit_is_near_but_not_outside() {
        let limits = Limits { lower: 0.2, upper: 0.8, near_lower: 0.4, near_upper: 0.6 };
        let signals = special_causes(&[0.55, 0.8, 0.8, 0.5], 0.5, &[limits; 4]);
        assert_eq!(signals, [None, Some(Signal::TwoOfThreeHigh), Some(Signal::TwoOfThreeHigh), None]);
    }

    // p-chart limits, and which chart the numbers allow.

    #[test]
    fn p_chart_limits_come_from_each_points_own_n_and_stay_within_0_and_1() {
        let few = Limits::p_chart(0.8, 10);
        assert!((few.upper - 1.0).abs() < 1e-12, "0.8 + 3 × 0.126 is clipped to 1");
        assert!((few.lower - (0.8 - 3.0 * (0.016f64).sqrt())).abs() < 1e-12);
        assert!((few.near_lower - (0.8 - 2.0 * (0.016f64).sqrt())).abs() < 1e-12);
        let many = Limits::p_chart(0.8, 100);
        assert!((many.upper - 0.92).abs() < 1e-12 && (many.lower - 0.68).abs() < 1e-12);
        assert_eq!(Limits::p_chart(1.0, 30).lower, 1.0, "no spread when every check met the standard");
    }

    #[test]
    fn enough_checks_in_every_period_draw_a_p_chart_with_trial_limits_under_twelve_points() {
        let chart = standard_chart(&samples(&[(16, 20); 8]), &[]);
        let Chart::P { points, phases, latest } = chart else { panic!("{chart:?}") };
        assert_eq!(points.len(), 8);
        assert_eq!(phases, [Phase { first: 0, points: 8, centre: 0.8, trial: true }]);
        assert_eq!(latest, Variation::CommonCause);
        let Chart::P { phases, .. } = standard_chart(&samples(&[(16, 20); 12]), &[]) else { panic!() };
        assert!(!phases[0].trial);
    }

    #[test]
    fn periods_on_fewer_than_one_over_p_bar_checks_on_average_make_it_a_run_chart() {
        // p̄ = 0.8, so the rarer share is 0.2 and periods need 5 checks on average: 5 will do.
        let Chart::P { .. } = standard_chart(&samples(&[(4, 5); 12]), &[]) else { panic!("5 checks suffice") };
        // One thin period among full ones keeps the p-chart.
        let mut thin = vec![(8, 10); 11];
        thin.push((1, 1));
        assert!(matches!(standard_chart(&samples(&thin), &[]), Chart::P { .. }));
        // 2 misses in 12 periods of 2 checks: too few for limits.
        let mut pairs = vec![(2, 2); 10];
        pairs.extend([(1, 2); 2]);
        let chart = standard_chart(&samples(&pairs), &[]);
        assert!(matches!(chart, Chart::Run { .. }), "{chart:?}");
        assert!(matches!(standard_chart(&samples(&[(20, 20); 12]), &[]), Chart::Run { .. }), "p̄ = 1 has no limits");
    }

    #[test]
    fn too_few_periods_say_how_many_more_are_needed() {
        assert_eq!(
            standard_chart(&samples(&[(1, 1); 4]), &[]),
            Chart::NotEnough { periods: 4, checks: 4, more_periods: 6 }
        );
        assert_eq!(
            standard_chart(&samples(&[(8, 10); 5]), &[]),
            Chart::NotEnough { periods: 5, checks: 50, more_periods: 1 }
        );
        assert_eq!(standard_chart(&[], &[]), Chart::NotEnough { periods: 0, checks: 0, more_periods: 10 });
    }

    #[test]
    fn a_fall_below_the_lower_limit_is_a_concern_and_the_latest_point_says_so() {
        let mut pairs = vec![(18, 20); 12];
        pairs.push((8, 20));
        let Chart::P { points, latest, .. } = standard_chart(&samples(&pairs), &[]) else { panic!() };
        assert_eq!(points[12].signal, Some(Signal::BelowLowerLimit));
        assert_eq!(latest, Variation::Concern);
    }

    #[test]
    fn limits_start_afresh_at_an_action_only_when_a_signal_follows_it() {
        let mut pairs = vec![(10, 20); 10];
        pairs.extend(vec![(18, 20); 8]);
        let Chart::P { phases, points, .. } = standard_chart(&samples(&pairs), &[10]) else { panic!() };
        assert_eq!(phases.iter().map(|phase| phase.first).collect::<Vec<_>>(), [0, 10]);
        assert!((phases[0].centre - 0.5).abs() < 1e-12 && (phases[1].centre - 0.9).abs() < 1e-12);
        assert!(points.iter().all(|point| point.signal.is_none()), "each phase is steady about its own centre");

        let steady = vec![(14, 20); 18];
        let Chart::P { phases, .. } = standard_chart(&samples(&steady), &[10]) else { panic!() };
        assert_eq!(phases.len(), 1, "no signal after the action: the limits carry on");
        let Chart::P { phases, .. } = standard_chart(&samples(&pairs), &[0, 18, 40]) else { panic!() };
        assert_eq!(phases.len(), 1, "changes at the ends, or past them, start nothing");
        let Chart::P { phases, .. } = standard_chart(&samples(&pairs), &[10, 12]) else { panic!() };
        assert_eq!(phases.len(), 2, "a second change 2 points after the first starts nothing");
        let Chart::P { phases, .. } = standard_chart(&samples(&pairs), &[5]) else { panic!() };
        assert_eq!(phases.len(), 1, "5 points are too few to give limits to the rest");
        // A fall just after an action is not hidden by limits drawn from that fall alone.
        let mut fall = vec![(18, 20); 12];
        fall.push((6, 20));
        let Chart::P { phases, points, latest } = standard_chart(&samples(&fall), &[12]) else { panic!() };
        assert_eq!(phases.len(), 1);
        assert_eq!((points[12].signal, latest), (Some(Signal::BelowLowerLimit), Variation::Concern));
    }

    // The Anhøj rules against qicharts2's critical values.

    #[test]
    fn anhoej_critical_values_match_the_published_table() {
        let table = [
            (10, 6, 2),
            (11, 6, 2),
            (12, 7, 3),
            (13, 7, 3),
            (14, 7, 4),
            (15, 7, 4),
            (16, 7, 4),
            (17, 7, 5),
            (18, 7, 5),
            (19, 7, 6),
            (20, 7, 6),
            (21, 7, 6),
            (22, 7, 7),
            (23, 8, 7),
            (24, 8, 8),
            (25, 8, 8),
            (26, 8, 8),
            (27, 8, 9),
            (28, 8, 9),
            (29, 8, 10),
            (30, 8, 10),
            (31, 8, 11),
            (32, 8, 11),
            (33, 8, 11),
            (34, 8, 12),
            (35, 8, 12),
            (36, 8, 13),
            (37, 8, 13),
            (38, 8, 14),
            (39, 8, 14),
            (40, 8, 14),
        ];
        for (n, longest, crossings) in table {
            assert_eq!((longest_run_limit(n), fewest_crossings(n)), (longest, crossings), "n = {n}");
        }
        assert!(fewest_crossings(2000) > 900, "long series do not underflow");
    }

    #[test]
    fn a_run_chart_signals_a_long_run_or_too_few_crossings_and_ignores_points_on_the_median() {
        // 12 points: 4 low then 8 high; the longest run of 8 beats the limit of 7.
        let shift: Vec<f64> = [0.2; 4].iter().chain([0.8; 8].iter()).copied().collect();
        let test = anhoej(&shift, 0.5);
        assert_eq!((test.useful, test.longest_run, test.longest_run_side, test.crossings), (12, 8, 1, 1));
        assert!(test.signals());
        let zigzag: Vec<f64> = [0.2, 0.8].repeat(6);
        assert!(!anhoej(&zigzag, 0.5).signals());
        let mut with_median = zigzag.clone();
        with_median.insert(3, 0.5);
        assert_eq!(anhoej(&with_median, 0.5).useful, 12);
        assert!(!anhoej(&[0.5; 12], 0.5).signals(), "all on the centre: nothing to judge");
    }

    #[test]
    fn run_chart_centre_is_the_median_share() {
        // 19 of 24 met: the 5 that did not are too few for 2 checks a period.
        let mut pairs = vec![(2, 2); 8];
        pairs.extend([(1, 2); 3]);
        pairs.push((0, 2));
        let Chart::Run { median, points, .. } = standard_chart(&samples(&pairs), &[]) else { panic!() };
        assert_eq!(median, 1.0);
        assert!(points.iter().all(|point| point.upper_limit.is_none()));
    }

    #[test]
    fn wilson_intervals_match_published_values() {
        let close = |(lo, hi): (f64, f64), (a, b): (f64, f64)| (lo - a).abs() < 5e-4 && (hi - b).abs() < 5e-4;
        assert!(close(wilson_interval(8, 10), (0.4902, 0.9433)));
        assert!(close(wilson_interval(0, 10), (0.0, 0.2775)));
        assert!(close(wilson_interval(50, 100), (0.4038, 0.5962)));
        assert!(close(wilson_interval(10, 10), (0.7225, 1.0)));
        assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
    }
    #[test]
    fn a_group_stands_out_only_when_its_interval_clears_the_rests() {
        let group = |label: &str, met, checks| GroupCount { label: label.into(), checks, met };
        let shares = against_the_rest(&[group("Early", 45, 50), group("Late", 44, 50), group("Night", 2, 10)]);
        assert_eq!(shares.iter().map(|s| s.stands_out).collect::<Vec<_>>(), [None, None, Some(StandsOut::Lower)]);
        // 3 of 5 against 80 of 100 is 20 points lower, but 5 checks cannot say so.
        let few = against_the_rest(&[group("Weekdays", 80, 100), group("Weekends", 3, 5)]);
        assert_eq!(few[1].stands_out, None);
        assert!((few[1].share - 0.6).abs() < 1e-12 && few[1].low < 0.25 && few[1].high > 0.85);
        let better = against_the_rest(&[group("Weekdays", 40, 100), group("Weekends", 95, 100)]);
        assert_eq!(better[1].stands_out, Some(StandsOut::Higher));
        assert_eq!(better[0].stands_out, Some(StandsOut::Lower));
        let alone = against_the_rest(&[group("Early", 1, 10), group("Late", 0, 0)]);
        assert_eq!((alone[0].stands_out, alone[1].stands_out), (None, None), "nothing to compare with");
        assert_eq!((alone[1].low, alone[1].high), (0.0, 1.0));
    }
}
