//! Which layer retries a call, so throttling costs a bounded number of calls per resource.
//!
//! Each call is retried by one layer only. Reads and deletes go through the SDK's retrying
//! clients (standard mode: exponential backoff with jitter, [`SDK_TRIES`] tries in all).
//! Calls that create or change something go out once (`Clients::once`), and the engine
//! retries the whole resource, looking it up again first. Were the engine to start a
//! resource over after a read the SDK had already tried eight times, a resource AWS kept
//! throttling would cost 8 × 8 calls.
//!
//! A transient error does not say which client sent the call, so every client notes its
//! failures, and the engine reads the note of the resource it is working on:
//! [`noting_failures`] gives each attempt a note of its own (a task-local value, as
//! tracing's spans are), and [`NoteFailures`], an interceptor on every client, writes in
//! it how the last failed call was sent.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::cell::Cell;
use std::future::Future;

/// Tries of one call by the retrying clients (the first and seven more).
pub const SDK_TRIES: u32 = 8;

/// How a call was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Once: nothing retried it; the engine may try the resource again.
    Once,
    /// By a retrying client, which already tried it [`SDK_TRIES`] times.
    Retried,
}

tokio::task_local! {
    static LAST_FAILURE: Cell<Option<Sent>>;
}

/// Run `work` (one attempt at one resource) and say how its last failed AWS call was
/// sent; `None` when no call failed.
pub async fn noting_failures<F: Future>(work: F) -> (F::Output, Option<Sent>) {
    LAST_FAILURE
        .scope(Cell::new(None), async move {
            let out = work.await;
            (out, LAST_FAILURE.with(Cell::get))
        })
        .await
}

/// Notes, for [`noting_failures`], that a call of this client failed (after its retries).
#[derive(Debug)]
pub struct NoteFailures(pub Sent);

impl Intercept for NoteFailures {
    fn name(&self) -> &'static str {
        "hawiz::aws::retry::NoteFailures"
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if context.output_or_error().is_some_and(|r| r.is_err()) {
            // Outside an engine attempt (a status check, the wizard's lists) nobody asks.
            let _ = LAST_FAILURE.try_with(|last| last.set(Some(self.0)));
        }
        Ok(())
    }
}
