//! The latest Amazon Linux 2023 image, from the public SSM parameter AWS keeps current.

use super::{AwsError, Clients, aws};

/// Graviton instance families (t4g, m7g, c6gn...) need the arm64 image.
pub fn is_arm(instance_type: &str) -> bool {
    let family = instance_type.split('.').next().unwrap_or_default();
    let rest = family.trim_start_matches(|c: char| c.is_ascii_lowercase());
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.contains('g')
}

pub fn parameter(instance_type: &str) -> String {
    let arch = if is_arm(instance_type) {
        "arm64"
    } else {
        "x86_64"
    };
    format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}")
}

pub async fn latest_amazon_linux(
    clients: &Clients,
    instance_type: &str,
) -> Result<String, AwsError> {
    let name = parameter(instance_type);
    let out = clients
        .ssm
        .get_parameter()
        .name(&name)
        .send()
        .await
        .map_err(aws("GetParameter"))?;
    out.parameter()
        .and_then(|p| p.value())
        .map(str::to_string)
        .ok_or_else(|| AwsError::new("GetParameter", format!("{name} has no value")))
}

/// The root volume size hawiz asks for: the image's own, and never under 8 GiB (what the
/// cost estimate counts). Asked for explicitly because the root volume is encrypted,
/// and a block device mapping that changes a setting must say its size.
pub const MIN_ROOT_GIB: i32 = 8;

pub async fn root_gib(clients: &Clients, image: &str) -> i32 {
    let out = clients
        .ec2
        .describe_images()
        .image_ids(image)
        .send()
        .await
        .map_err(aws("DescribeImages"));
    let size = out.ok().and_then(|o| {
        let img = o.images().first()?.clone();
        let root = img.root_device_name()?.to_string();
        img.block_device_mappings()
            .iter()
            .find(|b| b.device_name() == Some(root.as_str()))
            .and_then(|b| b.ebs())
            .and_then(|e| e.volume_size())
    });
    size.unwrap_or(MIN_ROOT_GIB).max(MIN_ROOT_GIB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graviton_types_get_the_arm_image() {
        assert!(is_arm("t4g.micro"));
        assert!(is_arm("m7gd.large"));
        assert!(is_arm("c6gn.xlarge"));
        assert!(!is_arm("t3.micro"));
        assert!(!is_arm("g4dn.xlarge"));
        assert!(!is_arm("m6i.large"));
        assert!(parameter("t3.micro").ends_with("x86_64"));
    }
}
