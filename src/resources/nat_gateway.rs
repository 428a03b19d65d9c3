//! A NAT gateway in a public subnet: outbound internet for the private subnets. Takes a
//! minute or two to become available and about as long to delete.

use crate::aws::{aws, ec2};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::{NatGatewayState, ResourceType};
use std::time::Duration;

#[derive(Debug)]
pub struct NatGateway {
    pub name: String,
    pub subnet: String,
    pub eip: String,
    /// A public NAT gateway fails unless the VPC has its Internet gateway attached.
    pub after: Vec<String>,
}

const LIMIT: Duration = Duration::from_secs(15 * 60);

async fn state(cx: &Ctx, id: &str) -> Result<(Option<NatGatewayState>, String), Error> {
    let out = cx
        .ec2()
        .describe_nat_gateways()
        .nat_gateway_ids(id)
        .send()
        .await
        .map_err(aws("DescribeNatGateways"))?;
    let g = out.nat_gateways().first();
    Ok((
        g.and_then(|g| g.state()).cloned(),
        g.and_then(|g| g.failure_message())
            .unwrap_or_default()
            .to_string(),
    ))
}

#[async_trait]
impl Resource for NatGateway {
    fn kind(&self) -> &'static str {
        "nat-gateway"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.subnet.clone(), self.eip.clone()];
        d.extend(self.after.iter().cloned());
        d
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_nat_gateways()
            .set_filter(Some(ec2::tag_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeNatGateways"))?;
        // Deleted and failed gateways stay visible for a while; they are not "ours" any more.
        Ok(out
            .nat_gateways()
            .iter()
            .filter(|g| ec2::is_ours(cx, g.tags()))
            .filter(|g| {
                matches!(
                    g.state(),
                    Some(NatGatewayState::Pending | NatGatewayState::Available)
                )
            })
            .filter_map(|g| g.nat_gateway_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_nat_gateway()
            .subnet_id(cx.dep(&self.subnet)?)
            .allocation_id(cx.dep(&self.eip)?)
            .client_token(&cx.token)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::Natgateway))
            .send()
            .await
            .map_err(aws("CreateNatGateway"))?;
        out.nat_gateway()
            .and_then(|g| g.nat_gateway_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateNatGateway returned no ID".into()))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("NAT gateway {id} to become available"),
            LIMIT,
            || async {
                match state(cx, id).await? {
                    (Some(NatGatewayState::Available), _) => Ok(Poll::Ready),
                    (Some(NatGatewayState::Failed), why) => Err(Error::Failed(format!(
                        "NAT gateway {id} failed: {why} (the next apply creates a new one)"
                    ))),
                    _ => Ok(Poll::Pending),
                }
            },
        )
        .await
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_nat_gateway()
            .nat_gateway_id(id)
            .send()
            .await
            .map_err(aws("DeleteNatGateway"))?;
        Ok(())
    }

    /// Its Elastic IP and subnet stay in use until the gateway is fully deleted.
    async fn wait_deleted(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        wait::until(
            &format!("NAT gateway {id} to be deleted"),
            LIMIT,
            || async {
                Ok(match state(cx, id).await? {
                    (None | Some(NatGatewayState::Deleted), _) => Poll::Ready,
                    _ => Poll::Pending,
                })
            },
        )
        .await
    }
}
