//! Links to the AWS console pages a user would open to look at a resource by hand.

fn base(region: &str) -> String {
    format!("https://{region}.console.aws.amazon.com")
}

pub fn vpc(region: &str, fragment: &str) -> String {
    format!(
        "{}/vpcconsole/home?region={region}#{fragment}",
        base(region)
    )
}

pub fn ec2(region: &str, fragment: &str) -> String {
    format!("{}/ec2/home?region={region}#{fragment}", base(region))
}

pub fn service(region: &str, service: &str, fragment: &str) -> String {
    format!("{}/{service}/home?region={region}#{fragment}", base(region))
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_point_at_the_right_console() {
        assert_eq!(
            super::vpc("ap-northeast-2", "VpcDetails:VpcId=vpc-1"),
            "https://ap-northeast-2.console.aws.amazon.com/vpcconsole/home?region=ap-northeast-2#VpcDetails:VpcId=vpc-1"
        );
    }
}
