//! A student's network built by hand, as the lab has them build it before hawiz adopts
//! it, and an unrelated VPC of the same account beside it.

use super::REGION;
use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};

pub struct Lab {
    pub vpc: String,
    /// In AZ a then c.
    pub public: Vec<Subnet>,
    pub private: Vec<Subnet>,
    /// The private subnets' route tables and their NAT gateways, by AZ.
    pub private_rt: Vec<String>,
    pub nat: Vec<String>,
}

pub struct Subnet {
    /// Its Name tag.
    pub name: String,
    pub id: String,
}

pub fn named(kind: ResourceType, name: &str) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(kind)
        .tags(Tag::builder().key("Name").value(name).build())
        .build()
}

/// A VPC with an Internet gateway attached, made by hand; `tags` tags each by its kind
/// and role (`vpc`, `igw`). Returns (VPC, gateway).
pub async fn vpc_with_gateway(
    ec2: &aws_sdk_ec2::Client,
    cidr: &str,
    tags: impl Fn(ResourceType, &str) -> TagSpecification,
) -> (String, String) {
    let vpc = ec2
        .create_vpc()
        .cidr_block(cidr)
        .tag_specifications(tags(ResourceType::Vpc, "vpc"))
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let igw = ec2
        .create_internet_gateway()
        .tag_specifications(tags(ResourceType::InternetGateway, "igw"))
        .send()
        .await
        .unwrap();
    let igw = igw
        .internet_gateway()
        .unwrap()
        .internet_gateway_id()
        .unwrap()
        .to_string();
    ec2.attach_internet_gateway()
        .internet_gateway_id(&igw)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    (vpc, igw)
}

/// A student's network, made by hand with plain SDK calls (Name tags, no hawiz tags):
/// an Internet gateway, two public subnets routed to it, two private subnets routed to a
/// NAT gateway each, in two AZs.
pub async fn lab_by_hand(ec2: &aws_sdk_ec2::Client) -> Lab {
    let (vpc, igw) = vpc_with_gateway(ec2, "10.20.0.0/16", |kind, role| {
        named(kind, &format!("lab-{role}"))
    })
    .await;
    let table = |name: &'static str| {
        let vpc = vpc.clone();
        async move {
            let t = ec2
                .create_route_table()
                .vpc_id(vpc)
                .tag_specifications(named(ResourceType::RouteTable, name))
                .send()
                .await
                .unwrap();
            t.route_table()
                .unwrap()
                .route_table_id()
                .unwrap()
                .to_string()
        }
    };
    let public_rt = table("lab-public-rt").await;
    ec2.create_route()
        .route_table_id(&public_rt)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&igw)
        .send()
        .await
        .unwrap();
    let mut lab = Lab {
        vpc: vpc.clone(),
        public: vec![],
        private: vec![],
        private_rt: vec![],
        nat: vec![],
    };
    for (i, x) in ["a", "c"].into_iter().enumerate() {
        let subnet = |name: String, cidr: String| {
            let vpc = vpc.clone();
            async move {
                let s = ec2
                    .create_subnet()
                    .vpc_id(vpc)
                    .cidr_block(cidr)
                    .availability_zone(format!("{REGION}{x}"))
                    .tag_specifications(named(ResourceType::Subnet, &name))
                    .send()
                    .await
                    .unwrap();
                Subnet {
                    name,
                    id: s.subnet().unwrap().subnet_id().unwrap().to_string(),
                }
            }
        };
        let public = subnet(format!("lab-public-{x}"), format!("10.20.{i}.0/24")).await;
        ec2.associate_route_table()
            .route_table_id(&public_rt)
            .subnet_id(&public.id)
            .send()
            .await
            .unwrap();
        let eip = ec2
            .allocate_address()
            .domain(aws_sdk_ec2::types::DomainType::Vpc)
            .send()
            .await
            .unwrap();
        let nat = ec2
            .create_nat_gateway()
            .subnet_id(&public.id)
            .allocation_id(eip.allocation_id().unwrap())
            .send()
            .await
            .unwrap();
        let nat = nat
            .nat_gateway()
            .unwrap()
            .nat_gateway_id()
            .unwrap()
            .to_string();
        let private = subnet(format!("lab-private-{x}"), format!("10.20.{}.0/24", 10 + i)).await;
        let private_rt = table(if i == 0 {
            "lab-private-rt-a"
        } else {
            "lab-private-rt-c"
        })
        .await;
        ec2.create_route()
            .route_table_id(&private_rt)
            .destination_cidr_block("0.0.0.0/0")
            .nat_gateway_id(&nat)
            .send()
            .await
            .unwrap();
        ec2.associate_route_table()
            .route_table_id(&private_rt)
            .subnet_id(&private.id)
            .send()
            .await
            .unwrap();
        lab.public.push(public);
        lab.private.push(private);
        lab.private_rt.push(private_rt);
        lab.nat.push(nat);
    }
    lab
}

/// An unrelated VPC of the same account, with a subnet of its own.
pub async fn other_vpc(ec2: &aws_sdk_ec2::Client) {
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.99.0.0/16")
        .tag_specifications(named(ResourceType::Vpc, "other-vpc"))
        .send()
        .await
        .unwrap();
    ec2.create_subnet()
        .vpc_id(vpc.vpc().unwrap().vpc_id().unwrap())
        .cidr_block("10.99.1.0/24")
        .availability_zone(format!("{REGION}a"))
        .tag_specifications(named(ResourceType::Subnet, "other-subnet"))
        .send()
        .await
        .unwrap();
}
