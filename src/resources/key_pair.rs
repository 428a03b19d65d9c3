//! The SSH key pair: created by hawiz (private key written 0600 next to the stack state,
//! never anywhere else) or an existing one the user names. A key pair is never replaced
//! or deleted while an instance uses it.

use super::tags;
use crate::aws::aws;
use crate::aws::ec2::filter;
use crate::engine::{Ctx, Error, Found, Proof, Resource, Swept};
use crate::plan::Finding;
use async_trait::async_trait;
use aws_sdk_ec2::types::{KeyType, ResourceType};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug)]
pub struct KeyPair {
    /// The key pair's name in EC2 (also its node ID).
    pub name: String,
    /// Where the private key of a created pair lives.
    pub pem: PathBuf,
    /// The user's own key pair: used, never created or deleted.
    pub existing: bool,
}

/// Instances that are (or are about to be) running with this key.
pub async fn users(cx: &Ctx, name: &str) -> Result<Vec<String>, Error> {
    let out = cx
        .ec2()
        .describe_instances()
        .filters(filter("key-name", name))
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("instance-state-name")
                .values("pending")
                .values("running")
                .values("stopping")
                .values("stopped")
                .build(),
        )
        .send()
        .await
        .map_err(aws("DescribeInstances"))?;
    Ok(out
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| i.key_name() == Some(name))
        .filter(|i| {
            i.state()
                .and_then(|s| s.name())
                .is_some_and(|n| !matches!(n.as_str(), "shutting-down" | "terminated"))
        })
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect())
}

impl KeyPair {
    async fn create_and_save(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_key_pair()
            .key_name(&self.name)
            .key_type(KeyType::Ed25519)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::KeyPair))
            .send()
            .await
            .map_err(aws("CreateKeyPair"))?;
        let material = out.key_material().unwrap_or_default();
        if let Err(e) = save(&self.pem, material) {
            // A key nobody holds is useless: remove it so the next run makes a new one.
            let _ = cx.ec2().delete_key_pair().key_name(&self.name).send().await;
            return Err(Error::Failed(format!(
                "cannot save the private key to {}: {e}",
                self.pem.display()
            )));
        }
        Ok(self.name.clone())
    }

    fn in_the_way(&self) -> Finding {
        let name = &self.name;
        Finding {
            field: "bastion.key_name".into(),
            message: format!(
                "a key pair named {name} already exists in this account and is not part of this \
                 stack; hawiz will not replace or delete it. To use it as your own, put its name \
                 in the bastion's key pair answer (you need its private key); otherwise choose \
                 another stack name"
            ),
            ko: format!(
                "이 계정에 이름이 {name}인 키 페어가 이미 있고 이 스택의 것이 아닙니다. hawiz는 \
                 이것을 바꾸거나 지우지 않습니다. 직접 쓰려면 배스천의 키 페어 답에 그 이름을 넣으세요 \
                 (프라이빗 키가 있어야 합니다). 아니면 다른 스택 이름을 고르세요"
            ),
        }
    }
}

fn save(path: &std::path::Path, material: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::state::create_private_dir(dir)?;
    }
    let mut f = crate::state::open_private(path)?;
    f.write_all(material.as_bytes())?;
    if !material.ends_with('\n') {
        f.write_all(b"\n")?;
    }
    f.sync_all()
}

#[async_trait]
impl Resource for KeyPair {
    fn kind(&self) -> &'static str {
        "key-pair"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn adopted(&self) -> bool {
        self.existing
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::ec2(
            region,
            &format!("KeyPairs:search={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_key_pairs()
            .key_names(&self.name)
            .send()
            .await
            .map_err(aws("DescribeKeyPairs"));
        let out = match out {
            Ok(o) => o,
            Err(e) if e.is_not_found() => return Ok(Found::none()),
            Err(e) => return Err(e.into()),
        };
        let mut found = Found::none();
        for k in out.key_pairs() {
            let Some(name) = k.key_name() else { continue };
            if self.existing {
                found.ours.push(crate::engine::Match {
                    id: name.to_string(),
                    proof: Proof::Yours,
                });
            } else if tags::ec2_ours(cx, k.tags()) {
                found.ours.push(crate::engine::Match {
                    id: name.to_string(),
                    proof: Proof::Tagged,
                });
            } else {
                found.foreign.push(self.in_the_way());
            }
        }
        Ok(found)
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        self.create_and_save(cx).await
    }

    /// A pair whose private key is not here (another machine built the stack, or hawiz
    /// stopped between creating the pair and saving its key) is replaced only while no
    /// instance uses it; otherwise it is kept and the user is told what to do.
    async fn settle(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        if self.existing || self.pem.exists() {
            return Ok(());
        }
        let users = users(cx, &self.name).await?;
        if !users.is_empty() {
            cx.warn(
                format!(
                    "the private key of key pair {} is not on this machine (expected at {}); \
                     {} use it, so hawiz keeps it. Copy that file from the machine that built \
                     the stack (mode 0600), or reach the app instances meanwhile with Session \
                     Manager: aws ssm start-session --target <instance id>",
                    self.name,
                    self.pem.display(),
                    users.join(", ")
                ),
                format!(
                    "키 페어 {}의 프라이빗 키가 이 컴퓨터에 없습니다({}에 있어야 합니다). {}에서 \
                     쓰고 있어 hawiz가 남겨 둡니다. 스택을 만든 컴퓨터에서 그 파일을 복사하거나\
                     (모드 0600), 그동안은 Session Manager로 앱 인스턴스에 접속하세요: aws ssm \
                     start-session --target <인스턴스 ID>",
                    self.name,
                    self.pem.display(),
                    users.join(", ")
                ),
            );
            return Ok(());
        }
        cx.ec2()
            .delete_key_pair()
            .key_name(&self.name)
            .send()
            .await
            .map_err(aws("DeleteKeyPair"))?;
        self.create_and_save(cx).await.map(|_| ())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let users = users(cx, id).await?;
        if !users.is_empty() {
            return Err(Error::Failed(format!(
                "key pair {id} is still used by {}; hawiz does not delete a key pair an instance \
                 uses",
                users.join(", ")
            )));
        }
        cx.ec2()
            .delete_key_pair()
            .key_name(id)
            .send()
            .await
            .map_err(aws("DeleteKeyPair"))?;
        match std::fs::remove_file(&self.pem) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Failed(format!(
                "deleted key pair {id}, but cannot remove {}: {e}",
                self.pem.display()
            ))),
            _ => Ok(()),
        }
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let out = cx
            .ec2()
            .describe_key_pairs()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .send()
            .await
            .map_err(aws("DescribeKeyPairs"))?;
        Ok(out
            .key_pairs()
            .iter()
            .filter_map(|k| tags::ec2_swept(&cx.stack, k.key_name(), k.tags()))
            .collect())
    }
}
