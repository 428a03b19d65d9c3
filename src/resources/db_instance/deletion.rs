//! Deleting the database without losing its data by surprise: its deletion protection
//! and its final snapshot, said before destroy asks, done when it deletes, and the
//! snapshots kept listed afterwards.

use super::*;

/// Delete a database of the stack: its deletion protection off first (destroy asked),
/// a final snapshot kept when `final_snapshot` (and the run does not skip it), named in a
/// warning with `whose` in both languages (" (the site's since failover)"). The
/// automated backups go with it: the final snapshot is the copy that lasts (and is
/// listed), and retained automated backups would keep billing until they expire.
pub(super) async fn delete_keeping(
    cx: &Ctx,
    id: &str,
    final_snapshot: bool,
    whose: (&str, &str),
) -> Result<(), Error> {
    if describe(cx, id)
        .await?
        .and_then(|d| d.deletion_protection())
        == Some(true)
    {
        cx.aws
            .once
            .rds
            .modify_db_instance()
            .db_instance_identifier(id)
            .deletion_protection(false)
            .apply_immediately(true)
            .send()
            .await
            .map_err(aws("ModifyDBInstance"))?;
    }
    let keep = final_snapshot && !cx.options.skip_final_snapshot;
    let mut call = cx
        .aws
        .rds
        .delete_db_instance()
        .db_instance_identifier(id)
        .skip_final_snapshot(!keep)
        .delete_automated_backups(true);
    let snapshot = final_snapshot_name(id);
    if keep {
        call = call.final_db_snapshot_identifier(&snapshot);
    }
    call.send().await.map_err(aws("DeleteDBInstance"))?;
    if keep {
        cx.warn(
            format!(
                "kept the final snapshot {snapshot} of database {id}{}: restore it from \
                 the RDS console's Snapshots page, or delete it there when it is no longer \
                 needed",
                whose.0
            ),
            format!(
                "데이터베이스 {id}{}의 최종 스냅샷 {} 남겼습니다. RDS 콘솔의 스냅샷 \
                 페이지에서 복원할 수 있고, 더 필요 없으면 그곳에서 삭제하세요",
                whose.1,
                crate::i18n::korean::with(&snapshot, crate::i18n::korean::Josa::EulReul)
            ),
        );
    }
    Ok(())
}

impl DbInstance {
    /// The data survives unless the user said otherwise: deletion protection comes off
    /// only here (destroy asked first), and a final snapshot is kept unless the plan or
    /// the run skips it. The automated backups go with the database: the final snapshot
    /// is the copy that lasts (and is listed), and retained automated backups would keep
    /// billing until they expire.
    pub(super) async fn delete_keeping_data(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        delete_keeping(cx, id, self.final_snapshot, ("", "")).await
    }

    /// Destroy turns its deletion protection off and keeps a final snapshot of its data
    /// where the plan says so: both are said before the yes.
    pub(super) async fn what_deleting_takes(
        &self,
        cx: &Ctx,
        id: &str,
    ) -> Result<Option<Deleting>, Error> {
        let live = describe(cx, id).await?;
        Ok(Some(Deleting {
            what: ("database", "데이터베이스"),
            name: id.to_string(),
            protected: live.as_ref().and_then(|d| d.deletion_protection()) == Some(true),
            gib: live
                .as_ref()
                .and_then(|d| d.allocated_storage())
                .and_then(|g| u32::try_from(g).ok())
                .or(Some(self.storage_gib)),
            snapshot: self.final_snapshot.then(|| format!("{id}-final-")),
        }))
    }

    /// The final snapshots of this database (made by destroy or a replacement).
    pub(super) async fn final_snapshots(&self, cx: &Ctx) -> Result<Vec<Remains>, Error> {
        let prefix = format!("{}-final-", self.identifier);
        let mut pages = cx
            .aws
            .rds
            .describe_db_snapshots()
            .db_instance_identifier(&self.identifier)
            .snapshot_type("manual")
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeDBSnapshots"))?;
            for s in page.db_snapshots() {
                let Some(name) = s.db_snapshot_identifier() else {
                    continue;
                };
                if name.starts_with(&prefix) {
                    out.push(Remains {
                        name: name.to_string(),
                        gib: u32::try_from(s.allocated_storage().unwrap_or(0)).unwrap_or(0),
                    });
                }
            }
        }
        Ok(out)
    }
}
