//! Writing a plan to a file the user may have written or edited (`hawiz edit FILE`, the
//! wizard's `plans/<stack>.toml`): over an existing plan, only the values that changed are
//! changed, so the user's comments, order and layout stay. A new file gets the whole plan.
//! The file is replaced atomically (temp file + rename): a crash never leaves half a plan,
//! and nothing is written when the plan cannot be put into words.

use super::Plan;
use std::io::Write;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, TableLike};

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("cannot write the plan as TOML: {0}")]
    Serialize(#[from] toml::ser::Error),
    #[error("cannot write plan file {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Write `plan` to `path`, keeping what the file already says wherever it still holds.
pub fn save(path: &Path, plan: &Plan) -> Result<(), SaveError> {
    let fresh = plan.to_toml()?;
    let text = match std::fs::read_to_string(path) {
        Ok(before) => merged(&before, plan).unwrap_or(fresh),
        Err(_) => fresh,
    };
    write_atomically(path, &text).map_err(|source| SaveError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// `before` (a plan file's text) changed to say `plan`, value by value; `None` when
/// `before` is not a plan hawiz reads (then the file is written whole).
pub fn merged(before: &str, plan: &Plan) -> Option<String> {
    let old = Plan::from_toml(before).ok()?;
    let mut doc: DocumentMut = before.parse().ok()?;
    let fresh: DocumentMut = plan.to_toml().ok()?.parse().ok()?;
    let was = toml::Table::try_from(as_read(&old, plan)).ok()?;
    let now = toml::Table::try_from(plan).ok()?;
    let mut edits = Vec::new();
    diff(&mut Vec::new(), &was, &now, &mut edits);
    for edit in edits {
        apply(&mut doc, &fresh, edit)?;
    }
    let text = doc.to_string();
    // The edited file must read back as exactly this plan; if it does not (a layout the
    // edit cannot follow), the whole plan is written instead of a wrong one.
    let mut back = Plan::from_toml(&text).ok()?;
    back.resolve(None);
    let mut want = plan.clone();
    want.resolve(None);
    (back == want).then_some(text)
}

/// What the file said, with the defaults the saved plan carries filled in as the file
/// would get them (the network's ranges and zones for the plan's region), so only real
/// changes are written. A region the file leaves out is written: without it the next run
/// would take whichever region the AWS configuration names.
fn as_read(old: &Plan, plan: &Plan) -> Plan {
    let mut old = old.clone();
    let in_file = old.stack.region.clone();
    old.stack.region = in_file.clone().or_else(|| plan.stack.region.clone());
    old.resolve(None);
    old.stack.region = in_file;
    old
}

enum Edit {
    Set(Vec<String>),
    Remove(Vec<String>),
}

fn diff(path: &mut Vec<String>, was: &toml::Table, now: &toml::Table, out: &mut Vec<Edit>) {
    for (key, new) in now {
        path.push(key.clone());
        match (was.get(key), new) {
            (Some(old), new) if old == new => {}
            (Some(toml::Value::Table(old)), toml::Value::Table(new)) => diff(path, old, new, out),
            _ => out.push(Edit::Set(path.clone())),
        }
        path.pop();
    }
    for key in was.keys().filter(|k| !now.contains_key(*k)) {
        let mut gone = path.clone();
        gone.push(key.clone());
        out.push(Edit::Remove(gone));
    }
}

/// Apply one edit to the user's document; a value that is set comes from `fresh` (the
/// whole plan as hawiz writes it), so a new section reads as a whole file would.
fn apply(doc: &mut DocumentMut, fresh: &DocumentMut, edit: Edit) -> Option<()> {
    let (path, set) = match edit {
        Edit::Set(path) => (path, true),
        Edit::Remove(path) => (path, false),
    };
    let (leaf, parents) = path.split_last()?;
    let mut item = if set {
        let mut from: &dyn TableLike = fresh.as_table();
        for key in parents {
            from = from.get(key)?.as_table_like()?;
        }
        Some(from.get(leaf)?.clone())
    } else {
        None
    };
    if let Some(Item::Table(t)) = &mut item {
        // After every section the file has, with a blank line before it.
        let mut next = last_position(doc.as_table()) + 1;
        renumber(t, &mut next);
        t.decor_mut().set_prefix("\n");
    }
    let mut table: &mut dyn TableLike = doc.as_table_mut();
    for key in parents {
        if table.get(key).is_none() {
            if item.is_none() {
                return Some(()); // nothing there to remove
            }
            table.insert(key, Item::Table(toml_edit::Table::new()));
        }
        table = table.get_mut(key)?.as_table_like_mut()?;
    }
    match (item, table.get_mut(leaf)) {
        (None, _) => {
            table.remove(leaf);
        }
        // Changed in place: the key keeps the comment above it, the value the one after.
        (Some(mut new), Some(slot)) => {
            if let (Some(value), Some(old)) = (new.as_value_mut(), slot.as_value()) {
                *value.decor_mut() = old.decor().clone();
            }
            *slot = new;
        }
        (Some(new), None) => {
            table.insert(leaf, new);
        }
    }
    Some(())
}

fn last_position(t: &toml_edit::Table) -> isize {
    t.iter()
        .filter_map(|(_, item)| item.as_table())
        .map(last_position)
        .chain(t.position())
        .max()
        .unwrap_or(0)
}

fn renumber(t: &mut toml_edit::Table, next: &mut isize) {
    t.set_position(Some(*next));
    *next += 1;
    for (_, item) in t.iter_mut() {
        if let Item::Table(sub) = item {
            renumber(sub, next);
        }
    }
}

fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    // Through a link to the file it names, so the link stays a link.
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        if let Ok(meta) = std::fs::metadata(&path) {
            f.set_permissions(meta.permissions())?;
        }
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMENTED: &str = "\
# The shop's plan: reviewed with the team on Monday.
[stack]
name = \"shop\"
region = \"ap-northeast-2\"

[app]
# Peak season needs room to grow.
max = 4 # never more than the budget allows
min = 2

[database]
storage_gib = 30
";

    #[test]
    fn only_the_changed_value_is_written() {
        let mut plan = Plan::from_toml(COMMENTED).unwrap();
        plan.app.max = 7;
        plan.resolve(None);
        let text = merged(COMMENTED, &plan).unwrap();
        assert_eq!(
            text,
            COMMENTED.replace("max = 4 #", "max = 7 #"),
            "comments, order and untouched values stay"
        );
    }

    #[test]
    fn sections_come_and_go() {
        let mut plan = Plan::from_toml(COMMENTED).unwrap();
        plan.domain = Some(super::super::Domain {
            name: "shop.example".into(),
            ..Default::default()
        });
        plan.resolve(None);
        let text = merged(COMMENTED, &plan).unwrap();
        assert!(text.starts_with("# The shop's plan"), "{text}");
        assert!(
            text.ends_with("storage_gib = 30\n\n[domain]\nname = \"shop.example\"\nhost = \"www\"\ncreate_hosted_zone = true\nhttps = true\n"),
            "{text}"
        );
        let mut back = Plan::from_toml(&text).unwrap();
        back.resolve(None);
        assert_eq!(back, plan);

        plan.domain = None;
        let again = merged(&text, &plan).unwrap();
        assert!(!again.contains("[domain]"), "{again}");
        assert!(again.contains("# Peak season"), "{again}");
    }

    #[test]
    fn a_file_without_a_region_gets_the_one_the_wizard_used() {
        let before = "[stack]\nname = \"shop\"\n";
        let mut plan = Plan::from_toml(before).unwrap();
        plan.resolve(Some("eu-west-1"));
        let text = merged(before, &plan).unwrap();
        assert_eq!(
            text, "[stack]\nname = \"shop\"\nregion = \"eu-west-1\"\n",
            "the region, and not the network defaults that follow from it"
        );
    }

    #[test]
    fn save_writes_whole_new_files_and_keeps_comments_in_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.toml");
        let mut plan = Plan::from_toml(COMMENTED).unwrap();
        plan.resolve(None);
        save(&path, &plan).unwrap();
        let whole = std::fs::read_to_string(&path).unwrap();
        assert_eq!(whole, plan.to_toml().unwrap());

        std::fs::write(&path, COMMENTED).unwrap();
        plan.app.min = 3;
        save(&path, &plan).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            COMMENTED.replace("min = 2", "min = 3")
        );
        // Not a plan any more (someone broke it by hand): written whole, not merged.
        std::fs::write(&path, "[stack\n").unwrap();
        save(&path, &plan).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            plan.to_toml().unwrap()
        );
    }
}
