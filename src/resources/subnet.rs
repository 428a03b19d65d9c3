//! A subnet in one AZ. Public subnets give instances a public IP on launch (the bastion
//! and NAT need one); private subnets never do.

use crate::aws::{aws, ec2};
use crate::engine::wait::{self, Poll};
use crate::engine::{Ctx, Error, Resource};
use async_trait::async_trait;
use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType, SubnetState};
use std::time::Duration;

#[derive(Debug)]
pub struct Subnet {
    pub name: String,
    pub vpc: String,
    pub cidr: String,
    pub az: String,
    pub public: bool,
}

#[async_trait]
impl Resource for Subnet {
    fn kind(&self) -> &'static str {
        "subnet"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn deps(&self) -> Vec<String> {
        vec![self.vpc.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Vec<String>, Error> {
        let out = cx
            .ec2()
            .describe_subnets()
            .set_filters(Some(ec2::tag_filters(cx)))
            .send()
            .await
            .map_err(aws("DescribeSubnets"))?;
        Ok(out
            .subnets()
            .iter()
            .filter(|s| ec2::is_ours(cx, s.tags()))
            .filter_map(|s| s.subnet_id().map(str::to_string))
            .collect())
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let out = cx
            .ec2_once()
            .create_subnet()
            .vpc_id(cx.dep(&self.vpc)?)
            .cidr_block(&self.cidr)
            .availability_zone(&self.az)
            .tag_specifications(ec2::tag_spec(cx, ResourceType::Subnet))
            .send()
            .await
            .map_err(aws("CreateSubnet"))?;
        out.subnet()
            .and_then(|s| s.subnet_id())
            .map(str::to_string)
            .ok_or_else(|| Error::Failed("CreateSubnet returned no subnet ID".into()))
    }

    async fn settle(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        let maps_public = std::sync::atomic::AtomicBool::new(false);
        wait::until(
            &format!("subnet {id} to become available"),
            Duration::from_secs(300),
            || async {
                let out = cx
                    .ec2()
                    .describe_subnets()
                    .subnet_ids(id)
                    .send()
                    .await
                    .map_err(aws("DescribeSubnets"))?;
                let s = out.subnets().first();
                let public_ip = s.and_then(|s| s.map_public_ip_on_launch()).unwrap_or(false);
                maps_public.store(public_ip, std::sync::atomic::Ordering::Relaxed);
                let available = s.and_then(|s| s.state()) == Some(&SubnetState::Available);
                Ok(if available {
                    Poll::Ready
                } else {
                    Poll::Pending
                })
            },
        )
        .await?;
        if self.public && !maps_public.load(std::sync::atomic::Ordering::Relaxed) {
            cx.ec2_once()
                .modify_subnet_attribute()
                .subnet_id(id)
                .map_public_ip_on_launch(AttributeBooleanValue::builder().value(true).build())
                .send()
                .await
                .map_err(aws("ModifySubnetAttribute"))?;
        }
        Ok(())
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_subnet()
            .subnet_id(id)
            .send()
            .await
            .map_err(aws("DeleteSubnet"))?;
        Ok(())
    }
}
