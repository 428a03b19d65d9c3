//! The per-stack state file: what hawiz meant to create (with its idempotency token) and
//! what it got (IDs). Written before and after every create, atomically (write a temp
//! file, fsync, rename), mode 0600. It holds the resolved plan and IDs only, never secrets.

use crate::plan::Plan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const VERSION: u32 = 1;
const FILE: &str = "state.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The create call is about to be made (or was made and its answer lost).
    Creating,
    /// AWS returned the ID; not yet ready.
    Created,
    Ready,
    /// The user's own resource, used as is.
    Adopted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub kind: String,
    pub name: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub token: String,
    /// What it published for its dependents (an ALB's DNS name, a record's target):
    /// never secrets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackState {
    pub version: u32,
    pub stack: String,
    pub region: String,
    pub plan: Plan,
    /// Earlier plans of this stack whose resources may still exist (an apply that
    /// changed the plan and has not yet removed what left it). Destroy and status look at
    /// their resources too; they are forgotten once nothing of them is left.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<Plan>,
    #[serde(default)]
    pub resources: BTreeMap<String, Record>,
    /// Why the last apply did not finish, if it did not (for the resume screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When an apply first saw the site serve (UTC), until one sees it not serving
    /// (`ops::serving::since`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serving_since: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("no saved stack named {stack:?} (looked in {dir}); `hawiz status` lists saved stacks")]
    NoSuchStack { stack: String, dir: String },
    #[error("cannot read state file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("state file {path} is damaged ({source}); move it aside to start over")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("cannot write state file {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "stack {stack:?} already exists in region {existing}, but the plan says {wanted}; \
         destroy it first or choose another stack name"
    )]
    RegionMismatch {
        stack: String,
        existing: String,
        wanted: String,
    },
}

/// The state of one stack, shared by the engine's concurrent tasks.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    state: Mutex<StackState>,
    /// Written to disk on every change (false: a copy for looking, e.g. `hawiz plan`).
    persist: bool,
}

impl Store {
    pub fn dir_for(stacks_dir: &Path, stack: &str) -> PathBuf {
        stacks_dir.join(stack)
    }

    /// Open a stack's state for apply: created on first use, else the saved one with the
    /// (possibly edited) plan put in place.
    pub fn open_for_apply(stacks_dir: &Path, plan: &Plan) -> Result<Store, StateError> {
        let dir = Self::dir_for(stacks_dir, &plan.stack.name);
        let path = dir.join(FILE);
        let state = if path.exists() {
            let mut s = read(&path)?;
            if s.region != plan.region() {
                return Err(StateError::RegionMismatch {
                    stack: s.stack,
                    existing: s.region,
                    wanted: plan.region().to_string(),
                });
            }
            if s.plan != *plan {
                let old = std::mem::replace(&mut s.plan, plan.clone());
                if !s.earlier.contains(&old) {
                    s.earlier.push(old);
                }
            }
            s
        } else {
            StackState {
                version: VERSION,
                stack: plan.stack.name.clone(),
                region: plan.region().to_string(),
                plan: plan.clone(),
                earlier: Vec::new(),
                resources: BTreeMap::new(),
                last_error: None,
                serving_since: None,
            }
        };
        let store = Store {
            path,
            state: Mutex::new(state),
            persist: true,
        };
        store.save()?;
        Ok(store)
    }

    /// Whether a stack of this name is saved here.
    pub fn exists(stacks_dir: &Path, stack: &str) -> bool {
        Self::dir_for(stacks_dir, stack).join(FILE).exists()
    }

    pub fn open(stacks_dir: &Path, stack: &str) -> Result<Store, StateError> {
        let dir = Self::dir_for(stacks_dir, stack);
        let path = dir.join(FILE);
        if !path.exists() {
            return Err(StateError::NoSuchStack {
                stack: stack.to_string(),
                dir: stacks_dir.display().to_string(),
            });
        }
        let state = read(&path)?;
        Ok(Store {
            path,
            state: Mutex::new(state),
            persist: true,
        })
    }

