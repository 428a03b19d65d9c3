//! An Elastic IP for a NAT gateway.

use crate::aws::{aws, ec2};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::{DomainType, ResourceType};

#[derive(Debug)]
pub struct ElasticIp {
    pub name: String,
}

#[async_trait]
impl Resource for ElasticIp {
    fn kind(&self) -> &'static str {
        "elastic-ip"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_addresses()
            .set_filters(Some(ec2::tag_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeAddresses"))?;
        Ok(out
            .addresses()
            .iter()
            .filter(|a| ec2::is_ours(cx, a.tags()))
            .filter_map(|a| a.allocation_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .allocate_address()
            .domain(DomainType::Vpc)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::ElasticIp))
            .send()
            .await
            .map_err(aws("AllocateAddress"))?;
        out.allocation_id()
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("AllocateAddress returned no allocation ID".into()))
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .release_address()
            .allocation_id(id)
            .send()
            .await
            .map_err(aws("ReleaseAddress"))?;
        Ok(())
    }
}
