//! A NAT gateway in a public subnet: outbound internet for the private subnets. Takes a
//! minute or two to become available and about as long to delete.

use super::tags;
use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::settings::{Actual, Setting};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
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

/// A gateway that is there or on its way (deleted and failed ones stay listed a while).
fn live(g: &aws_sdk_ec2::types::NatGateway) -> bool {
    matches!(
        g.state(),
        Some(NatGatewayState::Pending | NatGatewayState::Available)
    )
}

async fn describe(cx: &Ctx, id: &str) -> Result<Option<aws_sdk_ec2::types::NatGateway>, Error> {
    let out = cx
        .ec2()
        .describe_nat_gateways()
        .nat_gateway_ids(id)
        .send()
        .await
        .map_err(aws("DescribeNatGateways"))?;
    Ok(out.nat_gateways().first().cloned())
}

async fn state(cx: &Ctx, id: &str) -> Result<(Option<NatGatewayState>, String), Error> {
    let g = describe(cx, id).await?;
    let g = g.as_ref();
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
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::NatGateway]
    }
    fn deps(&self) -> Vec<String> {
        let mut d = vec![self.subnet.clone(), self.eip.clone()];
        d.extend(self.after.iter().cloned());
        d
    }

    fn typical(&self) -> Duration {
        Duration::from_secs(120)
    }
    fn console(&self, id: &str, region: &str) -> Option<String> {
        Some(super::console::vpc(
            region,
            &format!("NatGatewayDetails:natGatewayId={id}"),
        ))
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let out = cx
            .ec2()
            .describe_nat_gateways()
            .set_filter(Some(tags::ec2_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeNatGateways"))?;
        Ok(Found::tagged(
            out.nat_gateways()
                .iter()
                .filter(|g| tags::ec2_ours(cx, g.tags()) && live(g))
                .filter_map(|g| g.nat_gateway_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_nat_gateway()
            .subnet_id(cx.dep(&self.subnet)?)
            .allocation_id(cx.dep(&self.eip)?)
            .client_token(&cx.token)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::Natgateway))
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

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        const WHY: &str = "a NAT gateway cannot move to another subnet or address";
        vec![
            Setting::replace("subnet", cx.dep_or_new(&self.subnet), WHY),
            Setting::replace("elastic IP", cx.dep_or_new(&self.eip), WHY),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(g) = describe(cx, id).await? {
            a.insert("subnet", g.subnet_id().unwrap_or_default().into());
            let eip = g
                .nat_gateway_addresses()
                .iter()
                .find_map(|x| x.allocation_id())
                .unwrap_or_default();
            a.insert("elastic IP", eip.into());
        }
        Ok(a)
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

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        // moto ignores tag filters on this call; the tags are checked here all the same.
        let mut pages = cx
            .ec2()
            .describe_nat_gateways()
            .filter(tags::ec2_stack_filter(&cx.stack))
            .into_paginator()
            .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(aws("DescribeNatGateways"))?;
            out.extend(
                page.nat_gateways()
                    .iter()
                    .filter(|g| live(g))
                    .filter_map(|g| tags::ec2_swept(&cx.stack, g.nat_gateway_id(), g.tags())),
            );
        }
        Ok(out)
    }
}
