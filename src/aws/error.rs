//! One error type for every AWS call, keeping the operation, the AWS error code and the
//! message, so the engine can decide (not found / dependency / transient / permanent) and
//! the user reads what AWS said.

use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::fmt;

#[derive(Debug, Clone, thiserror::Error)]
pub struct AwsError {
    pub op: &'static str,
    pub code: Option<String>,
    pub message: String,
    /// Worth trying again: throttling, a 5xx, a timeout, a connection that failed or a
    /// response that never arrived whole. The call may or may not have taken effect.
    pub transient: bool,
    /// What kind of failure it is, decided once from the code (or from how the call
    /// failed when AWS never answered): what the advice a user gets goes by.
    pub class: Class,
}

/// The kinds of failure a user can act on, each with its advice (`ops::advice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Class {
    /// These credentials may not make this call.
    Denied,
    /// AWS asks to slow down.
    Throttled,
    /// An account limit (addresses, VPCs, NAT gateways...).
    Quota,
    /// AWS has no capacity for this type in that AZ now.
    Capacity,
    /// No login, or an expired or refused one.
    Login,
    /// AWS (or the endpoint) could not be reached, or the answer was lost.
    Unreachable,
    #[default]
    Other,
}

impl Class {
    /// The class of an AWS error code. Throttling first: `RequestLimitExceeded` is a rate,
    /// not a quota.
    pub fn of_code(code: &str) -> Class {
        match code {
            "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "AuthorizationError"
            | "AuthorizationErrorException"
            | "UnauthorizedAccess" => Class::Denied,
            "Throttling"
            | "ThrottlingException"
            | "RequestLimitExceeded"
            | "TooManyRequestsException"
            | "RequestThrottled"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "RequestThrottledException" => Class::Throttled,
            "InsufficientInstanceCapacity" | "InsufficientDBInstanceCapacity" | "Unsupported" => {
                Class::Capacity
            }
            "ExpiredToken"
            | "ExpiredTokenException"
            | "RequestExpired"
            | "TokenRefreshRequired"
            | "InvalidClientTokenId"
            | "UnrecognizedClientException"
            | "SignatureDoesNotMatch"
            | "AuthFailure" => Class::Login,
            c if c.ends_with("LimitExceeded")
                || c.ends_with("LimitExceededException")
                || c.ends_with("LimitExceededFault")
                || c.contains("QuotaExceeded")
                || c == "TooManyBuckets" =>
            {
                Class::Quota
            }
            _ => Class::Other,
        }
    }
}

/// A failure as it reaches a front-end: its words, and its class for the advice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problem {
    pub text: String,
    pub class: Class,
}

impl Problem {
    pub fn new(text: impl Into<String>, class: Class) -> Problem {
        Problem {
            text: text.into(),
            class,
        }
    }

    /// A failure of hawiz's own (not AWS's answer): no advice beyond its words.
    pub fn other(text: impl Into<String>) -> Problem {
        Problem::new(text, Class::Other)
    }

