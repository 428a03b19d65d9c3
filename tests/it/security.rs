//! Secure and recoverable by default, read back from the emulator after an apply: the
//! WordPress install is finished at boot with a password only SSM holds, volumes are
//! encrypted, the database takes TLS only and is protected from deletion, the edges are
//! closed, every role carries the permissions boundary, the printed way in has every piece
//! it needs, and destroy keeps the data unless told not to.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use hawiz::aws::Clients;
use support::{Moto, stack_filter, stack_plan, tag};

async fn latest_template(
    aws: &Clients,
    stack: &str,
) -> aws_sdk_ec2::types::ResponseLaunchTemplateData {
    let lts = aws
        .ec2
        .describe_launch_templates()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap();
    let id = lts.launch_templates()[0].launch_template_id().unwrap();
    let v = aws
        .ec2
        .describe_launch_template_versions()
        .launch_template_id(id)
        .versions("$Latest")
        .send()
        .await
        .unwrap();
    v.launch_template_versions()[0]
        .launch_template_data()
        .unwrap()
        .clone()
}

async fn group_id(aws: &Clients, stack: &str, name: &str) -> String {
    aws.ec2
        .describe_security_groups()
        .filters(stack_filter(stack))
        .send()
        .await
        .unwrap()
        .security_groups()
        .iter()
        .find(|g| g.group_name() == Some(name))
        .unwrap()
        .group_id()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_built_stack_is_secure_by_default() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "safe", "");
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();

    // The site cannot be taken over: the install is finished at boot, with a password
    // that exists only as a SecureString; hawiz shows how to read it, never the value.
    let data = latest_template(&aws, "safe").await;
    let user_data = hawiz::userdata::decode(data.user_data().unwrap()).unwrap();
    assert!(user_data.contains("wp core install"), "{user_data}");
    assert!(user_data.contains("DISALLOW_FILE_EDIT"));
    let admin = aws
        .ssm
        .get_parameter()
        .name("/hawiz/safe/admin-password")
        .with_decryption(true)
        .send()
        .await
        .unwrap();
    let param = admin.parameter().unwrap();
    assert_eq!(param.r#type().map(|t| t.as_str()), Some("SecureString"));
    let password = param.value().unwrap();
    assert!(password.len() >= 32);
    for (what, text) in [
        ("user data", user_data.as_str()),
        ("output", run.stdout.as_str()),
        (
            "state",
            &std::fs::read_to_string(home.path().join("stacks/safe/state.json")).unwrap(),
        ),
    ] {
        assert!(
            !text.contains(password),
            "the admin password is in the {what}"
        );
    }
    assert!(
        run.stdout.contains(
            "Admin: safe-admin, password: aws ssm get-parameter --region ap-northeast-2 \
             --name /hawiz/safe/admin-password --with-decryption"
        ),
        "{}",
        run.stdout
    );
    let wp_db = aws
        .ssm
        .get_parameter()
        .name("/hawiz/safe/wp-db-password")
        .send()
        .await
        .unwrap();
    assert_eq!(
        wp_db.parameter().unwrap().r#type().map(|t| t.as_str()),
        Some("SecureString"),
        "WordPress's own database user's password"
    );

    // Volumes encrypted: the template's root volume and the bastion's.
    let root = &data.block_device_mappings()[0];
    assert_eq!(root.ebs().and_then(|e| e.encrypted()), Some(true));
    let instances = aws
        .ec2
        .describe_instances()
        .filters(stack_filter("safe"))
        .send()
        .await
        .unwrap();
    let bastion = instances
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .find(|i| tag(i.tags(), "Name") == Some("safe-bastion"))
        .unwrap()
        .clone();
    let volume = bastion.block_device_mappings()[0]
        .ebs()
        .unwrap()
        .volume_id()
        .unwrap()
        .to_string();
    let vols = aws
        .ec2
        .describe_volumes()
        .volume_ids(volume)
        .send()
        .await
        .unwrap();
    assert_eq!(vols.volumes()[0].encrypted(), Some(true));
    assert!(
        bastion.public_ip_address().is_some(),
        "the bastion asks for its address"
    );
    assert_eq!(
        bastion
            .metadata_options()
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str()),
        Some("required")
    );

    // The database: its own parameter group requires TLS; deletion protection is on.
    let db = aws
        .rds
        .describe_db_instances()
        .db_instance_identifier("safe-db")
        .send()
        .await
        .unwrap()
        .db_instances()[0]
        .clone();
    assert_eq!(db.deletion_protection(), Some(true));
    let group = db.db_parameter_groups()[0]
        .db_parameter_group_name()
        .unwrap();
    assert_eq!(group, "safe-db");
    let params = aws
        .rds
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .source("user")
        .send()
        .await
        .unwrap();
    let tls = params
        .parameters()
        .iter()
        .find(|p| p.parameter_name() == Some("require_secure_transport"))
        .and_then(|p| p.parameter_value());
    assert_eq!(tls, Some("1"));
    assert_eq!(db.publicly_accessible(), Some(false));
    assert_eq!(db.storage_encrypted(), Some(true));

    // The edges: the ALB drops invalid headers; EFS backs itself up; the VPC's default
    // group is empty; public subnets hand out no addresses by themselves.
    let lb = aws
        .elb
        .describe_load_balancers()
        .names("safe-alb")
        .send()
        .await
        .unwrap();
    let attrs = aws
        .elb
        .describe_load_balancer_attributes()
        .load_balancer_arn(lb.load_balancers()[0].load_balancer_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert!(attrs.attributes().iter().any(|a| a.key()
        == Some("routing.http.drop_invalid_header_fields.enabled")
        && a.value() == Some("true")));
    let fs = aws.efs.describe_file_systems().send().await.unwrap();
    let fs = fs
        .file_systems()
        .iter()
        .find(|f| f.name() == Some("safe-efs"))
        .unwrap();
    let backup = aws
        .efs
        .describe_backup_policy()
        .file_system_id(fs.file_system_id())
        .send()
        .await
        .unwrap();
    assert_eq!(backup.backup_policy().unwrap().status().as_str(), "ENABLED");
    let vpc = aws
        .ec2
        .describe_vpcs()
        .filters(stack_filter("safe"))
        .send()
        .await
        .unwrap()
        .vpcs()[0]
        .vpc_id()
        .unwrap()
        .to_string();
    let default = aws
        .ec2
        .describe_security_groups()
        .filters(support::ec2_filter("vpc-id", &vpc))
        .filters(support::ec2_filter("group-name", "default"))
        .send()
        .await
        .unwrap();
    let default = &default.security_groups()[0];
    assert!(default.ip_permissions().is_empty() && default.ip_permissions_egress().is_empty());
    let subnets = aws
        .ec2
        .describe_subnets()
        .filters(stack_filter("safe"))
        .send()
        .await
        .unwrap();
    assert!(
        subnets
            .subnets()
            .iter()
            .all(|s| s.map_public_ip_on_launch() == Some(false))
    );

    // Every role hawiz made carries the permissions boundary.
    let boundary = crate::support::iam::role_boundary(&aws, "hawiz-safe-ap-northeast-2-app").await;
    assert!(
        boundary.ends_with(":policy/hawiz/hawiz-safe-boundary"),
        "{boundary}"
    );

    // The printed way in works: `ssh -J` through the bastion needs the key on the app
    // instances' template, SSH from the bastion's group to the app's, and the agent key;
    // Session Manager needs the managed core policy on the instance role.
    let jump = run
        .stdout
        .lines()
        .find(|l| l.contains("ssh -J ec2-user@"))
        .unwrap();
    assert!(
        jump.contains(bastion.public_ip_address().unwrap()),
        "{jump}"
    );
    assert_eq!(data.key_name(), Some("safe-key"));
    assert_eq!(bastion.key_name(), Some("safe-key"));
    assert!(home.path().join("stacks/safe/safe-key.pem").exists());
    let app_sg = group_id(&aws, "safe", "safe-app").await;
    let bastion_sg = group_id(&aws, "safe", "safe-bastion").await;
    let app = aws
        .ec2
        .describe_security_groups()
        .group_ids(&app_sg)
        .send()
        .await
        .unwrap();
    assert!(app.security_groups()[0].ip_permissions().iter().any(|p| {
        p.from_port() == Some(22)
            && p.user_id_group_pairs()
                .iter()
                .any(|g| g.group_id() == Some(bastion_sg.as_str()))
    }));
    assert_eq!(data.security_group_ids(), std::slice::from_ref(&app_sg));
    let attached = aws
        .iam
        .list_attached_role_policies()
        .role_name("hawiz-safe-ap-northeast-2-app")
        .send()
        .await
        .unwrap();
    assert!(attached
        .attached_policies()
        .iter()
        .any(|p| p.policy_arn() == Some("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")));

    // Destroy keeps the data: a final snapshot, named after the stack and the date, listed
    // with what it costs to keep.
    let gone = moto.run(home.path(), &["destroy", "safe", "--yes"]).ok();
    assert!(
        gone.stdout
            .contains("note: database safe-db has deletion protection on; destroy turns it off"),
        "{}",
        gone.stdout
    );
    let kept = gone
        .stdout
        .lines()
        .find(|l| l.starts_with("Kept: database snapshot safe-db-final-"))
        .unwrap_or_else(|| panic!("{}", gone.stdout));
    assert!(
        kept.contains("(20 GiB, about $1.90 a month to keep)"),
        "{kept}"
    );
    let snapshots = aws
        .rds
        .describe_db_snapshots()
        .db_instance_identifier("safe-db")
        .snapshot_type("manual")
        .send()
        .await
        .unwrap();
    assert_eq!(snapshots.db_snapshots().len(), 1);
    assert!(
        snapshots.db_snapshots()[0]
            .db_snapshot_identifier()
            .unwrap()
            .starts_with("safe-db-final-2")
    );
    // The last line does not claim nothing of the stack is left: the snapshot is, on
    // purpose.
    assert!(
        gone.stdout.contains(
            "Stack \"safe\" is gone: nothing tagged hawiz:stack=safe remains but the final \
             snapshot kept on purpose (above)."
        ),
        "{}",
        gone.stdout
    );
    // A second destroy (a teardown script run twice) has nothing to do, and succeeds.
    let again = moto.run(home.path(), &["destroy", "safe", "--yes"]).ok();
    assert!(
        again
            .stdout
            .starts_with("Nothing to delete: no stack named \"safe\" is saved here"),
        "{}",
        again.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_bastion_session_manager_is_the_way_in_and_data_can_be_let_go() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let plan = home.path().join("plain.toml");
    std::fs::write(
        &plan,
        "[stack]\nname = \"plain\"\nregion = \"ap-northeast-2\"\n[bastion]\nenabled = false\n\
         [network]\nflow_logs = true\n[load_balancer]\nwaf = true\n",
    )
    .unwrap();
    let run = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(!run.stdout.contains("ssh -J"), "{}", run.stdout);
    let shell = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Shell: aws ssm start-session --region ap-northeast-2 --target i-"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(shell.contains("Session Manager"), "{shell}");
    let data = latest_template(&aws, "plain").await;
    assert_eq!(
        data.key_name(),
        None,
        "no key without a bastion to come through"
    );

    // Flow logs: the VPC's, into the stack's log group, by a role with the boundary.
    let logs = aws
        .ec2
        .describe_flow_logs()
        .filter(stack_filter("plain"))
        .send()
        .await
        .unwrap();
    assert_eq!(logs.flow_logs().len(), 1);
    assert_eq!(
        logs.flow_logs()[0].log_group_name(),
        Some("/hawiz/plain/vpc-flow-logs")
    );
    let role = aws
        .iam
        .get_role()
        .role_name("hawiz-plain-ap-northeast-2-flow-logs")
        .send()
        .await
        .unwrap();
    assert!(role.role().unwrap().permissions_boundary().is_some());
    // WAF in front of the load balancer, with the managed rules and the login limit.
    let lb = aws
        .elb
        .describe_load_balancers()
        .names("plain-alb")
        .send()
        .await
        .unwrap();
    let acl = aws
        .waf
        .get_web_acl_for_resource()
        .resource_arn(lb.load_balancers()[0].load_balancer_arn().unwrap())
        .send()
        .await
        .unwrap();
    let acl = acl.web_acl().unwrap();
    assert_eq!(acl.name(), "plain-waf");
    let rules: Vec<&str> = acl.rules().iter().map(|r| r.name()).collect();
    for want in [
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesWordPressRuleSet",
        "AWSManagedRulesPHPRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "login-rate-limit",
    ] {
        assert!(rules.contains(&want), "{want}: {rules:?}");
    }

    let gone = moto
        .run(
            home.path(),
            &["destroy", "plain", "--yes", "--skip-final-snapshot"],
        )
        .ok();
    assert!(
        gone.stdout
            .contains("note: the database is deleted without a final snapshot"),
        "{}",
        gone.stdout
    );
    assert!(
        !gone.stdout.contains("Kept: database snapshot"),
        "{}",
        gone.stdout
    );
    let snapshots = aws
        .rds
        .describe_db_snapshots()
        .db_instance_identifier("plain-db")
        .snapshot_type("manual")
        .send()
        .await
        .unwrap();
    assert!(snapshots.db_snapshots().is_empty());
    assert_eq!(
        support::owned::tagged_anywhere(&aws, "plain").await,
        Vec::<String>::new()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_boundary_these_credentials_cannot_create_stops_everything_first() {
    use support::proxy::{Faults, Permanent, Proxy};
    let moto = Moto::start();
    let aws = moto.clients().await;
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            permanent: vec![Permanent {
                op: "CreatePolicy".into(),
                contains: String::new(),
                code: "AccessDenied".into(),
                message: "User is not authorized to perform: iam:CreatePolicy".into(),
            }],
            ..Default::default()
        },
    );
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "locked", "");
    let run = proxy.run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(
            "the permissions boundary hawiz-locked-boundary does not exist, and these \
             credentials may not create it"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "hawiz policy locked --boundary > boundary.json && aws iam create-policy \
             --policy-name hawiz-locked-boundary --path /hawiz/ --policy-document \
             file://boundary.json"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.lines_with("creating "),
        1,
        "only the boundary was tried: {}",
        run.stdout
    );
    assert_eq!(
        support::owned::tagged_anywhere(&aws, "locked").await,
        Vec::<String>::new(),
        "nothing else was created"
    );
}

