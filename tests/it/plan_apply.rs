//! Anything `hawiz plan` passes, `apply` builds: plans at the edges of every rule (the
//! longest and shortest stack names, the longest database names, a user's own key pair,
//! the widest SSH source allowed, the bare domain, one instance) are accepted by `plan` and
//! then applied to the end. And each value apply once failed on midway (issue 10) is
//! refused by `plan` and by `apply`, naming the value and the fix, with nothing created.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support;

use support::Moto;
use support::owned::tagged_anywhere;

fn write(dir: &std::path::Path, name: &str, toml: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, toml).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn what_plan_accepts_apply_builds() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    aws.ec2
        .create_key_pair()
        .key_name("my-own-key")
        .send()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let region = support::REGION;
    let long_name = "z1234567890-abcdefghij-klmnop-9z"; // 32: the longest
    assert_eq!(long_name.len(), 32);
    let db_name = format!("w{}", "p".repeat(63)); // 64: the longest
    let edges = [
        (
            long_name,
            format!(
                "[stack]\nname = \"{long_name}\"\nregion = \"{region}\"\n\
                 [network]\nazs = [\"{region}b\", \"{region}d\"]\nnat = \"single\"\n\
                 [bastion]\nssh_cidr = \"10.20.0.0/16\"\ninstance_type = \"t3.nano\"\n\
                 [database]\nusername = \"u234567890abcdef\"\ndb_name = \"{db_name}\"\n\
                 storage_gib = 20\nmax_storage_gib = 22\ninstance_class = \"db.t4g.micro\"\n\
                 [app]\ninstance_type = \"t3.small\"\nmin = 2\ndesired = 4\nmax = 4\ncpu_target = 100.0\n\
                 [load_balancer]\nhealth_check_path = \"/wp-login.php\"\n\
                 [domain]\nname = \"edge-case.click\"\nhost = \"\"\n"
            ),
        ),
        (
            "a-1",
            format!(
                "[stack]\nname = \"a-1\"\nregion = \"{region}\"\n\
                 [network]\nnat = \"none\"\n\
                 [bastion]\nssh_cidr = \"203.0.113.10/32\"\nkey_name = \"my-own-key\"\n\
                 [database]\nengine = \"mysql\"\nusername = \"selects\"\ndb_name = \"sys_wp\"\n\
                 [files]\nenabled = false\n\
                 [app]\nmin = 1\ndesired = 1\nmax = 1\n"
            ),
        ),
        (
            "internals",
            format!(
                "[stack]\nname = \"internals\"\nregion = \"{region}\"\n[bastion]\nenabled = false\n"
            ),
        ),
    ];
    for (name, toml) in &edges {
        let path = write(home.path(), name, toml);
        let planned = moto.run(home.path(), &["plan", path.to_str().unwrap()]);
        assert_eq!(
            planned.code, 0,
            "plan refused the edge case {name}:\n{}{}",
            planned.stdout, planned.stderr
        );
        let applied = moto.run(home.path(), &["apply", path.to_str().unwrap(), "--yes"]);
        assert_eq!(
            applied.code, 0,
            "plan accepted {name} but apply failed:\n{}{}",
            applied.stdout, applied.stderr
        );
        assert!(
            applied
                .stdout
                .contains(&format!("Stack \"{name}\" is ready")),
            "{}",
            applied.stdout
        );
    }
    drop(aws);
}

#[tokio::test(flavor = "multi_thread")]
async fn what_apply_would_fail_on_plan_refuses_first() {
    let moto = Moto::start();
    let aws = moto.clients().await;
    let home = tempfile::tempdir().unwrap();
    let region = support::REGION;
    // (stack, extra TOML, words the refusal must hold: the value and the fix)
    let bad: &[(&str, &str, &[&str])] = &[
        ("123", "", &["\"123\"", "start with a letter", "site-123"]),
        ("a--b", "", &["\"a--b\"", "two hyphens", "\"a-b\""]),
        (
            "azz",
            &format!("[network]\nazs = [\"{region}a\", \"{region}z\"]\n"),
            &[
                "ap-northeast-2z",
                "pick one of the region's",
                "ap-northeast-2c",
            ],
        ),
        (
            "potato",
            "[app]\ninstance_type = \"t3.potato\"\n",
            &["\"t3.potato\"", "like t3.micro"],
        ),
        (
            "offered",
            "[app]\ninstance_type = \"x9.large\"\n",
            &["x9.large", "not offered in ap-northeast-2", "like t3.micro"],
        ),
        (
            "dbpotato",
            "[database]\ninstance_class = \"db.t3.potato\"\n",
            &["\"db.t3.potato\"", "like db.t3.micro"],
        ),
        (
            "reserved",
            "[database]\nusername = \"select\"\n",
            &["\"select\"", "reserved word", "\"admin\""],
        ),
        (
            "schema",
            "[database]\ndb_name = \"mysql\"\n",
            &["\"mysql\"", "\"wordpress\""],
        ),
        (
            "nodomain",
            "[domain]\nhost = \"www\"\n",
            &["no domain is given", "like example.com", "remove [domain]"],
        ),
        (
            "nokey",
            "[bastion]\nkey_name = \"no-such-key\"\n",
            &[
                "\"no-such-key\"",
                "does not exist in ap-northeast-2",
                "leave the key pair empty",
            ],
        ),
    ];
    for (stack, extra, words) in bad {
        let toml = format!(
            "[stack]\nname = \"{stack}\"\nregion = \"{region}\"\n{}{extra}",
            if extra.contains("[bastion]") {
                ""
            } else {
                "[bastion]\nssh_cidr = \"203.0.113.10/32\"\n"
            }
        );
        let toml = if extra.contains("[bastion]") {
            toml.replace("[bastion]\n", "[bastion]\nssh_cidr = \"203.0.113.10/32\"\n")
        } else {
            toml
        };
        let path = write(home.path(), &format!("bad-{stack}"), &toml);
        for cmd in [vec!["plan"], vec!["apply", "--yes"]] {
            let mut args = vec![cmd[0], path.to_str().unwrap()];
            args.extend(&cmd[1..]);
            let run = moto.run(home.path(), &args);
            assert_ne!(run.code, 0, "{cmd:?} accepted {toml}\n{}", run.stdout);
            for w in *words {
                assert!(
                    run.stderr.contains(w),
                    "{cmd:?} of {stack}: expected {w:?} in\n{}",
                    run.stderr
                );
            }
            assert!(run.stderr.contains("nothing was created"), "{}", run.stderr);
        }
        assert!(
            tagged_anywhere(&aws, stack).await.is_empty(),
            "{stack}: something was created"
        );
    }
}

/// `hawiz completions SHELL` prints a completion script that knows the commands.
#[test]
fn completions_know_the_commands() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = crate::support::env::Env::emulator("http://127.0.0.1:9", home.path())
            .command(&["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        for command in ["apply", "destroy", "drill", "policy", "status"] {
            assert!(text.contains(command), "{shell} lacks {command}");
        }
    }
}
