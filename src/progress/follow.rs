//! A run followed on a line terminal (the CLI, plain mode): each event as a line, and a
//! heartbeat line in a long quiet stretch.

/// After this long without a line, a run prints what it is waiting for: an RDS instance
/// or a certificate takes minutes on AWS, and silence reads as a hang.
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);

/// Print a run's events as they come and, whenever it has been quiet for `HEARTBEAT`,
/// a line naming what it waits for, for how long against the typical time, and how many
/// resources are done. Returns when the run closes its events.
pub async fn follow(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<crate::ops::Event>,
    mut run: super::BuildState,
    lines: &super::Lines,
) {
    use std::time::Instant;
    let mut quiet_since = Instant::now();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            ev = events.recv() => {
                let Some(ev) = ev else { return };
                lines.print(&ev);
                run.on_event(&ev, Instant::now());
                quiet_since = Instant::now();
            }
            _ = tick.tick() => {
                let now = Instant::now();
                if now.duration_since(quiet_since) >= HEARTBEAT {
                    if let Some(line) = lines.heartbeat(&run, now) {
                        println!("{line}");
                    }
                    quiet_since = now;
                }
            }
        }
    }
}
