//! A VPC or subnet the user built by hand: looked up by ID, used as is, never created
//! and never deleted. The route-table checks that make it safe to use live in `adopt`.

use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::{Ctx, Error, Found, Proof, Resource};
use async_trait::async_trait;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Vpc,
    Subnet,
}

#[derive(Debug)]
pub struct Adopted {
    pub what: What,
    pub id: String,
}

#[async_trait]
impl Resource for Adopted {
    fn kind(&self) -> &'static str {
        match self.what {
            What::Vpc => "vpc",
            What::Subnet => "subnet",
        }
    }
    fn name(&self) -> &str {
        &self.id
    }
    fn charges(&self) -> Vec<Charge> {
        match self.what {
            What::Vpc => vec![Charge::AdoptedNetwork],
            What::Subnet => vec![],
        }
    }
    fn deps(&self) -> Vec<String> {
        vec![]
    }
    fn adopted(&self) -> bool {
        true
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        let exists = match self.what {
            What::Vpc => cx
                .ec2()
                .describe_vpcs()
                .vpc_ids(&self.id)
                .send()
                .await
                .map(|o| !o.vpcs().is_empty())
                .map_err(aws("DescribeVpcs")),
            What::Subnet => cx
                .ec2()
                .describe_subnets()
                .subnet_ids(&self.id)
                .send()
                .await
                .map(|o| !o.subnets().is_empty())
                .map_err(aws("DescribeSubnets")),
        };
        match exists {
            Ok(true) => Ok(Found::with(vec![self.id.clone()], Proof::Yours)),
            Ok(false) => Ok(Found::none()),
            Err(e) if e.is_not_found() => Ok(Found::none()),
            Err(e) => Err(e.into()),
        }
    }

    async fn create(&self, _cx: &Ctx) -> Result<String, Error> {
        Err(Error::Failed(format!(
            "{} {} is the user's own and does not exist; hawiz does not create adopted resources",
            self.kind(),
            self.id
        )))
    }

    async fn delete(&self, _cx: &Ctx, _id: &str) -> Result<(), Error> {
        Ok(()) // never: the engine skips adopted nodes, and this keeps it so
    }
}
