//! The loop's hands: carries out the effects `App::update` returns (look-ups, the
//! preflight, runs, files) and sends every answer back as a `Msg` with its ticket. An
//! asked operation waits here for the user's answer to its question.

use super::app::{Effect, Loader};
use super::msg::{Loaded, Msg};
use super::{Options, runs};
use crate::aws::{Clients, Target};
use crate::ops::{self, Answer, Env};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Carries out effects. It never reads the app: every effect carries what it needs, and
/// every answer goes back through the channel as a `Msg` with its ticket.
pub(super) struct Ctx<'a> {
    pub(super) opts: &'a Options,
    pub(super) tx: mpsc::UnboundedSender<Msg>,
    /// Clients for (region, profile), rebuilt when either changes.
    pub(super) clients: Option<(String, String, Arc<Clients>)>,
    /// The operations waiting for the user's answer to their question, by ticket.
    pub(super) waiting: HashMap<u64, Waiting>,
    /// The build while answering, once started: the review's build (or a delete) waits
    /// for its run under way, which holds the stack's lock.
    pub(super) early: Option<ops::early::Early>,
}

/// An asked operation: where its answer goes, and the task that waits for it.
pub(super) struct Waiting {
    answer: oneshot::Sender<(Answer, u64)>,
    task: tokio::task::JoinHandle<()>,
}

