//! `hawiz doctor [STACK | --vpc ID] [--region R] [--json]`: the run layer's findings as
//! lines in the user's language, or as JSON (the README documents its shape). Exit 1 when
//! a finding is high, so a script can stop on it.

use super::{Env, Failure};
use crate::i18n::Lang;
use crate::ops::doctor::{self, Outcome, Report, Target};
use serde_json::json;

pub async fn run(env: &Env, target: &Target, as_json: bool) -> Result<(), Failure> {
    let lang = env.lang;
    let outcome = doctor::run(env, target).await?;
    let reports: Vec<&Report> = match &outcome {
        Outcome::One(r) => vec![r],
        Outcome::Region { vpcs, .. } => vpcs.iter().collect(),
    };
    if as_json {
        println!("{}", json_of(&outcome, lang));
    } else {
        match &outcome {
            Outcome::One(r) => print!("{}", r.text(lang)),
            Outcome::Region { region, vpcs } => {
                println!(
                    "{}",
                    lang.pick(
                        &format!(
                            "VPCs in {region} (hawiz doctor --vpc ID for one, with the fixes):"
                        ),
                        &format!(
                            "{region}의 VPC (하나를 고쳐 볼 방법까지 보려면 hawiz doctor --vpc ID):"
                        ),
                    )
                );
                for r in vpcs {
                    println!("  {}", r.line(lang));
                }
            }
        }
    }
    if let Some(plan) = reports.first().and_then(|r| r.plan.as_ref()) {
        match plan {
            Ok(path) => {
                let p = path.display();
                let vpc = &reports[0].survey.vpc;
                eprintln!(
                    "{}",
                    lang.pick(
                        &format!("Plan written: {p} (it adopts {vpc} and its subnets as they are). `hawiz plan {p}` shows what hawiz would build there; `hawiz apply {p}` builds it."),
                        &format!("계획을 썼습니다: {p} ({vpc}와 서브넷을 그대로 가져옵니다). `hawiz plan {p}`이 hawiz가 그곳에 만들 것을 보여 주고, `hawiz apply {p}`이 만듭니다."),
                    )
                );
            }
            Err(why) => return Err(Failure::invalid(lang.pick(&why.en, &why.ko))),
        }
    }
    let high: usize = reports.iter().map(|r| r.high()).sum();
    if high > 0 {
        return Err(Failure::failed(lang.pick(
            &format!("{high} high finding(s): the site is not highly available as it stands"),
            &format!("높음 {high}개: 지금 그대로는 사이트가 고가용성이 아닙니다"),
        )));
    }
    Ok(())
}

fn report_json(r: &Report, lang: Lang) -> serde_json::Value {
    let pick = |t: &crate::i18n::Text| lang.pick(&t.en, &t.ko).to_string();
    json!({
        "vpc": r.survey.vpc,
        "name": r.survey.name,
        "region": r.region,
        "findings": r.findings.iter().map(|f| json!({
            "check": f.check,
            "severity": f.severity,
            "resource": f.resource,
            "what": pick(&f.what),
            "why": pick(&f.why),
            "fix": pick(&f.fix),
        })).collect::<Vec<_>>(),
        "unchecked": r.survey.unchecked.iter().map(pick).collect::<Vec<_>>(),
        "high": r.high(),
    })
}

fn json_of(o: &Outcome, lang: Lang) -> serde_json::Value {
    match o {
        Outcome::One(r) => report_json(r, lang),
        Outcome::Region { region, vpcs } => json!({
            "region": region,
            "vpcs": vpcs.iter().map(|r| report_json(r, lang)).collect::<Vec<_>>(),
        }),
    }
}
