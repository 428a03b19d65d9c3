//! Build while answering. Once the wizard's network step is answered and its checks pass,
//! the user may start building what is decided while they answer the rest: asked once,
//! off by default, priced per hour. Each step they confirm joins the next run, one run at
//! a time (the stack's lock), each with the latest answers.
//!
//! Nothing preflight would refuse is started: every run is `changes` on the whole plan
//! (the steps not answered yet at their defaults: the same checks, the same look at the
//! account) and an apply of the confirmed part only (`ApplyOptions::only`). The review's
//! build then applies the whole plan, which converges whatever the user changed in the
//! meantime like any plan change, and asks about anything it would replace.

use super::{ApplyOptions, ApplyReport, Env, Event, Fact, Failure, Question, Tone};
use crate::engine::Graph;
use crate::i18n::Text;
use crate::plan::Plan;
use std::collections::BTreeSet;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// The step after which it is offered: the network's (`wizard::STEPS`).
pub const OFFERED_AFTER: usize = 1;

/// The last step whose confirmation joins a run (the domain's): the failover step's
/// standby region, like everything after it, is the review's build's own.
pub const LAST_JOINING: usize = 7;

/// Whether leaving step `left` forward asks the question: the network step of a new
/// stack, on the way to a first review (answers sent back from the review to fix one are
/// not asked it), and only once.
pub fn offered(left: usize, asked: bool, new_stack: bool, first_walk: bool) -> bool {
    left == OFFERED_AFTER && !asked && new_stack && first_walk
}

/// The keys the steps through `through` decide (`blueprint::steps`).
pub fn part(plan: &Plan, stacks_dir: &std::path::Path, through: usize) -> BTreeSet<String> {
    crate::blueprint::steps(plan, stacks_dir)
        .map(|steps| {
            steps
                .into_iter()
                .filter(|(_, step)| *step <= through)
                .map(|(key, _)| key)
                .collect()
        })
        .unwrap_or_default()
}

/// The question, asked once after the network step: what starts now, what it costs from
/// now, and that every answer can still change.
pub fn question(plan: &Plan) -> Question {
    let mut resolved = plan.clone();
    resolved.resolve(None);
    let now = part(&resolved, std::path::Path::new(""), OFFERED_AFTER);
    let priced = crate::cost::estimate_of(&resolved, |k| now.contains(k))
        .and_then(|part| Ok((part, crate::cost::estimate(&resolved)?)));
    let cost = match priced {
        Ok((part, whole)) => Fact::new(
            Tone::Warning,
            format!(
                "Costs from now: about ${:.2}/hour for the network (its NAT gateways), more as each step joins; the whole stack about ${:.0}/month once built.",
                part.hourly(),
                whole.total
            ),
            format!(
                "지금부터 비용이 듭니다: 네트워크(NAT 게이트웨이)에 시간당 약 ${:.2}, 단계가 더해질 때마다 늘고, 스택 전체는 다 만들면 월 약 ${:.0}입니다.",
                part.hourly(),
                whole.total
            ),
        ),
        Err(e) => Fact::new(
            Tone::Warning,
            format!("Costs from now (not priced: {e})."),
            format!("지금부터 비용이 듭니다 (가격을 알 수 없음: {e})."),
        ),
    };
    Question {
        title: Text::new(
            "Start building the network now, while you answer the rest?",
            "나머지를 답하는 동안 네트워크부터 만들기 시작할까요?",
        ),
        facts: vec![
            Fact::new(
                Tone::Info,
                "The database alone takes about 5 minutes to make (15–20 with its standby): started while you answer, your site serves that much sooner. hawiz builds the network now (VPC, subnets, NAT, security groups); each step you confirm joins the build, the database when you confirm its step.",
                "데이터베이스 하나를 만드는 데만 약 5분(대기 인스턴스까지 15–20분)이 걸립니다. 답하는 동안 시작하면 그만큼 사이트가 빨리 뜹니다. 지금 네트워크(VPC, 서브넷, NAT, 보안 그룹)를 만들고, 단계를 확인할 때마다 그 단계의 것이 더해집니다. 데이터베이스는 그 단계를 확인할 때 시작합니다.",
            ),
            cost,
            Fact::new(
                Tone::Info,
                "You can still change every answer: the review shows what is built and what your changes do to it, then builds the rest. If you leave before that, what was made stays until you delete it (`hawiz destroy`).",
                "답은 모두 나중에 바꿀 수 있습니다. 검토 화면이 만든 것과 바꾼 답이 그것에 미치는 영향을 보여 주고 나머지를 만듭니다. 그 전에 나가면 만든 것은 지울 때까지 남습니다(`hawiz destroy`).",
            ),
        ],
        options: Vec::new(),
        needed: true,
        declined: Text::new(
            "nothing is built until you confirm the review",
            "검토를 확인할 때까지 아무것도 만들지 않습니다",
        ),
    }
}

