//! The stack's alert topic and the user's email subscription to it. AWS mails a
//! confirmation link first: until the user clicks it, no alert arrives.

use super::tags;
use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::Fact;
use crate::engine::settings::{Actual, Setting};
use crate::engine::{Ctx, Error, Found, Outputs, Proof, Resource, Swept};
use async_trait::async_trait;
use std::time::Duration;

#[derive(Debug)]
pub struct Topic {
    pub name: String,
}

/// Every topic ARN of the account and region (paged).
async fn topic_arns(cx: &Ctx) -> Result<Vec<String>, Error> {
    let mut arns = Vec::new();
    let mut token = None;
    loop {
        let out = cx
            .aws
            .sns
            .list_topics()
            .set_next_token(token)
            .send()
            .await
            .map_err(aws("ListTopics"))?;
        arns.extend(
            out.topics()
                .iter()
                .filter_map(|t| t.topic_arn().map(str::to_string)),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(arns);
        }
    }
}

fn topic_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

async fn tags_of(cx: &Ctx, arn: &str) -> Result<tags::Read, Error> {
    let out = cx
        .aws
        .sns
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(aws("ListTagsForResource"))?;
    Ok(tags::Read::from_pairs(
        out.tags().iter().map(|t| (t.key(), t.value())),
    ))
}

#[async_trait]
impl Resource for Topic {
    fn kind(&self) -> &'static str {
        "sns-topic"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::service(
            region,
            "sns/v3",
            &format!("/topic/{id}"),
        ))
    }

    /// CreateTopic answers with an existing topic of the same name instead of failing, so
    /// a stranger's topic must be caught here, before create.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let Some(arn) = topic_arns(cx)
            .await?
            .into_iter()
            .find(|a| topic_name(a) == self.name)
        else {
            return Ok(Found::none());
        };
        let t = tags_of(cx, &arn).await?;
        Ok(if tags::is_ours(cx, t.pairs()) {
            Found::tagged(vec![arn])
        } else {
            Found {
                ours: vec![],
                foreign: vec![crate::engine::foreign(
                    cx,
                    "SNS topic",
                    &self.name,
                    "stack.name",
                )],
            }
        })
    }

    /// The topic's ARN is its ID: alarms name it as their action.
    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let mut call = cx.aws.once.sns.create_topic().name(&self.name);
        for (k, v) in tags::pairs(cx) {
            call = call.tags(
                aws_sdk_sns::types::Tag::builder()
                    .key(k)
                    .value(v)
                    .build()
                    .map_err(|e| Error::Failed(e.to_string()))?,
            );
        }
        let out = call.send().await.map_err(aws("CreateTopic"))?;
        out.topic_arn()
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateTopic returned no topic ARN".into()))
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.aws
            .sns
            .delete_topic()
            .topic_arn(id)
            .send()
            .await
            .map_err(aws("DeleteTopic"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let prefix = format!("{}-", cx.stack);
        let mut swept = Vec::new();
        for arn in topic_arns(cx).await? {
            if topic_name(&arn).starts_with(&prefix) {
                let t = tags_of(cx, &arn).await?;
                swept.extend(tags::swept(&cx.stack, Some(&arn), t.pairs()));
            }
        }
        Ok(swept)
    }
}

/// The user's email on the topic.
#[derive(Debug)]
pub struct EmailSubscription {
    pub email: String,
    pub topic: String,
}

/// What SNS lists for a subscription nobody confirmed yet, in place of its ARN.
const PENDING: &str = "PendingConfirmation";

impl EmailSubscription {
    async fn listed(&self, cx: &Ctx) -> Result<Option<String>, Error> {
        let Some(topic) = cx.dep_opt(&self.topic) else {
            return Ok(None);
        };
        let out = cx
            .aws
            .sns
            .list_subscriptions_by_topic()
            .topic_arn(topic)
            .send()
            .await
            .map_err(aws("ListSubscriptionsByTopic"))?;
        Ok(out
            .subscriptions()
            .iter()
            .find(|s| {
                s.protocol() == Some("email")
                    && s.endpoint()
                        .is_some_and(|e| e.eq_ignore_ascii_case(&self.email))
            })
            .map(|s| s.subscription_arn().unwrap_or(PENDING).to_string()))
    }
}

