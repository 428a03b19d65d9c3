//! Waiting and trying again. Polls of a resource that takes time (a NAT gateway, a
//! database, a deletion) look again a tenth of the time waited so far later; tries after
//! an error back off: the delay doubles up to a cap. Each delay is jittered (between half
//! of it and all of it) so resources that hit the same limit at the same moment do not
//! come back in step. Used for the resources' waits, for deletes AWS refuses while
//! something still uses the resource, for a resource's tries after transient errors,
//! and for the sandbox's local waits.

use super::Error;
use std::future::Future;
use std::time::{Duration, Instant};

/// What one poll saw.
pub enum Poll {
    Ready,
    Pending,
}

/// The shortest and the longest time between two looks at a resource that is not ready:
/// quick for resources that are ready at once (and for the emulator), never a tight loop,
/// and on a wait of many minutes never more than a few seconds late.
const FIRST: Duration = Duration::from_millis(250);
const CAP: Duration = Duration::from_secs(10);

/// Poll `check` until it says ready, for at most `limit`.
pub async fn until<F, Fut>(what: &str, limit: Duration, mut check: F) -> Result<(), Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll, Error>>,
{
    let start = Instant::now();
    loop {
        if let Poll::Ready = check().await? {
            return Ok(());
        }
        let waited = start.elapsed();
        if waited >= limit {
            return Err(Error::Timeout {
                what: what.to_string(),
                waited,
            });
        }
        tokio::time::sleep(jitter(poll_delay(waited)).min(limit - waited)).await;
    }
}

/// The next look comes a tenth of the time waited so far later (between FIRST and CAP),
/// so a resource is seen ready at most about a tenth of its own time late: a NAT gateway
/// of two minutes within seconds, a database of fifteen within ten. A doubling delay
/// would be up to a whole wait late on the way to its cap (a resource ready at 8 s seen
/// at 15.75 s), which on AWS costs seconds and in a scaled model (the benchmark's) looks
/// like minutes.
fn poll_delay(waited: Duration) -> Duration {
    (waited / 10).clamp(FIRST, CAP)
}

/// Delays between tries: exponential, capped, jittered; `None` once the tries or the time
/// allowed are used up.
#[derive(Debug, Clone)]
pub struct Backoff {
    delay: Duration,
    cap: Duration,
    tries: u32,
    max_tries: Option<u32>,
    until: Option<Instant>,
}

impl Backoff {
    /// From `first`, doubling up to `cap`, with no end until one is set.
    pub fn new(first: Duration, cap: Duration) -> Self {
        Backoff {
            delay: first,
            cap,
            tries: 1,
            max_tries: None,
            until: None,
        }
    }

    /// At most `n` tries in all (so `n - 1` delays).
    pub fn tries(mut self, n: u32) -> Self {
        self.max_tries = Some(n);
        self
    }

    /// No delay once `limit` has passed from now.
    pub fn within(mut self, limit: Duration) -> Self {
        self.until = Some(Instant::now() + limit);
        self
    }

    /// A resource's tries after transient errors of calls sent once (throttling, 5xx, a
    /// lost answer): 8 in all from half a second, so a burst of throttling is ridden out
    /// in well under a minute and a real outage is reported.
    pub fn transient() -> Self {
        Backoff::new(Duration::from_millis(500), CAP).tries(8)
    }

    /// A delete AWS refuses while something still uses the resource (network interfaces
    /// draining): from half a second, for as long as `patience`.
    pub fn refused(patience: Duration) -> Self {
        Backoff::new(Duration::from_millis(500), CAP).within(patience)
    }

    /// The delay before the next try; `None` when no more are allowed.
    pub fn next_delay(&mut self) -> Option<Duration> {
        if self.max_tries.is_some_and(|max| self.tries >= max)
            || self.until.is_some_and(|until| Instant::now() >= until)
        {
            return None;
        }
        self.tries += 1;
        let delay = jitter(self.delay);
        self.delay = (self.delay * 2).min(self.cap);
        Some(delay)
    }

    /// Tries so far, the first one included.
    pub fn tries_made(&self) -> u32 {
        self.tries
    }
}

/// Somewhere between half of `d` and all of it ("equal jitter": spread out, but never
/// much sooner than asked). Without randomness (no entropy source), `d` itself.
fn jitter(d: Duration) -> Duration {
    let half = d / 2;
    let span = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    match getrandom::u64() {
        Ok(r) if span > 0 => half + Duration::from_nanos(r % span.saturating_add(1)),
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_tries_back_off_with_jitter_and_stop() {
        let mut b = Backoff::transient();
        let delays: Vec<Duration> = std::iter::from_fn(|| b.next_delay()).collect();
        assert_eq!(delays.len(), 7, "8 tries in all");
        assert_eq!(b.tries_made(), 8);
        // Each delay between half and all of 0.5 s, 1 s, 2 s, ... up to the cap.
        let mut nominal = Duration::from_millis(500);
        for d in &delays {
            assert!(*d >= nominal / 2 && *d <= nominal, "{d:?} for {nominal:?}");
            nominal = (nominal * 2).min(CAP);
        }
        // Jittered: two runs of the same backoff do not wait alike.
        let mut again = Backoff::transient();
        let other: Vec<Duration> = std::iter::from_fn(|| again.next_delay()).collect();
        assert_ne!(delays, other);
    }

    #[test]
    fn polls_come_a_tenth_of_the_wait_apart_within_bounds() {
        assert_eq!(poll_delay(Duration::ZERO), FIRST);
        assert_eq!(poll_delay(Duration::from_secs(1)), FIRST);
        assert_eq!(
            poll_delay(Duration::from_secs(8)),
            Duration::from_millis(800)
        );
        assert_eq!(poll_delay(Duration::from_secs(60)), Duration::from_secs(6));
        assert_eq!(poll_delay(Duration::from_secs(900)), CAP);
    }

    #[tokio::test]
    async fn a_wait_ends_at_its_limit_not_a_delay_past_it() {
        let start = Instant::now();
        let err = until("never", Duration::from_millis(300), || async {
            Ok(Poll::Pending)
        })
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }));
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(300) && took < Duration::from_millis(600),
            "{took:?}"
        );
    }

    #[test]
    fn a_time_limit_ends_the_delays() {
        let mut b =
            Backoff::new(Duration::from_millis(1), Duration::from_millis(2)).within(Duration::ZERO);
        assert_eq!(b.next_delay(), None);
        let mut b = Backoff::refused(Duration::from_secs(60));
        assert!(
            b.next_delay()
                .is_some_and(|d| d <= Duration::from_millis(500))
        );
    }
}
