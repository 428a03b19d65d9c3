//! What applying a changeset asks: to build, or to apply these changes, in sight of what
//! replacing or deleting loses; and the choices a replacement needs (each refused without
//! its flag, saying what would be lost), or that database changes can wait.

use super::{Action, Changeset, Item, Needs};
use crate::engine::Replacing;
use crate::i18n::Text;
use crate::ops::Failure;
use crate::ops::question::{Answer, Choice, Fact, Opt, Question, Tone};
use crate::plan::{Finding, Plan};

impl Changeset {
    /// Replacing the VPC or the database loses data; without its flag that is refused,
    /// saying what would be lost.
    pub fn refuse_without(&self, replace_vpc: bool, replace_database: bool) -> Result<(), Failure> {
        let answer = Answer {
            yes: true,
            ..Answer::default()
        }
        .with(Choice::ReplaceVpc, replace_vpc)
        .with(Choice::ReplaceDatabase, replace_database);
        match self.question().refusal(&answer) {
            Some(f) => Err(f),
            None => Ok(()),
        }
    }

    /// What applying this asks: whether to build or change the stack, in sight of what is
    /// replaced or deleted and what that loses, with the choices a replacement needs.
    pub fn question(&self) -> Question {
        question(&self.plan, &self.items, self.sandbox)
    }
}

pub(super) fn needs(items: &[Item]) -> Needs {
    let replaced = |what: Replacing| {
        items
            .iter()
            .any(|i| i.action == Action::Replace && i.replacing == what)
    };
    // Data the VPC's replacement takes along is covered by --replace-vpc (it says so);
    // --replace-database is for a database replaced for its own settings.
    let data_itself = items.iter().any(|i| {
        i.action == Action::Replace && i.replacing == Replacing::Data && i.because.is_none()
    });
    Needs {
        replace_vpc: replaced(Replacing::Everything),
        replace_database: data_itself,
        db_when: items
            .iter()
            .any(|i| i.action == Action::Update && i.can_wait),
    }
}

