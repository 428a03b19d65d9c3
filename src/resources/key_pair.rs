//! The bastion's SSH key pair: created by hawiz (private key written 0600 next to the stack
//! state, never anywhere else) or an existing one the user names.

use crate::aws::{aws, ec2};
use crate::engine::{Ctx, Error, Resource};
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

impl KeyPair {
    async fn create_and_save(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_key_pair()
            .key_name(&self.name)
            .key_type(KeyType::Ed25519)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::KeyPair))
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

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_key_pairs()
            .key_names(&self.name)
            .send()
            .await
            .map_err(aws("DescribeKeyPairs"));
        let out = match out {
            Ok(o) => o,
            Err(e) if e.is_not_found() => return Ok(vec![]),
            Err(e) => return Err(e.into()),
        };
        Ok(out
            .key_pairs()
            .iter()
            .filter(|k| self.existing || ec2::is_ours(cx, k.tags()))
            .filter_map(|k| k.key_name().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        self.create_and_save(cx).await
    }

    /// If hawiz stopped between creating the pair and saving its private key, the pair is
    /// unusable: replace it (the bastion is launched only after this node is ready).
    async fn settle(&self, cx: &Ctx, _id: &str) -> Result<(), Error> {
        if self.existing || self.pem.exists() {
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
}
