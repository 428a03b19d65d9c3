//! What the app asks AWS for while the user answers (the account, the lists a step
//! offers, the adopted VPC's subnets), and what happens when an answer arrives.

use super::{App, Effect, Loadable, Loader, Screen, Slot, into_loadable};
use crate::tui::msg::Loaded;
use crate::wizard;
use crate::wizard::fields::{FieldId, Source};

impl App {
    pub fn start(&mut self) -> Vec<Effect> {
        if (self.draft.is_some() || !self.stacks.is_empty()) && self.origin.is_none() {
            self.screen = Screen::Resume {
                selected: 0,
                confirm_destroy: false,
            };
        }
        let mut fx = self.load(Loader::Identity);
        fx.extend(self.load(Loader::List(Source::Regions)));
        if self.screen == Screen::Wizard {
            fx.extend(self.loads_for_step());
        }
        fx
    }

    /// Ask for a look-up, making any earlier answer to it stale.
    pub(super) fn load(&mut self, what: Loader) -> Vec<Effect> {
        let slot = match what {
            Loader::Identity => {
                self.identity = Loadable::Loading;
                Slot::Identity
            }
            Loader::MyAddress => {
                self.address = Loadable::Loading;
                Slot::Address
            }
            Loader::List(s) => {
                self.lists.insert(s, Loadable::Loading);
                Slot::List(s)
            }
            Loader::Subnets => {
                self.subnets = Loadable::Loading;
                Slot::Subnets
            }
        };
        vec![Effect::Load {
            ticket: self.tickets.issue(slot),
            what,
            region: self.plan.region().to_string(),
            profile: self.profile.clone(),
            vpc: self.plan.network.vpc_id.trim().to_string(),
        }]
    }

    /// The look-ups a step needs that have not been made yet.
    pub(super) fn loads_for_step(&mut self) -> Vec<Effect> {
        let wanted: &[Loader] = match self.step {
            1 => &[Loader::List(Source::Azs), Loader::List(Source::Vpcs)],
            2 => &[
                Loader::List(Source::KeyPairs),
                Loader::List(Source::InstanceTypes),
                Loader::MyAddress,
            ],
            5 => &[Loader::List(Source::InstanceTypes)],
            7 => &[Loader::List(Source::HostedZones)],
            _ => &[],
        };
        let mut fx = Vec::new();
        for l in wanted {
            let idle = match l {
                Loader::List(s) => matches!(self.lists.get(s), None | Some(Loadable::Idle)),
                Loader::MyAddress => self.address == Loadable::Idle,
                Loader::Identity => matches!(self.identity, Loadable::Idle),
                Loader::Subnets => self.subnets == Loadable::Idle,
            };
            if idle {
                fx.extend(self.load(*l));
            }
        }
        if self.step == 1 && self.adopting_known_vpc() && self.subnets == Loadable::Idle {
            fx.extend(self.load(Loader::Subnets));
        }
        fx
    }

    /// An adopted VPC ID that looks complete (`vpc-` and 8 or 17 hex digits).
    pub(super) fn adopting_known_vpc(&self) -> bool {
        let id = self.plan.network.vpc_id.trim();
        id.strip_prefix("vpc-")
            .is_some_and(|h| matches!(h.len(), 8 | 17) && h.chars().all(|c| c.is_ascii_hexdigit()))
    }

    pub(super) fn on_loaded(&mut self, loaded: Loaded) -> Vec<Effect> {
        match loaded {
            Loaded::Identity(r) => {
                self.identity = into_loadable(r);
                vec![]
            }
            Loaded::Address(r) => {
                // The caller's address: the bastion's SSH default when none was typed.
                if let Ok(cidr) = &r
                    && self.plan.bastion.ssh_cidr.trim().is_empty()
                    && !self.inputs.contains_key(&FieldId::SshCidr)
                {
                    self.plan.bastion.ssh_cidr = cidr.clone();
                    self.report = wizard::check(&self.plan);
                }
                self.address = into_loadable(r);
                vec![]
            }
            Loaded::List(source, r) => {
                self.lists.insert(source, into_loadable(r));
                self.recheck_offered(source);
                vec![]
            }
            Loaded::Subnets(r) => {
                self.subnets = into_loadable(r);
                self.pick = 0;
                vec![]
            }
            Loaded::Preflight(r) => self.preflighted(r),
            Loaded::Opened {
                stack,
                view,
                plan,
                rebuilt,
            } => {
                let mut fx = self.opened(stack, view, plan);
                if let Some(note) = rebuilt {
                    // Said once; the stack is this machine's now (its state is cached).
                    self.notice = Some((note.en, note.ko));
                    fx.push(Effect::RefreshStacks);
                }
                fx
            }
            Loaded::Started(r) => self.started(r),
            Loaded::Event(ev, at) => {
                // The stack is up: the final screen has what it shows, the standby coming.
                if let crate::ops::Event::Up(summary) = &ev {
                    self.summary = Loadable::Ready((**summary).clone());
                }
                if let Some(b) = &mut self.build {
                    b.on_event(&ev, at);
                }
                vec![]
            }
            Loaded::Done(r, at) => self.done(r, at),
            Loaded::Asked(r) => self.asked(r),
            Loaded::Early(r) => self.on_early(r),
            Loaded::Doctor(r) => {
                self.doctor = into_loadable(r);
                vec![]
            }
            Loaded::Inspected(key, r) => {
                if let Some(i) = &mut self.inspector
                    && i.key == key
                {
                    i.body = into_loadable(r);
                }
                vec![]
            }
        }
    }
}