/// The question an apply of `items` (of `plan`) asks: build, or apply these changes, in
/// sight of what replacing or deleting loses, with the choices a replacement needs.
pub fn question(plan: &Plan, items: &[Item], sandbox: bool) -> Question {
    let needs = &needs(items);
    let name = &plan.stack.name;
    let count = |a: Action| items.iter().filter(|i| i.action == a).count();
    let lost = count(Action::Replace) + count(Action::Delete);
    let title = if count(Action::Update) + lost > 0 {
        Text::new(
            format!("Apply these changes to stack {name:?}?"),
            format!("스택 {name}에 이 변경을 적용할까요?"),
        )
    } else {
        Text::new(
            "Build this in your AWS account now?",
            "지금 AWS 계정에 만들까요?",
        )
    };
    let mut facts = Vec::new();
    if lost > 0 {
        facts.push(Fact::new(
            Tone::Danger,
            "What is replaced or deleted is gone for good.",
            "교체하거나 삭제하는 것은 영구히 사라집니다.",
        ));
    }
    if sandbox {
        facts.push(Fact::new(
            Tone::Info,
            "(sandbox: nothing real, no cost)",
            "(샌드박스: 실제 리소스·비용 없음)",
        ));
    }
    let mut options = Vec::new();
    if needs.replace_vpc {
        let gone: Vec<&str> = items
            .iter()
            .filter(|i| i.action == Action::Replace)
            .map(|i| i.name.as_str())
            .collect();
        let mut o = Opt::new(
            Choice::ReplaceVpc,
            "Replace the VPC and everything in it (servers, database, files are made again)",
            "VPC와 그 안의 모든 것을 교체 (서버, 데이터베이스, 파일을 다시 만듭니다)",
        );
        o.required = Some(Finding {
            field: "network.cidr".into(),
            message: format!(
                "this change replaces the VPC, and with it everything inside it ({}), the \
                 database too: a new, empty one is made (a final snapshot of the old one is \
                 kept if the plan says so), the servers are rebuilt and the site is down \
                 meanwhile. Run apply with --replace-vpc to do it, or keep the VPC's address \
                 range",
                gone.join(", ")
            ),
            ko: format!(
                "이 변경은 VPC를 교체하며, 그 안의 모든 것({})과 데이터베이스도 함께 교체됩니다. \
                 새로운 빈 데이터베이스를 만들고(계획에 따라 기존 데이터베이스의 최종 스냅샷을 \
                 남깁니다) 서버를 다시 만드는 동안 사이트가 중단됩니다. 진행하려면 apply에 \
                 --replace-vpc를 붙이고, 아니면 VPC 주소 범위를 그대로 두세요",
                gone.join(", ")
            ),
        });
        options.push(o);
    }
    if needs.replace_database {
        let why: Vec<String> = items
            .iter()
            .filter(|i| i.action == Action::Replace && i.replacing == Replacing::Data)
            .map(Item::detail)
            .collect();
        let kept = plan.database.final_snapshot && !sandbox;
        let mut o = Opt::new(
            Choice::ReplaceDatabase,
            if kept {
                "Replace the database (a final snapshot keeps its data)"
            } else {
                "Replace the database (no final snapshot: its data is gone)"
            },
            if kept {
                "데이터베이스 교체 (최종 스냅샷이 데이터를 보존합니다)"
            } else {
                "데이터베이스 교체 (최종 스냅샷 없음: 데이터가 사라집니다)"
            },
        );
        let db = crate::names::database(name);
        let db_ko = crate::i18n::korean::with(&db, crate::i18n::korean::Josa::EulReul);
        o.on = Some(if kept {
            Fact::new(
                Tone::Warning,
                format!(
                    "a final snapshot of {db} is kept before it is deleted (in the RDS \
                     console's Snapshots)"
                ),
                format!("{db_ko} 삭제하기 전에 최종 스냅샷을 남깁니다 (RDS 콘솔의 스냅샷)"),
            )
        } else {
            Fact::new(
                Tone::Danger,
                format!("{db} is deleted without a final snapshot: its data is gone for good"),
                format!("{db_ko} 최종 스냅샷 없이 삭제합니다. 데이터는 영구히 사라집니다"),
            )
        });
        o.required = Some(Finding {
            field: "database.engine".into(),
            message: format!(
                "this change replaces the database ({}): a new, empty database is made and \
                 the old one is deleted (a final snapshot is kept if the plan says so). Run \
                 apply with --replace-database to do it, or keep those settings",
                why.join("; ")
            ),
            ko: format!(
                "이 변경은 데이터베이스를 교체합니다({}). 새로운 빈 데이터베이스를 만들고 기존 \
                 데이터베이스를 삭제합니다(계획에 따라 최종 스냅샷을 남깁니다). 진행하려면 \
                 apply에 --replace-database를 붙이고, 아니면 그 설정을 그대로 두세요",
                why.join("; ")
            ),
        });
        options.push(o);
    }
    if needs.db_when {
        let mut o = Opt::new(
            Choice::DbNow,
            "Change the database now (a restart), not in its maintenance window",
            "데이터베이스를 유지 관리 기간이 아니라 지금 변경 (재시작)",
        );
        o.ask = Some(Text::new(
            "Change the database now? (a class change restarts it; Multi-AZ fails over \
             first, about a minute) No: in its next maintenance window",
            "데이터베이스를 지금 변경할까요? (클래스 변경은 재시작하며, 다중 AZ는 먼저 장애 \
             조치합니다. 약 1분) 아니요: 다음 유지 관리 기간에",
        ));
        options.push(o);
    }
    Question {
        title,
        facts,
        options,
        needed: items
            .iter()
            .any(|i| !matches!(i.action, Action::Keep | Action::Yours)),
        declined: Text::new("nothing was changed", "아무것도 바꾸지 않았습니다"),
    }
}
