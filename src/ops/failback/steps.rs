//! The failback's steps, each skipped when AWS shows it done (a second run goes on where
//! the first stopped), each timed.

use super::{Clock, FailbackPlan, FailbackReport, Stage, failed, pause};
use crate::aws::{Clients, aws};
use crate::i18n::korean::{Josa, with};
use crate::ops::failover::{converge_part, end_replication, promoted, switch_options};
use crate::ops::{Env, Events, Failure};
use std::collections::BTreeSet;
use std::time::SystemTime;

pub(super) async fn all(
    env: &Env,
    p: FailbackPlan,
    events: Events,
) -> Result<FailbackReport, Failure> {
    let mut report = FailbackReport::default();
    let here = p.session.clients.clone();
    let there = p.there();
    if p.stage == Stage::Copy {
        super::copy::copy_database(&p, &here, &events, &mut report).await?;
    }
    if matches!(p.stage, Stage::Copy | Stage::Copied)
        && let Some(files) = &p.files
    {
        super::copy::copy_files(&p, files, &here, &there, &events, &mut report).await?;
    }
    if p.prepare {
        return Ok(report);
    }
    if p.stage != Stage::Finishing {
        switch(env, &p, &here, &there, &events, &mut report).await?;
    }
    point_back(env, &p, &events, &mut report).await?;
    // The site is the primary's again: the standby's part made a standby once more.
    let clock = Clock::start();
    let db = crate::ops::drill::database(&there, &p.database).await?;
    if db.is_some_and(|db| !crate::ops::standby::replica_of(&db, &p.primary)) {
        events.note(
            format!(
                "deleting the standby's database {} in {} (its data is in the primary's \
                 now), keeping a final snapshot",
                p.database, p.standby
            ),
            format!(
                "{}의 대기 리전 데이터베이스 {} 삭제하는 중 (데이터는 이제 기본 리전에 있음), 최종 \
                 스냅샷은 남깁니다",
                p.standby,
                with(&p.database, Josa::EulReul)
            ),
        );
        super::copy::delete_keeping_snapshot(&there, &p.database).await?;
    }
    // The plan as `switch` recorded it (no longer failed over), read once.
    let plan = p.store.snapshot().plan;
    let graph = crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))?;
    let keys: BTreeSet<String> = graph.nodes().map(|n| n.key.clone()).collect();
    let options = switch_options(env);
    let mut problems = converge_part(
        env,
        &p.session,
        &p.store,
        &graph,
        &keys,
        &events,
        options.clone(),
    )
    .await;
    // What only the failed-over standby had (a pilot light's NAT gateway) goes.
    if problems.is_empty() {
        let mut failed_over = plan.clone();
        if let Some(f) = failed_over.failover.as_mut() {
            f.failed_over = Some(p.since.clone());
        }
        let union = crate::ops::union_graph(&env.stacks_dir, &plan, &[failed_over])?;
        let make =
            |g, tx| crate::ops::runner(env, &p.session, p.store.clone(), g, tx, options.clone());
        match crate::ops::apply::remove_left(&union, &graph, &events, make).await {
            Ok((_, left)) | Err(left) => problems.extend(left),
        }
    }
    // The primary's database came back single-AZ (a replica promoted): with fast start
    // its standby is asked for as after a first build (without, the engine did it).
    if problems.is_empty()
        && crate::ops::db_standby::wanted(&plan)
        && let Err(why) = crate::ops::db_standby::add(&here, &plan, true, &events).await
    {
        problems.push(("db-standby".into(), why));
    }
    // Lifted last: until then a later run knows the failback is not finished (and goes on
    // from here). The new replica is read-only either way.
    if problems.is_empty() {
        pause::lift(&there, &p.parameters).await?;
    }
    report.problems.extend(problems);
    clock.done(
        &mut report,
        "standby rebuilt (replica, files replication)",
        "대기 스택 재구성 (복제본, 파일 복제)",
    );
    Ok(report)
}

fn graph(env: &Env, p: &FailbackPlan) -> Result<crate::engine::Graph, Failure> {
    let plan = p.store.snapshot().plan;
    crate::blueprint::build(&plan, &env.stacks_dir)
        .map_err(|e| Failure::failed(format!("internal error: {e}")))
}

