//! One error type for every AWS call, keeping the operation, the AWS error code and the
//! message, so the engine can decide (not found / dependency / permanent) and the user
//! reads what AWS said.

use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::fmt;

#[derive(Debug, Clone, thiserror::Error)]
pub struct AwsError {
    pub op: &'static str,
    pub code: Option<String>,
    pub message: String,
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} failed: {code}: {}", self.op, self.message),
            None => write!(f, "{} failed: {}", self.op, self.message),
        }
    }
}

impl AwsError {
    /// The resource is already gone (deletes treat this as success).
    pub fn is_not_found(&self) -> bool {
        // EC2 `InvalidVpcID.NotFound`, RDS `DBSubnetGroupNotFoundFault`, ACM
        // `ResourceNotFoundException`, IAM `NoSuchEntity`, Route 53 `NoSuchHostedZone`...
        self.code.as_deref().is_some_and(|c| {
            c.contains("NotFound") || c.starts_with("NoSuch") || c == "Gateway.NotAttached"
        })
    }

    /// AWS refuses the delete because something still uses the resource; it usually clears
    /// once network interfaces drain, so destroy waits and retries.
    pub fn is_dependency(&self) -> bool {
        matches!(
            self.code.as_deref(),
            Some(
                "DependencyViolation"
                    | "InvalidIPAddress.InUse"
                    | "ResourceInUse"
                    | "ResourceInUseException"
                    | "ResourceInUseFault"
                    | "FileSystemInUse"
                    | "DeleteConflict"
                    | "InvalidDBSubnetGroupStateFault"
                    | "InvalidDBInstanceState"
                    | "ScalingActivityInProgress"
            )
        )
    }
}

/// `map_err(aws("CreateVpc"))`: convert any SDK error, keeping code and message.
pub fn aws<E, R>(op: &'static str) -> impl FnOnce(SdkError<E, R>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug,
{
    move |err| {
        let code = err.code().map(str::to_string);
        let message = match err.message() {
            Some(m) => m.to_string(),
            // Not a service error (no connection, no credentials, timeout): the context
            // chain is the only useful text.
            None => DisplayErrorContext(&err).to_string(),
        };
        AwsError { op, code, message }
    }
}