    /// The saved state of a stack if there is one, as a copy nothing is written back from
    /// (what `hawiz plan` looks with), else a new empty one for the plan.
    pub fn look(stacks_dir: &Path, plan: &Plan) -> Result<(Store, bool), StateError> {
        let dir = Self::dir_for(stacks_dir, &plan.stack.name);
        let path = dir.join(FILE);
        let (state, existed) = if path.exists() {
            (read(&path)?, true)
        } else {
            (
                StackState {
                    version: VERSION,
                    stack: plan.stack.name.clone(),
                    region: plan.region().to_string(),
                    plan: plan.clone(),
                    earlier: Vec::new(),
                    resources: BTreeMap::new(),
                    last_error: None,
                    serving_since: None,
                },
                false,
            )
        };
        Ok((
            Store {
                path,
                state: Mutex::new(state),
                persist: false,
            },
            existed,
        ))
    }

    /// Names of saved stacks, sorted.
    pub fn list(stacks_dir: &Path) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(stacks_dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join(FILE).exists())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        names
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory of this stack's local files (state, private key, lock).
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    pub fn stack(&self) -> String {
        self.lock().stack.clone()
    }

    /// An earlier plan whose resources may still exist (the account's, when this machine
    /// had no state of the stack): destroy and status look at its resources too.
    pub fn remember_earlier(&self, plan: &Plan) -> Result<(), StateError> {
        let mut s = self.lock();
        if s.plan == *plan || s.earlier.contains(plan) {
            return Ok(());
        }
        s.earlier.push(plan.clone());
        self.write(&s)
    }

    /// Nothing of the earlier plans is left: stop looking for it.
    pub fn forget_earlier(&self) -> Result<(), StateError> {
        let mut s = self.lock();
        if s.earlier.is_empty() {
            return Ok(());
        }
        s.earlier.clear();
        self.write(&s)
    }

    pub fn snapshot(&self) -> StackState {
        self.lock().clone()
    }

    pub fn get(&self, key: &str) -> Option<Record> {
        self.lock().resources.get(key).cloned()
    }

    /// Set (or with `None`, forget) one resource's record and save at once.
    pub fn put(&self, key: &str, record: Option<Record>) -> Result<(), StateError> {
        // Written while holding the lock: concurrent tasks then never race on the temp
        // file, and the file on disk always has the latest of every record.
        let mut s = self.lock();
        match record {
            Some(r) => s.resources.insert(key.to_string(), r),
            None => s.resources.remove(key),
        };
        self.write(&s)
    }

    /// The idempotency token for a key's next create. A create that was started but never
    /// confirmed (`Creating`) is retried with the same token, so AWS returns the resource
    /// it already made instead of a second one. Otherwise the token is fresh: reusing the
    /// token of a resource that failed or was deleted would get that dead one back.
    pub fn token_for(&self, key: &str) -> String {
        let s = self.lock();
        if let Some(r) = s.resources.get(key)
            && r.status == Status::Creating
        {
            return r.token.clone();
        }
        let clean: String = key
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let mut token = format!("hawiz-{}-{}-{clean}", nonce(), s.stack);
        token.truncate(64); // EC2's ClientToken limit
        token
    }

    /// Record how the last apply ended (`None`: complete).
    pub fn set_last_error(&self, error: Option<String>) -> Result<(), StateError> {
        let mut s = self.lock();
        s.last_error = error;
        self.write(&s)
    }

    /// Record since when the site serves (`None`: it was seen not serving).
    pub fn set_serving_since(&self, since: Option<String>) -> Result<(), StateError> {
        let mut s = self.lock();
        s.serving_since = since;
        self.write(&s)
    }

    /// Replace the stack's plan (`hawiz failover` records that it happened).
    pub fn set_plan(&self, plan: &Plan) -> Result<(), StateError> {
        let mut s = self.lock();
        s.plan = plan.clone();
        self.write(&s)
    }

