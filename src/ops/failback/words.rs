//! What the failback says: the question asked before it deletes and switches anything.

use super::{FailbackPlan, Stage};
use crate::i18n::Text;
use crate::i18n::korean::{Josa, with};
use crate::ops::Failure;
use crate::ops::question::{Fact, Question, Tone};

impl FailbackPlan {
    pub fn question(&self) -> Question {
        let (primary, standby, db) = (&self.primary, &self.standby, &self.database);
        let mut facts: Vec<Fact> = self
            .notes
            .iter()
            .map(|n| Fact::new(Tone::Info, n.en.clone(), n.ko.clone()))
            .collect();
        let copying = matches!(self.stage, Stage::Copy | Stage::Copied);
        match self.stage {
            Stage::Copy => facts.push(Fact::new(
                Tone::Danger,
                format!(
                    "deletes the primary's old database {db} in {primary} (its data stopped at \
                     the failover, {}), keeping a final snapshot, and makes it again as a \
                     replica of the site's database in {standby}: as long as a new database \
                     takes, longer for a large one",
                    self.since
                ),
                format!(
                    "{primary}의 이전 기본 데이터베이스 {} 최종 스냅샷을 남기고 삭제한 뒤 \
                     (데이터는 장애 조치 시점 {}에서 멈춤), {standby}에 있는 사이트 데이터베이스의 \
                     복제본으로 다시 만듭니다. 새 데이터베이스를 만드는 만큼, 큰 데이터베이스는 더 \
                     오래 걸립니다",
                    with(db, Josa::EulReul),
                    self.since
                ),
            )),
            Stage::Copied => facts.push(Fact::new(
                Tone::Info,
                format!("{db} in {primary} is already a copy of the site's database in {standby}"),
                format!(
                    "{primary}의 {} 이미 {standby}에 있는 사이트 데이터베이스의 복사본입니다",
                    with(db, Josa::EunNeun)
                ),
            )),
            Stage::Switching | Stage::Finishing => facts.push(Fact::new(
                Tone::Warning,
                format!(
                    "goes on with a switch that an earlier run began: the site's writes in \
                     {standby} are paused"
                ),
                format!(
                    "이전 실행이 시작한 전환을 이어 갑니다: {standby}의 사이트 쓰기가 멈춰 있습니다"
                ),
            )),
        }
        if copying && self.files.is_some() {
            facts.push(Fact::new(
                Tone::Warning,
                format!(
                    "replicates the site's files in {standby} onto the primary's file system in \
                     {primary}, overwriting its older files"
                ),
                format!(
                    "{standby}의 사이트 파일을 {primary}의 기본 파일 시스템에 복제하여, 그곳의 \
                     이전 파일을 덮어씁니다"
                ),
            ));
        }
        if self.prepare {
            facts.push(Fact::new(
                Tone::Info,
                format!(
                    "stops there (--prepare): the site keeps serving from {standby}; run `hawiz \
                     failback {}` in a quiet hour to switch",
                    self.stack
                ),
                format!(
                    "거기서 멈춥니다 (--prepare). 사이트는 계속 {standby}에서 서비스합니다. \
                     한가한 시간에 `hawiz failback {}`을 실행해 전환하세요",
                    self.stack
                ),
            ));
        } else {
            if self.stage != Stage::Finishing {
                facts.push(Fact::new(
                    Tone::Warning,
                    format!(
                        "then switches: the site serves read-only while the copy catches up and \
                         is promoted{} (minutes; writes are refused meanwhile, none is lost)",
                        if self.files.is_some() {
                            " and the files' replication ends"
                        } else {
                            ""
                        }
                    ),
                    "그다음 전환합니다: 복사본이 따라잡고 승격되는 동안 사이트는 읽기 전용으로 \
                     서비스합니다 (몇 분. 그동안 쓰기는 거부되고, 잃는 것은 없습니다)",
                ));
            }
            facts.push(Fact::new(
                Tone::Info,
                format!(
                    "points the site back at {primary} (the failover pair again, its instances \
                     replaced), then deletes the database in {standby} keeping a final snapshot \
                     and makes the standby anew: a replica of the primary's database{}",
                    if self.files.is_some() {
                        " and a copy of its files"
                    } else {
                        ""
                    }
                ),
                format!(
                    "사이트를 다시 {} 가리키게 하고 (다시 장애 조치 레코드 쌍, 인스턴스 교체), \
                     {standby}의 데이터베이스를 최종 스냅샷을 남기고 삭제한 뒤 대기 스택을 새로 \
                     만듭니다: 기본 리전 데이터베이스의 복제본{}",
                    with(primary, Josa::EulReul),
                    if self.files.is_some() {
                        "과 파일 복사본"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let stack = &self.stack;
        Question {
            title: Text::new(
                format!("Fail stack {stack:?} back to {primary}?"),
                format!(
                    "스택 {} {} 되돌릴까요?",
                    with(stack, Josa::EulReul),
                    with(primary, Josa::EuroRo)
                ),
            ),
            facts,
            options: Vec::new(),
            needed: true,
            declined: Text::new("nothing was changed", "아무것도 바꾸지 않았습니다"),
        }
    }

    pub fn answer(&self, a: &crate::ops::Answer) -> Result<(), Failure> {
        match self.question().refusal(a) {
            Some(f) => Err(f),
            None => Ok(()),
        }
    }

    /// What is said at the end.
    pub fn outcome(&self) -> Text {
        let (stack, primary, standby) = (&self.stack, &self.primary, &self.standby);
        if self.prepare {
            return Text::new(
                format!(
                    "Stack {stack:?} still serves from {standby}; {primary} holds an up-to-date \
                     copy of its database{}. Run `hawiz failback {stack}` in a quiet hour to \
                     switch (minutes of a read-only site).",
                    if self.files.is_some() {
                        " and files"
                    } else {
                        ""
                    }
                ),
                format!(
                    "스택 {} 아직 {standby}에서 서비스합니다. {primary}에는 데이터베이스{}의 최신 \
                     복사본이 있습니다. 한가한 시간에 `hawiz failback {stack}`을 실행해 \
                     전환하세요 (몇 분간 읽기 전용).",
                    with(stack, Josa::EunNeun),
                    if self.files.is_some() {
                        "와 파일"
                    } else {
                        ""
                    }
                ),
            );
        }
        Text::new(
            format!(
                "Stack {stack:?} serves from {primary} again, and {standby} is its standby once \
                 more: Route 53 sends visitors there while the primary's health check fails. \
                 The final snapshots of the replaced databases are kept (RDS console, \
                 Snapshots)."
            ),
            format!(
                "스택 {} 다시 {primary}에서 서비스하고, {} 다시 대기 리전입니다. 기본 \
                 리전의 상태 확인이 실패하는 동안 Route 53이 방문자를 그리로 보냅니다. 교체된 \
                 데이터베이스의 최종 스냅샷은 남아 있습니다 (RDS 콘솔, 스냅샷).",
                with(stack, Josa::EunNeun),
                with(standby, Josa::EunNeun)
            ),
        )
    }
}
