//! Polling with backoff for resources that take time (NAT gateways, deletions).

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