#[async_trait]
impl Resource for EmailSubscription {
    fn kind(&self) -> &'static str {
        "sns-subscription"
    }
    fn name(&self) -> &str {
        &self.email
    }
    fn facts(&self, ready: &crate::engine::Dep) -> Vec<Fact> {
        vec![Fact::Alerts {
            email: self.email.trim().to_string(),
            status: ready.outputs.get("status").cloned(),
        }]
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::EmailAlerts]
    }
    fn deps(&self) -> Vec<String> {
        vec![self.topic.clone()]
    }
    fn typical(&self) -> Duration {
        Duration::from_secs(1)
    }

    /// On our topic, for this address: ours. While unconfirmed SNS hides its ARN, so the
    /// one recorded at creation stands for it.
    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let id = match self.listed(cx).await? {
            None => return Ok(Found::none()),
            Some(arn) if arn != PENDING => arn,
            Some(_) => cx
                .recorded
                .as_ref()
                .and_then(|r| r.id.clone())
                .unwrap_or_else(|| format!("{PENDING}:{}", self.email)),
        };
        Ok(Found::with(vec![id], Proof::Parent))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .aws
            .once
            .sns
            .subscribe()
            .topic_arn(cx.dep(&self.topic)?)
            .protocol("email")
            .endpoint(&self.email)
            .return_subscription_arn(true)
            .send()
            .await
            .map_err(aws("Subscribe"))?;
        cx.warn(
            format!(
                "AWS mailed a confirmation link to {}: alerts arrive only after you click it \
                 (look in the spam folder too)",
                self.email
            ),
            format!(
                "AWS가 {} 확인 링크를 보냈습니다. 링크를 눌러야 알림이 옵니다(스팸 \
                 폴더도 확인하세요)",
                crate::i18n::korean::with(&self.email, crate::i18n::korean::Josa::EuroRo)
            ),
        );
        Ok(out
            .subscription_arn()
            .map_or_else(|| format!("{PENDING}:{}", self.email), str::to_string))
    }

    /// A new address is a new subscription.
    fn desired(&self, _cx: &Ctx) -> Vec<Setting> {
        vec![Setting::replace(
            "email",
            self.email.as_str(),
            "a subscription's address cannot be changed",
        )]
    }

    async fn read(&self, cx: &Ctx, _id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if self.listed(cx).await?.is_some() {
            a.insert("email", self.email.as_str().into());
        }
        Ok(a)
    }

    async fn outputs(&self, cx: &Ctx, _id: &str) -> Result<Outputs, Error> {
        let status = match self.listed(cx).await? {
            Some(arn) if arn == PENDING => "waiting for you to confirm the mail",
            Some(_) => "confirmed",
            None => "missing",
        };
        Ok([("status".to_string(), status.to_string())].into())
    }

    /// An unconfirmed subscription cannot be unsubscribed; it goes with its topic (and
    /// AWS drops it after three days anyway).
    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        if !id.starts_with("arn:") {
            return Ok(());
        }
        let out = cx
            .aws
            .sns
            .unsubscribe()
            .subscription_arn(id)
            .send()
            .await
            .map_err(aws("Unsubscribe"));
        match out {
            // Gone already, or still pending (SNS refuses those; the topic takes them along).
            Err(e)
                if matches!(
                    e.code.as_deref(),
                    Some("NotFound" | "InvalidParameter" | "ResourceNotFound")
                ) || e.message.contains("not found") =>
            {
                Ok(())
            }
            other => other.map(|_| ()).map_err(Error::from),
        }
    }
}
