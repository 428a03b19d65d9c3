//! The `hawiz` binary: parse the command line, set up the sandbox if asked, dispatch.

use clap::Parser;
use hawiz::cli::{Cli, Command, SandboxAction};
use hawiz::commands::{self, Env, Failure};
use hawiz::{aws, paths, sandbox};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    quiet_broken_pipe();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            if let Some(a) = hawiz::ops::advice::for_class(f.class) {
                eprintln!("{}", a.en);
            }
            ExitCode::from(u8::try_from(f.code).unwrap_or(1))
        }
    }
}

/// A reader that stops reading (`hawiz status S | head`) ends hawiz quietly, as it ends
/// any command-line tool, instead of a panic at the next line printed. Rust ignores
/// SIGPIPE, which turns every print after that into a "Broken pipe" panic; the default
/// action ends the process without a word. Sockets are unaffected: Rust and tokio send
/// with MSG_NOSIGNAL (SO_NOSIGPIPE on macOS), so a dropped connection stays an error.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: only sets the signal's disposition back to the system default, first thing
    // in main, before anything is printed; no handler of ours runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let home = paths::home();
    let mut env = Env {
        stacks_dir: paths::stacks_dir(&home, cli.sandbox),
        target: aws::Target::default(),
        parallelism: usize::from(cli.parallelism),
        lang: hawiz::i18n::Lang::chosen(cli.lang, hawiz::settings::Settings::load(&home).lang),
        region: None,
        force_unlock: false,
    };
    if let Some(
        Command::Status { region, .. }
        | Command::Drill { region, .. }
        | Command::Failover { region, .. }
        | Command::Failback { region, .. }
        | Command::Destroy { region, .. },
    ) = &cli.command
    {
        env.region = region.clone();
    }
    if let Some(
        Command::Apply { force_unlock, .. }
        | Command::Drill { force_unlock, .. }
        | Command::Failover { force_unlock, .. }
        | Command::Failback { force_unlock, .. }
        | Command::Destroy { force_unlock, .. },
    ) = &cli.command
    {
        env.force_unlock = *force_unlock;
    }
    if let Some(Command::Sandbox {
        action: SandboxAction::Stop,
    }) = &cli.command
    {
        return sandbox::stop(&home, env.lang).await;
    }
    if cli.sandbox {
        // Found again when it is still running, so the practice stacks are there too.
        let sb = sandbox::Sandbox::ensure(&home, env.lang).await?;
        env.target = aws::Target {
            endpoint: Some(sb.endpoint.clone()),
            sandbox: true,
            ..Default::default()
        };
    }

    let work = async {
        match &cli.command {
            Some(Command::Plan { plan }) => commands::plan::run(&env, plan).await,
            Some(Command::Apply {
                plan,
                yes,
                db_now,
                replace_vpc,
                replace_database,
                no_wait,
                ..
            }) => {
                let flags = commands::apply::Flags {
                    yes: *yes,
                    db_now: *db_now,
                    replace_vpc: *replace_vpc,
                    replace_database: *replace_database,
                    no_wait: *no_wait,
                };
                commands::apply::run(&env, plan, flags).await
            }
            Some(Command::Status { stack, .. }) => {
                commands::status::run(&env, stack.as_deref()).await
            }
            Some(Command::Drill {
                stack,
                part,
                promote,
                yes,
                ..
            }) => commands::drill::run(&env, stack, (*part).into(), *promote, *yes).await,
            Some(Command::Failback {
                stack,
                yes,
                prepare,
                ..
            }) => commands::failback::run(&env, stack, *yes, *prepare).await,
            Some(Command::Failover { stack, yes, .. }) => {
                commands::failover::run(&env, stack, *yes).await
            }
            Some(Command::Doctor {
                stack,
                vpc,
                region,
                json,
                write_plan,
            }) => {
                let target = hawiz::ops::doctor::Target {
                    vpc: vpc.clone(),
                    stack: stack.clone(),
                    region: region.clone(),
                    write_plan: write_plan.clone(),
                };
                commands::doctor::run(&env, &target, *json).await
            }
            Some(Command::Sandbox { .. }) => Ok(()),
            Some(Command::Completions { shell }) => {
                use clap::CommandFactory;
                let mut cmd = Cli::command();
                clap_complete::generate(*shell, &mut cmd, "hawiz", &mut std::io::stdout());
                Ok(())
            }
            Some(Command::Policy {
                stack,
                region,
                domain,
                host,
                boundary,
                out,
            }) => {
                let args = commands::policy::Args {
                    stack: stack.clone(),
                    region: region.clone(),
                    domain: domain.clone(),
                    host: host.clone(),
                    boundary: *boundary,
                    out: out.clone(),
                };
                commands::policy::run(&env.stacks_dir, &args).await
            }
            Some(Command::Destroy {
                stack,
                yes,
                skip_final_snapshot,
                leftovers,
                ..
            }) => {
                let scope = if *leftovers {
                    hawiz::ops::DestroyScope::Leftovers
                } else {
                    hawiz::ops::DestroyScope::Stack
                };
                commands::destroy::run(&env, stack, *yes, *skip_final_snapshot, scope).await
            }
            None if cli.plain => hawiz::plain::run(&env, &home).await,
            None | Some(Command::Edit { .. }) => {
                let edit = match &cli.command {
                    Some(Command::Edit { plan }) => Some(plan.clone()),
                    _ => None,
                };
                hawiz::tui::run(hawiz::tui::Options {
                    env: env.clone(),
                    home: home.clone(),
                    theme: cli.theme.clone(),
                    edit,
                })
                .await
            }
        }
    };
    let interrupted = match &cli.command {
        Some(Command::Drill { stack, .. }) => &commands::drill::interrupted(&env, stack),
        None if cli.plain && cli.sandbox => {
            "interrupted. Everything created so far is recorded: `hawiz --sandbox --plain` offers \
             your answers again, and `hawiz --sandbox apply` on the plan it saved resumes the build."
        }
        None if cli.plain => {
            "interrupted. Everything created so far is recorded: `hawiz --plain` offers your \
             answers again, and `hawiz apply` on the plan it saved resumes the build."
        }
        _ => {
            "interrupted. Everything created so far is recorded; run the same command again to resume."
        }
    };
    let result = tokio::select! {
        r = work => r,
        _ = tokio::signal::ctrl_c() => Err(Failure::interrupted(interrupted)),
    };
    // The stack's lock in the account is released in the background when its holder ends
    // (an interrupted run too): wait for it, so the next run anywhere finds it free.
    hawiz::ops::account::settle().await;
    result
}
