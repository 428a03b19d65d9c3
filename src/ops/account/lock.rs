//! The stack's lock in its account: one SSM parameter, created with `Overwrite=false` so
//! that of two machines starting at once exactly one gets it, naming its holder and
//! renewed every minute while held (a holder that died is recognised and taken over
//! after saying so).

use super::{LOCK_KEY, delete, get, put};
use crate::aws::Clients;
use crate::i18n::text::Text;
use crate::ops::Failure;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often a held lock is renewed, and how old a renewal may be before its holder is
/// taken for gone. Generous: a laptop that sleeps through a build resumes it.
const RENEW: Duration = Duration::from_secs(60);
const STALE: Duration = Duration::from_secs(15 * 60);

/// Who holds a stack's lock: written by the holder, read by whoever is refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    /// `user@host`.
    pub who: String,
    pub host: String,
    pub pid: u32,
    /// What it is doing (`hawiz apply`).
    pub command: String,
    /// When it took the lock and when it last renewed it (seconds since the epoch).
    pub since: u64,
    pub renewed: u64,
    /// This holding's own mark: a lock is renewed and released only by its holder.
    pub token: String,
}

impl Holder {
    fn new(command: &str) -> Holder {
        let host = host_name();
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "someone".into());
        let now = epoch_secs();
        Holder {
            who: format!("{user}@{host}"),
            host,
            pid: std::process::id(),
            command: command.to_string(),
            since: now,
            renewed: now,
            token: format!("{}-{}-{}", std::process::id(), now, nonce()),
        }
    }

    /// "`hawiz apply` by ana@laptop (process 4242) since 2026-12-02 10:00:00 UTC".
    pub fn describe(&self) -> String {
        format!(
            "`{}` by {} (process {}) since {}",
            self.command,
            self.who,
            self.pid,
            crate::time::format_utc(UNIX_EPOCH + Duration::from_secs(self.since))
        )
    }

    /// Why its lock may be taken over without asking: its process ended on this host, or it
    /// has not renewed the lock for longer than `STALE`.
    fn gone(&self, now: u64) -> Option<Text> {
        if self.host == host_name() && !alive(self.pid) {
            return Some(Text::new(
                "its process is no longer running",
                "그 프로세스가 더 이상 실행 중이 아닙니다",
            ));
        }
        let quiet = crate::time::span(now.saturating_sub(self.renewed));
        (now.saturating_sub(self.renewed) > STALE.as_secs()).then(|| {
            Text::new(
                format!(
                    "it has not renewed the lock for {quiet} (it renews every minute while it runs)"
                ),
                format!("{quiet} 동안 잠금을 갱신하지 않았습니다 (실행 중이면 1분마다 갱신합니다)"),
            )
        })
    }
}

fn epoch_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(epoch_secs());
    format!("{:08x}", h.finish() as u32)
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".into())
}

/// Whether a process of this host is still running.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// A stack's lock in its account, held until dropped (then released in the background;
/// `settle` waits for that before the program ends).
#[derive(Debug)]
pub struct AccountLock {
    clients: Arc<Clients>,
    name: String,
    token: String,
    renewing: tokio::task::JoinHandle<()>,
    /// The holder whose lock was taken over, and why it could be: said to the user.
    pub took_over: Option<Text>,
}

