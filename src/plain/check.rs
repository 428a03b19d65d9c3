//! Plain mode's "check an existing setup" (F3 on the full-screen wizard's first screen):
//! offered once, as the answers leave the first step. The run layer's `doctor` reads the
//! region's VPCs; one is shown with its findings as `hawiz doctor --vpc` prints them, and
//! the answers may continue as a setup that adopts it.

use super::Session;
use super::ask::{cancelled, select_help, yes_no};
use crate::i18n::korean::{self, Josa};
use crate::ops::Failure;
use crate::ops::doctor::{self, Outcome, Target};

pub(super) async fn offer(s: &mut Session<'_>) -> Result<(), Failure> {
    let lang = s.lang;
    let region = s.plan.region().to_string();
    let question = lang.pick(
        &format!(
            "Check an existing setup in {region} first (its VPCs read for the lab's HA mistakes; nothing is changed)?"
        ),
        &format!(
            "먼저 {region}의 기존 설정을 검사할까요 (VPC를 읽어 실습의 고가용성 실수를 찾습니다. 바꾸는 것은 없습니다)?"
        ),
    )
    .to_string();
    if yes_no(&question, false, false, lang).map_err(|e| cancelled(e, lang))? != Some(true) {
        return Ok(());
    }
    let target = Target {
        region: Some(region),
        ..Target::default()
    };
    let reports = match doctor::run(&s.env, &target).await {
        Ok(Outcome::Region { vpcs, .. }) => vpcs,
        Ok(Outcome::One(r)) => vec![*r],
        Err(f) => {
            println!("⚠ {}", f.message);
            return Ok(());
        }
    };
    if reports.is_empty() {
        println!(
            "{}",
            lang.pick(
                "No VPC in this region: the setup builds one of its own.",
                "이 리전에는 VPC가 없습니다: 설정이 새 VPC를 만듭니다."
            )
        );
        return Ok(());
    }
    let none = lang
        .pick(
            "none: go on with a VPC of hawiz's own",
            "없음: hawiz가 만드는 VPC로 계속",
        )
        .to_string();
    let mut options: Vec<String> = reports.iter().map(|r| r.line(lang)).collect();
    options.push(none);
    let picked = inquire::Select::new(
        lang.pick("Which VPC's findings?", "어느 VPC의 발견 사항을 볼까요?"),
        options.clone(),
    )
    .with_help_message(select_help(lang))
    .prompt()
    .map_err(|e| cancelled(e, lang))?;
    let Some(report) = options
        .iter()
        .position(|o| *o == picked)
        .and_then(|i| reports.get(i))
    else {
        return Ok(());
    };
    println!("\n{}", report.text(lang));
    let vpc = &report.survey.vpc;
    let question = lang.pick(
        &format!("Continue as a setup that adopts {vpc} (its network as it is; hawiz builds what is missing)?"),
        &format!(
            "{} 가져오는 설정으로 이어갈까요 (네트워크는 그대로, 빠진 것은 hawiz가 만듭니다)?",
            korean::with(vpc, Josa::EulReul)
        ),
    )
    .to_string();
    if yes_no(&question, true, false, lang).map_err(|e| cancelled(e, lang))? != Some(true) {
        return Ok(());
    }
    match doctor::adopt::adopt(&mut s.plan, report) {
        Ok(()) => println!(
            "{}",
            lang.pick(
                &format!("Adopting {vpc}: the network questions now show it and its subnets."),
                &format!(
                    "{} 가져옵니다: 네트워크 질문에 그 VPC와 서브넷이 나옵니다.",
                    korean::with(vpc, Josa::EulReul)
                ),
            )
        ),
        Err(why) => println!("⚠ {}", lang.pick(&why.en, &why.ko)),
    }
    Ok(())
}
