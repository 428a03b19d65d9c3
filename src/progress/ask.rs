//! Questions on a line terminal (the CLI, plain mode), with inquire: Esc is no, Ctrl-C
//! stops, and without a terminal nothing is guessed.

use crate::ops::Failure;
use std::io::IsTerminal;

/// Ask before changing anything; refuses to guess when nobody can answer.
pub fn confirm(question: &str) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::invalid(
            "this changes your AWS account and there is no terminal to confirm on; \
             pass --yes to go ahead",
        ));
    }
    match inquire::Confirm::new(question).with_default(false).prompt() {
        Ok(answer) => Ok(answer),
        Err(inquire::InquireError::OperationInterrupted) => Err(Failure {
            code: 130,
            message: "interrupted; nothing was changed".into(),
            findings: Vec::new(),
        }),
        // Esc is "no", never "yes".
        Err(inquire::InquireError::OperationCanceled) => Ok(false),
        Err(e) => Err(Failure::failed(format!("cannot ask for confirmation: {e}"))),
    }
}