/// What a build while answering reports.
#[derive(Debug)]
pub enum Report {
    /// A run started: the whole plan's graph (every row), and the part it builds.
    Started {
        graph: Graph,
        part: BTreeSet<String>,
        through: usize,
    },
    Event(Event),
    /// A run ended. One that failed (or was refused) ends the building while answering:
    /// the review's build does the rest, and says the same.
    Ended {
        through: usize,
        result: Result<Box<ApplyReport>, Failure>,
    },
}

/// A build while answering under way.
pub struct Early {
    wants: watch::Sender<(Plan, usize)>,
    task: JoinHandle<()>,
}

/// Start building the steps through `through` of `plan`.
pub fn start(env: &Env, plan: Plan, through: usize) -> (Early, mpsc::UnboundedReceiver<Report>) {
    let (wants, rx) = watch::channel((plan, through));
    let (out, reports) = mpsc::unbounded_channel();
    let task = tokio::spawn(drive(env.clone(), rx, out));
    (Early { wants, task }, reports)
}

impl Early {
    /// A step was confirmed: its part joins the next run, with these answers.
    pub fn confirm(&self, plan: Plan, through: usize) {
        self.wants.send_replace((plan, through));
    }

    /// Take no more steps and wait for the run under way to end: the stack's lock is free
    /// after it (for the review's build, or a delete).
    pub async fn settle(self) {
        drop(self.wants);
        let _ = self.task.await;
    }
}

async fn drive(
    env: Env,
    mut wants: watch::Receiver<(Plan, usize)>,
    out: mpsc::UnboundedSender<Report>,
) {
    let mut first = true;
    loop {
        let (plan, through) = wants.borrow_and_update().clone();
        let result = once(&env, plan, through, first, &out).await.map(Box::new);
        first = false;
        let go_on = matches!(&result, Ok(r) if r.is_complete());
        let _ = out.send(Report::Ended { through, result });
        if !go_on || wants.changed().await.is_err() {
            return;
        }
    }
}

/// One run: the whole plan's changes (its checks, the account's, under the lock), then the
/// confirmed part of it.
async fn once(
    env: &Env,
    plan: Plan,
    through: usize,
    first: bool,
    out: &mpsc::UnboundedSender<Report>,
) -> Result<ApplyReport, Failure> {
    let cs = super::changes(env, plan, true).await?;
    if first && cs.before.is_some() {
        return Err(Failure::invalid(format!(
            "stack {} exists already: building while answering is for a new stack (the review shows what your answers change in it)",
            cs.plan.stack.name
        )));
    }
    let part = part(&cs.plan, &env.stacks_dir, through);
    let _ = out.send(Report::Started {
        graph: cs.graph.clone(),
        part: part.clone(),
        through,
    });
    let options = ApplyOptions {
        only: Some(part),
        ..ApplyOptions::default()
    };
    let (mut events, work) = super::apply(env, cs, options);
    while let Some(ev) = events.recv().await {
        let _ = out.send(Report::Event(ev));
    }
    work.await
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_adds_its_part_and_the_network_comes_first() {
        let mut plan = Plan::default();
        plan.resolve(None);
        let dir = std::path::Path::new("");
        let network = part(&plan, dir, 1);
        let database = part(&plan, dir, 3);
        let all = part(&plan, dir, 8);
        assert!(network.iter().any(|k| k.starts_with("vpc")), "{network:?}");
        assert!(!network.iter().any(|k| k.starts_with("db")), "{network:?}");
        assert!(database.is_superset(&network));
        assert!(database.iter().any(|k| k.starts_with("db")), "{database:?}");
        let whole: BTreeSet<String> = crate::blueprint::build(&plan, dir)
            .unwrap()
            .nodes()
            .map(|n| n.key.clone())
            .collect();
        assert_eq!(all, whole, "every key belongs to a step");
    }

    #[test]
    fn the_question_prices_the_network_per_hour() {
        let mut plan = Plan::default();
        plan.resolve(None);
        let q = question(&plan);
        assert!(q.needed);
        let cost = &q.facts[1].text.en;
        assert!(cost.contains("/hour"), "{cost}");
        assert!(
            !cost.contains("$0.00/hour"),
            "the NAT gateways cost: {cost}"
        );
        assert!(q.facts.iter().all(|f| !f.text.ko.is_empty()));
    }
}
