//! What the failover says: the question asked before its irreversible steps, and the
//! way back, said at its end.

use super::FailoverPlan;
use crate::i18n::Text;
use crate::i18n::korean::{Josa, with};
use crate::ops::Failure;
use crate::ops::question::{Fact, Question, Tone};
use crate::plan::Plan;

impl FailoverPlan {
    pub fn question(&self) -> Question {
        let (stack, standby) = (&self.stack, &self.standby);
        let app = &self.plan.app;
        let mut facts: Vec<Fact> = self
            .notes
            .iter()
            .map(|n| Fact::new(Tone::Info, n.en.clone(), n.ko.clone()))
            .collect();
        facts.push(Fact::new(
            Tone::Danger,
            format!(
                "promotes the database replica {} in {standby} to a database of its own: this \
                 cannot be undone (failing back means a new replica in the other direction)",
                self.database
            ),
            format!(
                "{standby}의 데이터베이스 복제본 {} 독립된 데이터베이스로 승격합니다. 되돌릴 수 \
                 없습니다 (되돌아가려면 반대 방향의 새 복제본이 필요합니다)",
                with(&self.database, Josa::EulReul)
            ),
        ));
        if self.files.is_some() {
            facts.push(Fact::new(
                Tone::Warning,
                format!(
                    "ends the files' replication to {standby}: the standby's files become writable"
                ),
                format!(
                    "{}의 파일 복제를 끝냅니다. 대기 리전의 파일에 쓸 수 있게 됩니다",
                    with(standby, Josa::EuroRo)
                ),
            ));
        }
        facts.push(Fact::new(
            Tone::Info,
            format!(
                "runs the standby's group at the primary's size ({}–{}, {} now) with a NAT \
                 gateway, and replaces its instances (they boot read-write)",
                app.min, app.max, app.desired
            ),
            format!(
                "대기 리전 그룹을 기본 리전 크기({}–{}, 지금 {}대)로 NAT 게이트웨이와 함께 \
                 실행하고, 인스턴스를 교체합니다 (읽기·쓰기로 부팅)",
                app.min, app.max, app.desired
            ),
        ));
        if let Some(site) = crate::blueprint::site_name(&self.plan) {
            facts.push(Fact::new(
                Tone::Warning,
                format!(
                    "points {site} at {standby} alone (a simple record in place of the failover \
                     pair{}): the old primary gets no visitors again, even when its region \
                     answers, so the two databases never both take writes",
                    if self.plan.cloudfront() {
                        "; CloudFront and the health check stay, unused, for the way back"
                    } else {
                        "; the health check stays, unused, for the way back"
                    }
                ),
                format!(
                    "{} {}만 가리키게 합니다 (장애 조치 레코드 쌍 대신 단순 레코드{}). 이전 기본 리전은 \
                     그 리전이 다시 응답해도 방문자를 받지 않으므로, 두 데이터베이스가 함께 쓰기를 \
                     받는 일이 없습니다",
                    with(&site, Josa::EulReul),
                    standby,
                    if self.plan.cloudfront() {
                        ". CloudFront와 상태 확인은 되돌아갈 때를 위해 쓰이지 않은 채 남습니다"
                    } else {
                        ". 상태 확인은 되돌아갈 때를 위해 쓰이지 않은 채 남습니다"
                    }
                ),
            ));
        }
        Question {
            title: Text::new(
                format!("Fail stack {stack:?} over to {standby} now?"),
                format!(
                    "스택 {} 지금 {} 장애 조치할까요?",
                    with(stack, Josa::EulReul),
                    with(standby, Josa::EuroRo)
                ),
            ),
            facts,
            options: Vec::new(),
            needed: true,
            declined: Text::new("nothing was changed", "아무것도 바꾸지 않았습니다"),
        }
    }

    /// The way back, said at the end.
    pub fn failback(&self) -> Text {
        failback(&self.plan)
    }

    pub fn answer(&self, a: &crate::ops::Answer) -> Result<(), Failure> {
        match self.question().refusal(a) {
            Some(f) => Err(f),
            None => Ok(()),
        }
    }
}

/// What failing back takes: the recipe said at the end (and when asked again).
pub fn failback(plan: &Plan) -> Text {
    let (primary, standby) = (
        plan.region().to_string(),
        plan.failover
            .as_ref()
            .map(|f| f.region.clone())
            .unwrap_or_default(),
    );
    let stack = &plan.stack.name;
    Text::new(
        format!(
            "To fail back once {primary} is well: `hawiz failback {stack}`. The data now lives \
             in {standby}, so the way back is a new replica in the other direction (AWS \
             REL13-BP02): it copies the database and the files back to {primary} while the site \
             keeps serving here (`--prepare` stops there), then switches in minutes of a \
             read-only site and makes {standby} the standby again. Until then the site's name \
             points at {standby} alone, and `hawiz apply` keeps the standby at full size."
        ),
        format!(
            "{} 정상으로 돌아오면 되돌아가기: `hawiz failback {stack}`. 이제 데이터는 {standby}에 \
             있으므로 반대 방향의 새 복제본이 필요합니다 (AWS REL13-BP02). 사이트가 여기서 계속 \
             서비스하는 동안 데이터베이스와 파일을 {} 되돌려 복사하고 (`--prepare`는 거기서 \
             멈춤), 몇 분간의 읽기 전용 상태로 전환한 뒤 {} 다시 대기 리전으로 만듭니다. 그때까지 \
             사이트 이름은 {standby}만 가리키고, `hawiz apply`는 대기 스택을 전체 크기로 유지합니다.",
            with(&primary, Josa::IGa),
            with(&primary, Josa::EuroRo),
            with(&standby, Josa::EulReul)
        ),
    )
}
