//! An Elastic IP for a NAT gateway.

use super::tags;
use crate::aws::aws;
use crate::engine::charge::{Charge, Role};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
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
    /// hawiz allocates addresses for its NAT gateways only.
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::PublicIpv4 {
            holder: Role::Nat,
            count: 1,
        }]
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_addresses()
            .set_filters(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeAddresses"))?;
        Ok(Found::tagged(
            out.addresses()
                .iter()
                .filter(|a| tags::ec2_ours(cx, a.tags()))
                .filter_map(|a| a.allocation_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .allocate_address()
            .domain(DomainType::Vpc)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::ElasticIp))
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

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        let out = cx
            .ec2()
            .describe_addresses()
            .filters(tags::ec2_stack_filter(&cx.stack))
            .send()
            .await
            .map_err(aws("DescribeAddresses"))?;
        Ok(out
            .addresses()
            .iter()
            .filter_map(|a| tags::ec2_swept(&cx.stack, a.allocation_id(), a.tags()))
            .collect())
    }
}