/// The switch: the standby's writes paused, the copy caught up and promoted, the files
/// writable, and the plan no longer failed over.
async fn switch(
    env: &Env,
    p: &FailbackPlan,
    here: &Clients,
    there: &Clients,
    events: &Events,
    report: &mut FailbackReport,
) -> Result<(), Failure> {
    let emulated = env.target.emulated();
    let db = &p.database;
    let clock = Clock::start();
    events.note(
        format!(
            "pausing the site's writes in {}: it serves read-only until the switch ends",
            p.standby
        ),
        format!(
            "{}에서 사이트 쓰기를 멈추는 중: 전환이 끝날 때까지 읽기 전용으로 서비스합니다",
            p.standby
        ),
    );
    let paused_at = SystemTime::now();
    pause::pause(there, &p.parameters).await?;
    let copy = crate::ops::drill::database(here, db).await?;
    if copy
        .as_ref()
        .is_some_and(|d| crate::ops::standby::replica_of(d, &p.standby))
    {
        events.note(
            format!("waiting for the copy {db} in {} to catch up", p.primary),
            format!(
                "{}의 복사본 {} 따라잡을 때까지 기다리는 중",
                p.primary,
                with(db, Josa::IGa)
            ),
        );
        if !pause::caught_up(here, db, paused_at, emulated).await? {
            events.note(
                "the emulator reports no replica lag: the catching up is not measured",
                "에뮬레이터는 복제 지연을 보고하지 않습니다: 따라잡기는 측정되지 않았습니다",
            );
        }
        clock.done(
            report,
            "writes paused, copy caught up",
            "쓰기 멈춤, 복사본 따라잡음",
        );
        let clock = Clock::start();
        events.note(
            format!("promoting the copy {db} in {}", p.primary),
            format!(
                "{}의 복사본 {} 승격하는 중",
                p.primary,
                with(db, Josa::EulReul)
            ),
        );
        here.rds
            .promote_read_replica()
            .db_instance_identifier(db)
            .backup_retention_period(7)
            .send()
            .await
            .map_err(aws("PromoteReadReplica"))
            .map_err(failed)?;
        promoted(here, db, emulated).await?;
        clock.done(
            report,
            "primary's database promoted",
            "기본 리전 데이터베이스 승격",
        );
    }
    if let Some(files) = &p.files {
        let clock = Clock::start();
        events.note(
            format!("ending the files' replication to {}", p.primary),
            format!("{}의 파일 복제를 끝내는 중", with(&p.primary, Josa::EuroRo)),
        );
        end_replication(there, here, &files.primary).await?;
        clock.done(
            report,
            "primary's files writable",
            "기본 리전 파일 쓰기 가능",
        );
    }

    // Recorded before the site moves: from here on every run builds the primary as the
    // site and the standby as its standby.
    let mut plan = p.plan.clone();
    if let Some(f) = plan.failover.as_mut() {
        f.failed_over = None;
    }
    p.store.set_plan(&plan).map_err(failed)?;
    crate::ops::account::save_plan(&p.session.clients, &plan).await?;
    Ok(())
}

/// The primary's part and the site's records (Route 53 answers from everywhere): the
/// site is the primary's again, its instances replaced (they boot read-write).
async fn point_back(
    env: &Env,
    p: &FailbackPlan,
    events: &Events,
    report: &mut FailbackReport,
) -> Result<(), Failure> {
    let clock = Clock::start();
    events.note(
        format!("pointing the site back at {}", p.primary),
        format!(
            "사이트를 다시 {} 가리키게 하는 중",
            with(&p.primary, Josa::EulReul)
        ),
    );
    let graph = graph(env, p)?;
    let keys: BTreeSet<String> = graph
        .nodes()
        .filter(|n| n.region.is_none() && n.key != "efs-replication")
        .map(|n| n.key.clone())
        .collect();
    let options = switch_options(env);
    let problems = converge_part(env, &p.session, &p.store, &graph, &keys, events, options).await;
    if !problems.is_empty() {
        // The standby keeps its database (paused) until the primary serves: a later run
        // goes on from here.
        report.problems.extend(problems);
        return Err(Failure::failed(format!(
            "the site could not be pointed back at {} yet:\n{}\nthe standby's database stays, \
             its writes paused; fix the cause and run `hawiz failback {}` again",
            p.primary,
            report.problem_lines(),
            p.stack
        )));
    }
    clock.done(
        report,
        "site back at the primary",
        "사이트가 기본 리전으로 돌아옴",
    );
    Ok(())
}
