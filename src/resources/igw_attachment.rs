//! The Internet gateway's attachment to the VPC. Attachments carry no tags: the one of our
//! own gateway is ours, found by reading the gateway's attachments.

use crate::aws::aws;
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::AttachmentStatus;

#[derive(Debug)]
pub struct IgwAttachment {
    pub name: String,
    pub igw: String,
    pub vpc: String,
}

#[async_trait]
impl Resource for IgwAttachment {
    fn kind(&self) -> &'static str {
        "igw-attachment"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.igw.clone(), self.vpc.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let (Some(igw), Some(vpc)) = (cx.dep_opt(&self.igw), cx.dep_opt(&self.vpc)) else {
            return Ok(Found::none());
        };
        let out = cx
            .ec2()
            .describe_internet_gateways()
            .internet_gateway_ids(igw)
            .send()
            .await
            .map_err(aws("DescribeInternetGateways"))?;
        let attached = out.internet_gateways().iter().flat_map(|g| g.attachments()).any(|a| {
            a.vpc_id() == Some(vpc)
                // AWS reports an attached IGW as "available", which the SDK enum lacks.
                && matches!(a.state().map(AttachmentStatus::as_str), Some("available" | "attached" | "attaching"))
        });
        Ok(if attached {
            Found::with(vec![format!("{igw}/{vpc}")], Proof::Parent)
        } else {
            Found::none()
        })
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let (igw, vpc) = (cx.dep(&self.igw)?, cx.dep(&self.vpc)?);
        cx.ec2_once()
            .attach_internet_gateway()
            .internet_gateway_id(igw)
            .vpc_id(vpc)
            .send()
            .await
            .map_err(aws("AttachInternetGateway"))?;
        Ok(format!("{igw}/{vpc}"))
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        // The attachment's ID names both ends (`igw-…/vpc-…`): detach exactly those, even
        // when a phase of the run holds only one of them.
        let (Some(igw), Some(vpc)) = id
            .split_once('/')
            .map_or((cx.dep_opt(&self.igw), cx.dep_opt(&self.vpc)), |(i, v)| {
                (Some(i), Some(v))
            })
        else {
            return Ok(());
        };
        cx.ec2()
            .detach_internet_gateway()
            .internet_gateway_id(igw)
            .vpc_id(vpc)
            .send()
            .await
            .map_err(aws("DetachInternetGateway"))?;
        Ok(())
    }
}