/// Take the stack's lock in the account for `command`, or refuse naming its holder.
/// `force` (`--force-unlock`) takes a live-looking lock over too, after saying so.
pub async fn lock(
    clients: Arc<Clients>,
    stack: &str,
    command: &str,
    force: bool,
) -> Result<AccountLock, Failure> {
    let name = crate::names::lock_record(stack);
    let me = Holder::new(command);
    let text = serde_json::to_string(&me).map_err(|e| Failure::failed(e.to_string()))?;
    let mut took_over = None;
    if !put(&clients, stack, LOCK_KEY, &name, &text, false).await? {
        let held = get(&clients, stack, LOCK_KEY, &name)
            .await?
            .unwrap_or_default();
        let holder: Option<Holder> = serde_json::from_str(&held).ok();
        // Our own create, whose answer was lost and which the SDK sent again, is ours.
        let ours = holder.as_ref().is_some_and(|h| h.token == me.token);
        if !ours {
            let why = match &holder {
                Some(h) => h.gone(epoch_secs()),
                None => Some(Text::new(
                    "its holder is unreadable",
                    "잠금을 가진 쪽을 읽을 수 없습니다",
                )),
            };
            let why = match (why, force) {
                (Some(why), _) => why,
                (None, true) => {
                    Text::new("--force-unlock was given", "--force-unlock을 주었습니다")
                }
                (None, false) => {
                    let h = holder.map_or_else(|| "another hawiz".into(), |h| h.describe());
                    return Err(Failure::invalid(format!(
                        "stack {stack:?} is busy: {h} is working on it (lock {name} in region {}). \
                         Wait for it to finish; if that machine is gone for good, run this again \
                         with --force-unlock. Nothing was changed",
                        clients.region
                    )));
                }
            };
            put(&clients, stack, LOCK_KEY, &name, &text, true).await?;
            let h = holder.map_or_else(|| "an unknown holder".into(), |h| h.describe());
            took_over = Some(Text::new(
                format!("took over the stack's lock from {h}: {}", why.en),
                format!("{h}에게서 스택 잠금을 넘겨받았습니다: {}", why.ko),
            ));
        }
    }
    let renewing = tokio::spawn(renew(
        clients.clone(),
        stack.to_string(),
        name.clone(),
        me.clone(),
    ));
    Ok(AccountLock {
        clients,
        name,
        token: me.token,
        renewing,
        took_over,
    })
}

/// Renew the lock every minute while this holder still holds it (one that was taken over
/// by force is left to its new holder).
async fn renew(clients: Arc<Clients>, stack: String, name: String, mut me: Holder) {
    loop {
        tokio::time::sleep(RENEW).await;
        let Ok(Some(now)) = get(&clients, &stack, LOCK_KEY, &name).await else {
            continue;
        };
        if serde_json::from_str::<Holder>(&now).map(|h| h.token).ok() != Some(me.token.clone()) {
            return;
        }
        me.renewed = epoch_secs();
        if let Ok(text) = serde_json::to_string(&me) {
            let _ = put(&clients, &stack, LOCK_KEY, &name, &text, true).await;
        }
    }
}

/// Releases still running, which `settle` waits for.
static RELEASES: Mutex<Vec<tokio::task::JoinHandle<()>>> = Mutex::new(Vec::new());

impl Drop for AccountLock {
    fn drop(&mut self) {
        self.renewing.abort();
        let (clients, name, token) = (self.clients.clone(), self.name.clone(), self.token.clone());
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let release = runtime.spawn(async move {
            // Only our own holding is deleted: one taken over by force stays its new
            // holder's.
            let held = clients.ssm.get_parameter().name(&name).send().await;
            let ours = held.ok().and_then(|o| {
                let v = o.parameter()?.value()?.to_string();
                serde_json::from_str::<Holder>(&v).ok()
            });
            if ours.is_some_and(|h| h.token == token) {
                let _ = delete(&clients, &name).await;
            }
        });
        RELEASES
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(release);
    }
}

/// Wait (a few seconds at most) for the locks released in the background: called once
/// before the program ends, so the next run anywhere finds the stack free.
pub async fn settle() {
    let pending: Vec<_> = std::mem::take(&mut *RELEASES.lock().unwrap_or_else(|p| p.into_inner()));
    let all = async {
        for release in pending {
            let _ = release.await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(10), all).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_is_gone_when_its_process_ended_here_or_it_stopped_renewing() {
        let mut h = Holder::new("hawiz apply");
        let now = epoch_secs();
        assert_eq!(
            h.gone(now),
            None,
            "this process is running and just renewed"
        );
        h.pid = u32::MAX - 1;
        assert!(h.gone(now).unwrap().en.contains("no longer running"));
        h.host = "another-laptop".into();
        assert_eq!(
            h.gone(now),
            None,
            "another host's process cannot be checked"
        );
        assert!(
            h.gone(now + STALE.as_secs() + 1)
                .unwrap()
                .en
                .contains("has not renewed the lock for 15m01s")
        );
        assert!(
            h.describe().starts_with("`hawiz apply` by "),
            "{}",
            h.describe()
        );
    }
}