impl Ctx<'_> {
    fn env_for(&self, profile: &str) -> Env {
        let mut env = self.opts.env.clone();
        env.target = Target {
            profile: Some(profile.to_string()),
            ..self.opts.env.target.clone()
        };
        env
    }

    async fn clients(&mut self, region: &str, profile: &str) -> Arc<Clients> {
        if let Some((r, p, c)) = &self.clients
            && r == region
            && p == profile
        {
            return c.clone();
        }
        let c = Arc::new(Clients::new(region, &self.env_for(profile).target).await);
        self.clients = Some((region.to_string(), profile.to_string(), c.clone()));
        c
    }

    pub(super) async fn effect(&mut self, fx: Effect) {
        let tx = self.tx.clone();
        let home = self.opts.home.clone();
        let sandbox = self.opts.env.target.sandbox;
        match fx {
            Effect::Load {
                ticket,
                what,
                region,
                profile,
                vpc,
            } => {
                let c = self.clients(&region, &profile).await;
                tokio::spawn(async move {
                    let loaded = match what {
                        Loader::Identity => {
                            Loaded::Identity(c.identity().await.map_err(|e| e.to_string()))
                        }
                        Loader::MyAddress => Loaded::Address(match crate::myip::detect().await {
                            Ok(ip) => Ok(format!("{ip}/32")),
                            Err(_) if sandbox => Ok(ops::SANDBOX_SSH_CIDR.to_string()),
                            Err(e) => Err(e),
                        }),
                        Loader::List(source) => {
                            Loaded::List(source, ops::lists::list(&c, source, &vpc).await)
                        }
                        Loader::Subnets => {
                            Loaded::Subnets(ops::lists::subnet_choices(&c, &vpc).await)
                        }
                    };
                    let _ = tx.send(Msg::Loaded(ticket, loaded));
                });
            }
            Effect::Doctor {
                ticket,
                region,
                profile,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(async move {
                    let target = ops::doctor::Target {
                        region: Some(region),
                        ..Default::default()
                    };
                    let read = match ops::doctor::run(&env, &target).await {
                        Ok(ops::doctor::Outcome::Region { vpcs, .. }) => Ok(vpcs),
                        Ok(ops::doctor::Outcome::One(r)) => Ok(vec![*r]),
                        Err(f) => Err(f.message),
                    };
                    let _ = tx.send(Msg::Loaded(ticket, Loaded::Doctor(read)));
                });
            }
            Effect::Preflight {
                ticket,
                plan,
                profile,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(async move {
                    let r = runs::preflight(&env, *plan).await;
                    let _ = tx.send(Msg::Loaded(ticket, Loaded::Preflight(r)));
                });
            }
            Effect::Build {
                ticket,
                plan,
                profile,
                answer,
            } => {
                let env = self.env_for(&profile);
                let early = self.early.take();
                tokio::spawn(async move {
                    if let Some(early) = early {
                        early.settle().await;
                    }
                    runs::build(env, *plan, answer, ticket, tx).await;
                });
            }
            Effect::Early {
                ticket,
                plan,
                through,
                profile,
            } => match &self.early {
                Some(early) => early.confirm(*plan, through),
                None => {
                    let env = self.env_for(&profile);
                    let (early, mut reports) = ops::early::start(&env, *plan, through);
                    self.early = Some(early);
                    tokio::spawn(async move {
                        while let Some(r) = reports.recv().await {
                            let _ = tx.send(Msg::Loaded(ticket, Loaded::Early(r)));
                        }
                    });
                }
            },
            Effect::Ask {
                ticket,
                op,
                profile,
            } => {
                let env = self.env_for(&profile);
                let (answer, answered) = oneshot::channel();
                self.waiting.retain(|_, w| !w.task.is_finished());
                let early = self.early.take();
                let task = tokio::spawn(async move {
                    if let Some(early) = early {
                        early.settle().await;
                    }
                    runs::asked(env, op, ticket, answered, tx).await;
                });
                self.waiting.insert(ticket, Waiting { answer, task });
            }
            Effect::Answer {
                ticket,
                answer,
                run,
            } => {
                if let Some(w) = self.waiting.remove(&ticket) {
                    let yes = answer.yes;
                    let _ = w.answer.send((answer, run));
                    if !yes {
                        // A no lets the operation go (still looking, or waiting), and the
                        // stack's lock with it, before anything else can be asked.
                        w.task.abort();
                        let _ = w.task.await;
                    }
                }
            }
            Effect::View {
                ticket,
                plan,
                profile,
            } => {
                let env = self.env_for(&profile);
                tokio::spawn(runs::view_stack(env, *plan, ticket, tx));
            }
            Effect::Open {
                ticket,
                stack,
                view,
            } => {
                // This machine's state, else rebuilt from the account (its plan record,
                // its resources by their tags) and kept here as a cache, saying so.
                let env = self.opts.env.clone();
                tokio::spawn(async move {
                    let (plan, rebuilt) = match ops::account::open(&env, &stack).await {
                        Ok((store, note)) => (Ok(Box::new(store.snapshot().plan)), note),
                        Err(f) => (Err(f.message), None),
                    };
                    let opened = Loaded::Opened {
                        stack,
                        view,
                        plan,
                        rebuilt,
                    };
                    let _ = tx.send(Msg::Loaded(ticket, opened));
                });
            }
            Effect::Inspect {
                ticket,
                key,
                kind,
                id,
                plan,
                region,
                profile,
            } => {
                let c = self.clients(&region, &profile).await;
                tokio::spawn(async move {
                    let r = ops::inspect::inspect(&c, plan.as_deref(), &key, kind, &id).await;
                    let _ = tx.send(Msg::Loaded(ticket, Loaded::Inspected(key, r)));
                });
            }
            Effect::SavePlan { plan, origin } => {
                let r = match origin {
                    Some(path) => ops::stacks::save_plan_to(&path, &plan).map(|()| path),
                    None => {
                        ops::stacks::save_plan(&crate::sandbox::plans_home(sandbox, &home), &plan)
                    }
                };
                let _ = tx.send(Msg::PlanSaved(r.map_err(|e| e.to_string())));
            }
            Effect::SaveDraft(d) => {
                let _ = crate::wizard::draft::save(&home, sandbox, &d);
            }
            Effect::ClearDraft => crate::wizard::draft::clear(&home, sandbox),
            Effect::Copy(text) => {
                // OSC 52: the terminal (and tmux, with set-clipboard) puts it on the
                // clipboard, over SSH too; a terminal that refuses it ignores it, and the
                // text is printed whole when the wizard ends.
                use base64::Engine;
                use std::io::Write;
                let encoded = base64::engine::general_purpose::STANDARD.encode(text);
                let mut out = std::io::stdout();
                let _ = write!(out, "\x1b]52;c;{encoded}\x07");
                let _ = out.flush();
            }
            Effect::SaveSettings(s) => {
                let _ = s.save(&home);
            }
            Effect::RefreshStacks => {
                let _ = tx.send(Msg::Stacks(ops::stacks::saved(&self.opts.env.stacks_dir)));
                // In the background: no credentials yet (a first run) is not an error here.
                let env = self.opts.env.clone();
                tokio::spawn(async move {
                    if let Ok(found) = ops::stacks::elsewhere(&env).await {
                        let _ = tx.send(Msg::AccountStacks(found));
                    }
                });
            }
            Effect::Quit => {}
        }
    }
}
