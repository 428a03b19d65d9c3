//! Polling with backoff for resources that take time (NAT gateways, deletions), and the
//! backoff for retrying refused deletes and transiently failed resources.

use super::Error;
use std::future::Future;
use std::time::{Duration, Instant};

/// What one poll saw.
pub enum Poll {
    Ready,
    Pending,
}

/// First delay and the cap: quick for resources that are ready at once (and for the
/// emulator), a few seconds apart for the ones that take minutes; never a tight loop.
const FIRST: Duration = Duration::from_millis(250);
const CAP: Duration = Duration::from_secs(10);

pub async fn until<F, Fut>(what: &str, limit: Duration, mut check: F) -> Result<(), Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll, Error>>,
{
    let start = Instant::now();
    let mut delay = FIRST;
    loop {
        if let Poll::Ready = check().await? {
            return Ok(());
        }
        if start.elapsed() >= limit {
            return Err(Error::Timeout {
                what: what.to_string(),
                waited: start.elapsed(),
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(CAP);
    }
}

/// Backoff delays for retrying a refused delete; `None` when the patience is used up.
pub struct Backoff {
    start: Instant,
    limit: Duration,
    delay: Duration,
}

impl Backoff {
    pub fn new(limit: Duration) -> Self {
        Backoff {
            start: Instant::now(),
            limit,
            delay: Duration::from_millis(500),
        }
    }
    pub fn next_delay(&mut self) -> Option<Duration> {
        if self.start.elapsed() >= self.limit {
            return None;
        }
        let d = self.delay;
        self.delay = (self.delay * 2).min(CAP);
        Some(d)
    }
}

/// Bounded retries of a whole resource after transient errors (throttling, 5xx, lost
/// answers): a handful of attempts, the delay doubling from half a second, so a burst of
/// throttling is ridden out in well under a minute and a real outage is reported.
pub struct Retry {
    attempts: u32,
    max: u32,
    delay: Duration,
}

impl Retry {
    pub fn transient() -> Self {
        Retry {
            attempts: 1,
            max: 8,
            delay: Duration::from_millis(500),
        }
    }

    /// The delay before the next attempt; `None` when the attempts are used up.
    pub fn next_delay(&mut self) -> Option<Duration> {
        if self.attempts >= self.max {
            return None;
        }
        self.attempts += 1;
        let d = self.delay;
        self.delay = (self.delay * 2).min(CAP);
        Some(d)
    }

    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_retries_back_off_and_stop() {
        let mut r = Retry::transient();
        let delays: Vec<Duration> = std::iter::from_fn(|| r.next_delay()).collect();
        assert_eq!(delays.len(), 7, "8 attempts in all");
        assert_eq!(delays[0], Duration::from_millis(500));
        assert!(delays.windows(2).all(|w| w[1] >= w[0] && w[1] <= CAP));
        assert_eq!(r.attempts(), 8);
    }
}
