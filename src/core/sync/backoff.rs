//! When to try again after a failed round: exponential back-off with jitter, up to a
//! cap; at once when the browser comes online or the reader asks.

/// The first wait, in milliseconds.
pub const FIRST_MS: u64 = 1_000;
/// The longest wait.
pub const CAP_MS: u64 = 60_000;

/// Consecutive failures, and the wait they call for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff {
    /// Failures since the last success.
    pub failures: u32,
}

impl Backoff {
    /// After a failure: the wait before the next try, given `random` in [0, 1) (half
    /// the exponential wait, plus up to as much again at random, so that a team whose
    /// server comes back does not return all at once).
    pub fn fail(&mut self, random: f64) -> u64 {
        self.failures = self.failures.saturating_add(1);
        let exp = FIRST_MS.saturating_mul(1u64 << self.failures.saturating_sub(1).min(16)).min(CAP_MS);
        let half = exp / 2;
        half + (half as f64 * random.clamp(0.0, 1.0)) as u64
    }

    /// After a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_with_jitter_up_to_the_cap() {
        let mut b = Backoff::default();
        assert_eq!(b.fail(0.0), 500);
        assert_eq!(b.fail(0.999_999), 1_999);
        assert_eq!(b.fail(0.5), 3_000);
        for _ in 0..40 {
            let wait = b.fail(1.0);
            assert!(wait <= CAP_MS, "{wait}");
        }
        assert_eq!(b.fail(0.0), CAP_MS / 2);
        b.reset();
        assert_eq!(b.fail(0.0), 500);
    }
}
