//! The version clock: a hybrid logical clock whose stamps order every change to an
//! annotation without trusting that any two wall clocks agree.
//!
//! A [`Stamp`] is `(millis, counter, replica)`, compared in that order. `millis` starts
//! from the wall clock but never goes back, and never falls behind a stamp this
//! replica has seen: a tab whose clock is hours slow, once it has read another tab's
//! work, stamps its next edit after that work. Two edits in one millisecond differ by
//! `counter`; two replicas that stamp the same instant differ by `replica`. So every
//! stamp is unique, and every replica sorts them the same way.
//!
//! Timestamps from files (RFC 3339, any offset, any fraction) are parsed here, at the
//! edge, into milliseconds; nothing compares timestamp strings.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One change's place in the merge order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Stamp {
    /// Milliseconds since the Unix epoch, as the stamping replica's clock knew them.
    pub millis: u64,
    /// Orders changes stamped in the same millisecond by one replica.
    pub counter: u32,
    /// Who stamped it (a random tag per tab); empty for versions read from files that
    /// predate stamps, which are ordered by their `modified` time alone.
    pub replica: String,
}

impl Stamp {
    /// The stamp of a change known only by its RFC 3339 time (older files, W3C items):
    /// before any stamp a replica makes in the same millisecond.
    pub fn legacy(rfc3339: &str) -> Stamp {
        Stamp { millis: parse_rfc3339(rfc3339).unwrap_or(0), counter: 0, replica: String::new() }
    }
}

impl fmt::Display for Stamp {
    /// `millis.counter.replica`, e.g. `1764620000000.3.k9x2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.millis, self.counter, self.replica)
    }
}

impl std::str::FromStr for Stamp {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut fields = s.splitn(3, '.');
        let bad = || format!("a version stamp \"millis.counter.replica\", not {s:?}");
        let millis = fields.next().and_then(|m| m.parse().ok()).ok_or_else(bad)?;
        let counter = fields.next().and_then(|c| c.parse().ok()).ok_or_else(bad)?;
        let replica = fields.next().ok_or_else(bad)?.to_owned();
        Ok(Stamp { millis, counter, replica })
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for Stamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Stamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]+\\.[0-9]+\\..*$",
            "description": "A version stamp: milliseconds, a counter and the replica that made the change, ordered in that order."
        })
    }
}

/// One replica's clock.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Clock {
    last: Stamp,
}

impl Clock {
    /// A clock for `replica` that has seen nothing yet.
    pub fn new(replica: impl Into<String>) -> Self {
        Clock { last: Stamp { millis: 0, counter: 0, replica: replica.into() } }
    }

    /// The same clock (everything it has seen) stamping for another replica.
    pub fn for_replica(&self, replica: impl Into<String>) -> Self {
        Clock { last: Stamp { replica: replica.into(), ..self.last.clone() } }
    }

    /// Who this clock stamps for.
    pub fn replica(&self) -> &str {
        &self.last.replica
    }

    /// A new stamp after every stamp made or seen here, at the wall time `now_ms` when
    /// that is later.
    pub fn tick(&mut self, now_ms: u64) -> Stamp {
        if now_ms > self.last.millis {
            self.last.millis = now_ms;
            self.last.counter = 0;
        } else if self.last.counter == u32::MAX {
            self.last.millis += 1;
            self.last.counter = 0;
        } else {
            self.last.counter += 1;
        }
        self.last.clone()
    }

    /// Takes note of a stamp made elsewhere, so the next tick comes after it.
    pub fn observe(&mut self, seen: &Stamp) {
        match (seen.millis, seen.counter).cmp(&(self.last.millis, self.last.counter)) {
            Ordering::Greater => {
                self.last.millis = seen.millis;
                self.last.counter = seen.counter;
            }
            Ordering::Equal | Ordering::Less => {}
        }
    }
}