    /// Remove the state file (after a complete destroy).
    pub fn remove(&self) -> Result<(), StateError> {
        let result = std::fs::remove_file(&self.path);
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::remove_dir(dir); // only if empty: keys may still live there
        }
        result.map_err(|source| StateError::Write {
            path: self.path.display().to_string(),
            source,
        })
    }

    fn save(&self) -> Result<(), StateError> {
        self.write(&self.lock())
    }

    fn write(&self, state: &StackState) -> Result<(), StateError> {
        if self.persist {
            write(&self.path, state)
        } else {
            Ok(())
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StackState> {
        // A panic while holding the lock leaves valid data (every write is whole), so a
        // poisoned lock is still safe to use.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn read(path: &Path) -> Result<StackState, StateError> {
    let text = std::fs::read_to_string(path).map_err(|source| StateError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let mut state: StackState =
        serde_json::from_str(&text).map_err(|source| StateError::Parse {
            path: path.display().to_string(),
            source,
        })?;
    renamed_keys(&mut state);
    Ok(state)
}

/// State written before the site's record and the alert subscription were keyed by their
/// name (so a renamed host or a changed address is a resource that left the plan, and
/// goes): their records move to the keys they have now.
fn renamed_keys(state: &mut StackState) {
    if let Some(r) = state.resources.remove("dns/site")
        && let Some(id) = r.id.clone()
    {
        state
            .resources
            .entry(crate::names::site_key(&id))
            .or_insert(r);
    }
    if let Some(r) = state.resources.remove("sns-subscription") {
        let email = state.plan.alerts.email.trim();
        if !email.is_empty() {
            state
                .resources
                .entry(crate::names::subscription_key(email))
                .or_insert(r);
        }
    }
}

fn write(path: &Path, state: &StackState) -> Result<(), StateError> {
    let err = |source| StateError::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir).map_err(err)?;
    let json = serde_json::to_string_pretty(state).map_err(|e| err(std::io::Error::other(e)))?;
    let tmp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let mut f = open_private(&tmp).map_err(err)?;
    f.write_all(json.as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(err)
}

pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Create (truncate) a file only its owner can read: state today, private keys later.
pub fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded from the OS's randomness; mixing in the time and pid makes two
    // stacks created in the same process differ too.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.write_u32(std::process::id());
    format!("{:08x}", h.finish() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let mut p = Plan::default();
        p.resolve(None);
        p
    }

    #[test]
    fn records_survive_reopen_and_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_for_apply(dir.path(), &plan()).unwrap();
        let token = store.token_for("subnet/public-a");
        assert!(
            token.len() <= 64 && token.ends_with("subnet-public-a"),
            "{token}"
        );
        store
            .put(
                "subnet/public-a",
                Some(Record {
                    kind: "subnet".into(),
                    name: "wordpress-ha-public-a".into(),
                    status: Status::Creating,
                    id: None,
                    token: token.clone(),
                    outputs: BTreeMap::new(),
                }),
            )
            .unwrap();
        drop(store);
        let again = Store::open(dir.path(), "wordpress-ha").unwrap();
        let rec = again.get("subnet/public-a").unwrap();
        assert_eq!(rec.status, Status::Creating);
        assert_eq!(
            again.token_for("subnet/public-a"),
            token,
            "token reused on resume"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(again.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temp files left behind by the atomic writes.
        let names: Vec<_> = std::fs::read_dir(again.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
    }

    #[test]
    fn a_changed_plan_keeps_the_earlier_one_until_it_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        Store::open_for_apply(dir.path(), &plan()).unwrap();
        let mut changed = plan();
        changed.files.enabled = false;
        let store = Store::open_for_apply(dir.path(), &changed).unwrap();
        let s = store.snapshot();
        assert_eq!(s.plan, changed);
        assert_eq!(s.earlier, vec![plan()]);
        // The same plan again adds nothing.
        drop(store);
        let store = Store::open_for_apply(dir.path(), &changed).unwrap();
        assert_eq!(store.snapshot().earlier.len(), 1);
        store.forget_earlier().unwrap();
        let again = Store::open(dir.path(), "wordpress-ha").unwrap();
        assert!(again.snapshot().earlier.is_empty());
    }

    #[test]
    fn region_change_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        Store::open_for_apply(dir.path(), &plan()).unwrap();
        let mut other = plan();
        other.stack.region = Some("us-east-1".into());
        let err = Store::open_for_apply(dir.path(), &other).unwrap_err();
        assert!(
            err.to_string()
                .contains("already exists in region ap-northeast-2")
        );
    }

    #[test]
    fn missing_and_damaged_state_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(dir.path(), "nope").unwrap_err().to_string();
        assert!(err.contains("no saved stack named \"nope\""), "{err}");
        std::fs::create_dir_all(dir.path().join("bad")).unwrap();
        std::fs::write(dir.path().join("bad/state.json"), "{").unwrap();
        let err = Store::open(dir.path(), "bad").unwrap_err().to_string();
        assert!(err.contains("is damaged"), "{err}");
        assert_eq!(Store::list(dir.path()), vec!["bad".to_string()]);
    }
}
