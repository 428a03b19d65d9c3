//! What to do about a failure, in one plain sentence and the fix, for the errors people
//! meet most: credentials, an unreachable endpoint, quotas, permissions, capacity. Every
//! front-end shows the same advice.

use super::Failure;
use crate::aws::{AwsError, Class, Problem, Target};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advice {
    pub en: &'static str,
    pub ko: &'static str,
}

impl Advice {
    pub fn text(&self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.ko)
    }
}

const QUOTA: Advice = Advice {
    en: "An account limit was reached: delete unused ones (old Elastic IPs, VPCs, NAT gateways) or ask for more in the Service Quotas console, then run the same command again.",
    ko: "계정 한도에 도달했습니다. 쓰지 않는 것(오래된 탄력적 IP, VPC, NAT 게이트웨이)을 지우거나 Service Quotas 콘솔에서 한도를 늘린 뒤 같은 명령을 다시 실행하세요.",
};
const DENIED: Advice = Advice {
    en: "Your AWS identity may not do this: attach the permissions hawiz needs (assets/iam-policy.json) or use another profile, then run the same command again.",
    ko: "현재 AWS 자격 증명으로는 할 수 없는 작업입니다. hawiz에 필요한 권한(assets/iam-policy.json)을 붙이거나 다른 프로필로 같은 명령을 다시 실행하세요.",
};
const CAPACITY: Advice = Advice {
    en: "AWS has no capacity for this type in that AZ right now: try again later, or choose another instance type or AZ.",
    ko: "지금 그 가용 영역에 이 유형의 용량이 없습니다. 나중에 다시 시도하거나 다른 인스턴스 유형이나 가용 영역을 고르세요.",
};
const LOGIN: Advice = Advice {
    en: "The AWS login is missing or expired: run `aws sso login` (or `aws configure`, or set AWS_PROFILE), then run the same command again.",
    ko: "AWS 로그인이 없거나 만료되었습니다. `aws sso login`(또는 `aws configure`)을 실행하거나 AWS_PROFILE을 설정한 뒤 같은 명령을 다시 실행하세요.",
};
const NETWORK: Advice = Advice {
    en: "AWS could not be reached: check the network (and AWS_ENDPOINT_URL, if set), then run the same command again; what was done is recorded.",
    ko: "AWS에 연결할 수 없습니다. 네트워크(설정했다면 AWS_ENDPOINT_URL도)를 확인한 뒤 같은 명령을 다시 실행하세요. 이미 한 일은 기록되어 있습니다.",
};

/// Advice for a class of failure, if there is some. Chosen by the class AWS's error code
/// gave the failure (`aws::Class`), never by the words of a message.
pub fn for_class(class: Class) -> Option<Advice> {
    match class {
        Class::Quota => Some(QUOTA),
        Class::Denied => Some(DENIED),
        Class::Capacity => Some(CAPACITY),
        Class::Login => Some(LOGIN),
        Class::Unreachable => Some(NETWORK),
        Class::Throttled | Class::Other => None,
    }
}

/// Advice for a failure as it reached a front-end.
pub fn of(problem: &Problem) -> Option<Advice> {
    for_class(problem.class)
}

/// The first call of every command failed: say why in one sentence and what to do.
pub fn connect_failure(e: &AwsError, target: &Target) -> Failure {
    let endpoint = target
        .endpoint
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        .filter(|s| !s.is_empty());
    let code = e.code.as_deref().unwrap_or_default();
    let message = if e.message.starts_with("cannot connect") {
        match &endpoint {
            Some(url) => format!(
                "{} at {url} (AWS_ENDPOINT_URL). Is the emulator or proxy there running? Unset \
                 AWS_ENDPOINT_URL to use AWS itself; nothing was changed",
                e.message
            ),
            None => format!(
                "{} to AWS. Check your network connection and try again; nothing was changed",
                e.message
            ),
        }
    } else if e.message.contains("no AWS credentials") {
        "no AWS credentials were found. Set AWS_PROFILE, or run `aws configure` or \
         `aws sso login`; or practise with `hawiz --sandbox`, which needs no account"
            .to_string()
    } else if matches!(
        code,
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired"
    ) {
        "your AWS login has expired. Run `aws sso login` (or refresh the credentials) and \
         try again; nothing was changed"
            .to_string()
    } else if matches!(
        code,
        "InvalidClientTokenId" | "UnrecognizedClientException" | "SignatureDoesNotMatch"
    ) {
        format!(
            "AWS does not accept these credentials ({code}). Check AWS_PROFILE and the keys it \
             uses; nothing was changed"
        )
    } else if e.message.contains("Unable to resolve") || e.message.contains("profile") {
        format!(
            "the AWS configuration could not be used: {}. Check the profile name (AWS_PROFILE) \
             and ~/.aws/config",
            e.message
        )
    } else {
        format!("cannot reach AWS with the current credentials: {e}")
    };
    Failure::failed(message).of_class(e.class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_failures_get_advice_in_both_languages() {
        let quota = for_class(Class::Quota).unwrap();
        assert!(quota.en.contains("Service Quotas") && quota.ko.contains("Service Quotas"));
        assert_eq!(for_class(Class::Denied), Some(DENIED));
        assert_eq!(for_class(Class::Unreachable), Some(NETWORK));
        assert_eq!(for_class(Class::Other), None);
        // The words decide nothing: a message that only mentions a code gets no advice.
        let said = Problem::other("a tag value said AccessDenied once");
        assert_eq!(of(&said), None);
    }

    #[test]
    fn an_unreachable_endpoint_is_one_sentence_naming_it() {
        let e = AwsError::new("GetCallerIdentity", "cannot connect: connection refused");
        let target = Target {
            endpoint: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        };
        let f = connect_failure(&e, &target);
        assert_eq!(f.code, 1);
        assert!(
            f.message
                .starts_with("cannot connect: connection refused at http://127.0.0.1:9")
        );
        assert!(!f.message.contains("Dispatch"), "{}", f.message);
        assert!(f.message.len() < 300, "{}", f.message);
    }
}