/// The boundary is trusted by its document, not its name: one whose document differs
/// (here `Allow *:*`, as a holder of a key could have made it) is refused before anything
/// is created, naming the difference and the fix; once an administrator sets the document
/// right, the stack is built under it, and destroy leaves the administrator's boundary
/// where it is.
#[tokio::test(flavor = "multi_thread")]
async fn a_boundary_with_another_document_is_refused_and_an_administrators_is_kept() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let open = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let arn = aws
        .iam
        .create_policy()
        .policy_name("hawiz-vouch-boundary")
        .path("/hawiz/")
        .policy_document(open)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    let home = tempfile::tempdir().unwrap();
    let plan = stack_plan(home.path(), "vouch", "");
    let plan_path = plan.to_str().unwrap();
    for args in [vec!["plan", plan_path], vec!["apply", plan_path, "--yes"]] {
        let command = args[0];
        let run = moto.run(home.path(), &args);
        assert_eq!(run.code, 2, "{command}: {}\n{}", run.stdout, run.stderr);
        for says in [
            format!("the permissions boundary {arn} does not have the document hawiz's roles need"),
            "\"Action\":\"*\"".to_string(),
            "it lacks the statement ReadStackParameters".to_string(),
            format!("aws iam create-policy-version --policy-arn {arn}"),
        ] {
            assert!(
                run.stderr.contains(&says),
                "{command}: {says}\n{}",
                run.stderr
            );
        }
    }
    assert_eq!(
        support::owned::tagged_anywhere(&aws, "vouch").await,
        Vec::<String>::new(),
        "nothing was created under a boundary hawiz cannot vouch for"
    );

    // The administrator's fix, exactly as hawiz printed it.
    let right = moto
        .run(home.path(), &["policy", "vouch", "--boundary"])
        .ok();
    aws.iam
        .create_policy_version()
        .policy_arn(&arn)
        .policy_document(&right.stdout)
        .set_as_default(true)
        .send()
        .await
        .unwrap();
    let built = moto
        .run(home.path(), &["apply", plan.to_str().unwrap(), "--yes"])
        .ok();
    assert!(built.stdout.contains("is ready"), "{}", built.stdout);
    assert_eq!(
        crate::support::iam::role_boundary(&aws, "hawiz-vouch-ap-northeast-2-app").await,
        arn
    );
    let gone = moto.run(home.path(), &["destroy", "vouch", "--yes"]).ok();
    assert!(
        gone.stdout
            .contains("yours: hawiz never deletes what it did not create"),
        "{}",
        gone.stdout
    );
    assert!(
        aws.iam.get_policy().policy_arn(&arn).send().await.is_ok(),
        "the administrator's boundary stays"
    );
}