    /// The same class, with words around it ("could not check: …").
    pub fn reworded(&self, text: impl Into<String>) -> Problem {
        Problem::new(text, self.class)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<&AwsError> for Problem {
    fn from(e: &AwsError) -> Problem {
        Problem::new(e.to_string(), e.class)
    }
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
    /// An error hawiz itself noticed in an answer (no AWS error code, not transient).
    pub fn new(op: &'static str, message: impl Into<String>) -> Self {
        AwsError {
            op,
            code: None,
            message: message.into(),
            transient: false,
            class: Class::Other,
        }
    }

    /// The same error, of another class.
    pub fn of_class(mut self, class: Class) -> Self {
        self.class = class;
        self
    }

    /// Throttling, a server-side error, or no (whole) answer: the engine looks again and
    /// retries. Whether the call took effect is unknown, so a create is never simply resent.
    pub fn is_transient(&self) -> bool {
        self.transient
    }

    /// The resource is already gone (deletes treat this as success).
    pub fn is_not_found(&self) -> bool {
        // EC2 `InvalidVpcID.NotFound`, RDS `DBSubnetGroupNotFoundFault`, ACM
        // `ResourceNotFoundException`, IAM `NoSuchEntity`, Route 53 `NoSuchHostedZone`...
        self.code.as_deref().is_some_and(|c| {
            c.contains("NotFound") || c.starts_with("NoSuch") || c == "Gateway.NotAttached"
        })
    }

    /// These credentials may not make this call (IAM said no).
    pub fn is_denied(&self) -> bool {
        matches!(
            self.code.as_deref(),
            Some(
                "AccessDenied"
                    | "AccessDeniedException"
                    | "UnauthorizedOperation"
                    | "AuthorizationError"
                    | "UnauthorizedAccess"
            )
        )
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

/// "Not found" as an answer, not an error: `describe(...).map_err(aws(..)).or_missing()?`
/// is `None` when the thing does not exist. One place decides what absence looks like.
pub trait OrMissing<T> {
    fn or_missing(self) -> Result<Option<T>, AwsError>;
}

impl<T> OrMissing<T> for Result<T, AwsError> {
    fn or_missing(self) -> Result<Option<T>, AwsError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// `map_err(aws("CreateVpc"))`: convert any SDK error, keeping code and message.
pub fn aws<E>(op: &'static str) -> impl FnOnce(SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    move |err| {
        let code = err.code().map(str::to_string);
        let status = err.raw_response().map(|r| r.status().as_u16());
        let transient = match &err {
            SdkError::TimeoutError(_)
            | SdkError::DispatchFailure(_)
            | SdkError::ResponseError(_) => true,
            SdkError::ServiceError(_) => {
                status.is_some_and(|s| s >= 500 || s == 429)
                    || code.as_deref().is_some_and(is_retryable_code)
            }
            _ => false,
        };
        let message = match err.message() {
            Some(m) => m.to_string(),
            None => match status {
                // An error status without a readable body (a proxy or load balancer
                // answering for AWS): the status is all there is.
                Some(s) if matches!(err, SdkError::ServiceError(_)) => format!("HTTP {s}"),
                // Not a service error (no connection, no credentials, timeout): one plain
                // sentence from the context chain, never the chain itself.
                _ => plain(&DisplayErrorContext(&err).to_string()),
            },
        };
        let class = match (&err, &code) {
            (SdkError::ServiceError(_), Some(c)) => Class::of_code(c),
            (SdkError::ServiceError(_), None) => Class::Other,
            // AWS never answered: no login to send, or no way there.
            _ if message.starts_with("no AWS credentials") => Class::Login,
            (SdkError::TimeoutError(_) | SdkError::DispatchFailure(_), _)
            | (SdkError::ResponseError(_), _) => Class::Unreachable,
            _ => Class::Other,
        };
        AwsError {
            op,
            code,
            message,
            transient,
            class,
        }
    }
}

/// What went wrong before AWS could answer, in a few words (the SDK's context chain runs
/// to kilobytes of nested debug output).
pub fn plain(chain: &str) -> String {
    let c = chain.to_ascii_lowercase();
    let said = if c.contains("connection refused") {
        "cannot connect: connection refused"
    } else if c.contains("dns error")
        || c.contains("failed to lookup")
        || c.contains("name or service not known")
    {
        "cannot connect: the host name could not be resolved"
    } else if c.contains("timed out") || c.contains("timeout") {
        "cannot connect: the connection timed out"
    } else if c.contains("certificate") || c.contains("tls") {
        "cannot connect: the TLS handshake failed"
    } else if c.contains("no credentials") || c.contains("credentials") && c.contains("load") {
        "no AWS credentials were found"
    } else if c.contains("connection reset")
        || c.contains("broken pipe")
        || c.contains("connection closed")
    {
        "the connection was dropped before the answer arrived"
    } else if c.contains("dispatch") || c.contains("connect") {
        "cannot connect to AWS"
    } else {
        return chain
            .lines()
            .next()
            .unwrap_or(chain)
            .chars()
            .take(200)
            .collect();
    };
    said.to_string()
}

/// The codes AWS services use for "slow down" or "try again" (the SDK's list, less
/// `LimitExceededException`, which some services use for a quota that waiting won't fix).
fn is_retryable_code(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "TransactionInProgressException"
            | "RequestLimitExceeded"
            | "BandwidthLimitExceeded"
            | "RequestThrottled"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "EC2ThrottledException"
            | "RequestTimeout"
            | "RequestTimeoutException"
            | "InternalError"
            | "InternalFailure"
            | "ServiceUnavailable"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::error::ErrorMetadata;
    use aws_sdk_ec2::operation::create_vpc::CreateVpcError;
    use aws_smithy_types::body::SdkBody;

    fn answered(status: u16, code: Option<&str>) -> AwsError {
        let mut meta = ErrorMetadata::builder();
        if let Some(c) = code {
            meta = meta.code(c).message("from AWS");
        }
        let raw = HttpResponse::new(status.try_into().unwrap(), SdkBody::empty());
        aws("CreateVpc")(SdkError::service_error(
            CreateVpcError::generic(meta.build()),
            raw,
        ))
    }

    #[test]
    fn the_class_comes_from_the_code() {
        assert_eq!(
            answered(400, Some("UnauthorizedOperation")).class,
            Class::Denied
        );
        assert_eq!(answered(403, Some("AccessDenied")).class, Class::Denied);
        assert_eq!(
            answered(400, Some("RequestLimitExceeded")).class,
            Class::Throttled
        );
        assert_eq!(
            answered(400, Some("AddressLimitExceeded")).class,
            Class::Quota
        );
        assert_eq!(answered(400, Some("VpcLimitExceeded")).class, Class::Quota);
        assert_eq!(
            answered(400, Some("InstanceQuotaExceededFault")).class,
            Class::Quota
        );
        assert_eq!(
            answered(500, Some("InsufficientInstanceCapacity")).class,
            Class::Capacity
        );
        assert_eq!(answered(403, Some("ExpiredToken")).class, Class::Login);
        assert_eq!(
            answered(400, Some("InvalidParameterValue")).class,
            Class::Other
        );
        // The words of a message decide nothing: only the code does.
        let mut e = answered(400, Some("InvalidParameterValue"));
        e.message = "AccessDenied LimitExceeded not authorized".into();
        assert_eq!(e.class, Class::Other);
    }

    #[test]
    fn throttling_server_errors_and_lost_answers_are_transient() {
        assert!(answered(503, Some("RequestLimitExceeded")).is_transient());
        assert!(answered(400, Some("Throttling")).is_transient());
        assert!(answered(400, Some("ThrottlingException")).is_transient());
        assert!(answered(500, Some("InternalError")).is_transient());
        let lost = answered(503, None);
        assert!(lost.is_transient());
        assert_eq!(lost.to_string(), "CreateVpc failed: HTTP 503");
        let timeout: SdkError<CreateVpcError, HttpResponse> =
            SdkError::timeout_error("operation timed out");
        assert!(aws("CreateVpc")(timeout).is_transient());
    }

    #[test]
    fn connection_failures_read_as_one_sentence() {
        let chain = "dispatch failure: io error: error trying to connect: tcp connect error: \
                     Connection refused (os error 111): Connection refused (os error 111)";
        assert_eq!(plain(chain), "cannot connect: connection refused");
        assert_eq!(
            plain("dns error: failed to lookup address information"),
            "cannot connect: the host name could not be resolved"
        );
    }

    #[test]
    fn refusals_are_not_transient() {
        for code in [
            "InvalidParameterValue",
            "DependencyViolation",
            "InvalidVpcID.NotFound",
            "LimitExceededException",
        ] {
            let e = answered(400, Some(code));
            assert!(!e.is_transient(), "{code}");
            assert_eq!(e.code.as_deref(), Some(code));
        }
    }
}