/// Milliseconds since the Unix epoch of an RFC 3339 date-time (`2026-12-01T10:00:00Z`,
/// `…T12:00:00.5+02:00`, lower-case `t`/`z` too). `None` when it is not one, or
/// before 1970.
pub fn parse_rfc3339(text: &str) -> Option<u64> {
    let b = text.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0i64, |acc, &d| d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0')))
    };
    let sep = |at: usize, allowed: &[u8]| b.get(at).is_some_and(|c| allowed.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut at = 19;
    let mut millis = 0;
    if sep(at, b".") {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return None;
        }
        // Milliseconds: the first three digits, padded; finer digits are dropped.
        let digits: String = text.trim()[start..at.min(start + 3)].to_owned();
        millis = format!("{digits:0<3}").parse::<i64>().ok()?;
    }
    let offset_minutes = match b.get(at) {
        Some(b'Z' | b'z') if at + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if at + 6 == b.len() && sep(at + 3, b":") => {
            let (h, m) = (num(at + 1..at + 3)?, num(at + 4..at + 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let total = ((days * 86_400 + hour * 3600 + minute * 60 + second.min(59)) - offset_minutes * 60) * 1000 + millis;
    u64::try_from(total).ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of `time.rs`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::time::rfc3339_from_millis;

    #[test]
    fn parses_what_strings_would_misorder() {
        // As strings, "…:00Z" sorts after "…:00.500Z"; as times it is earlier.
        let whole = parse_rfc3339("2026-12-01T10:00:00Z");
        let half = parse_rfc3339("2026-12-01T10:00:00.500Z");
        assert!(whole < half);
        assert_eq!(half.zip(whole).map(|(h, w)| h - w), Some(500));
        // 12:00 at +02:00 is 10:00 UTC.
        assert_eq!(parse_rfc3339("2026-12-01T12:00:00+02:00"), whole);
        assert_eq!(parse_rfc3339("2026-12-01t05:30:00.000-04:30"), whole);
        assert_eq!(parse_rfc3339("2026-12-01T10:00:00.123456789Z").zip(whole).map(|(a, b)| a - b), Some(123));
    }

    #[test]
    fn round_trips_the_formatter_and_refuses_non_dates() {
        for ms in [0, 951_782_400_000, 1_795_638_896_789, 4_102_444_800_000] {
            assert_eq!(parse_rfc3339(&rfc3339_from_millis(ms)), Some(ms));
        }
        for bad in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01T10:00:00", "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00+2:00", "1969-12-31T23:59:59Z", "２０２６-12-01T10:00:00Z"] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn ticks_are_unique_and_never_go_back() {
        let mut clock = Clock::new("a");
        let first = clock.tick(1_000);
        let same_ms = clock.tick(1_000);
        let clock_went_back = clock.tick(500);
        assert!(first < same_ms && same_ms < clock_went_back);
        assert_eq!(clock_went_back.millis, 1_000);
    }

    #[test]
    fn a_slow_clock_stamps_after_what_it_has_seen() {
        let mut fast = Clock::new("fast");
        let mut slow = Clock::new("slow");
        let theirs = fast.tick(10 * 3_600_000);
        slow.observe(&theirs);
        let mine = slow.tick(1_000);
        assert!(mine > theirs, "{mine} after {theirs}");
    }

    #[test]
    fn replicas_break_ties_and_stamps_round_trip_as_text() {
        let a = Clock::new("a").tick(7);
        let b = Clock::new("b").tick(7);
        assert!(a < b);
        for stamp in [a, b, Stamp::legacy("2026-12-01T10:00:00Z"), Stamp { millis: 1, counter: 2, replica: "x.y".into() }] {
            assert_eq!(stamp.to_string().parse::<Stamp>(), Ok(stamp.clone()));
        }
        assert!("12".parse::<Stamp>().is_err());
        assert!("a.b.c".parse::<Stamp>().is_err());
    }

    #[test]
    fn a_legacy_stamp_is_its_time() {
        let legacy = Stamp::legacy("1970-01-01T00:00:01.000Z");
        assert_eq!((legacy.millis, legacy.counter, legacy.replica.as_str()), (1_000, 0, ""));
        assert!(legacy < Clock::new("a").tick(1_000));
        assert_eq!(Stamp::legacy("not a time").millis, 0);
    }
}
