//! Korean particles after code, numbers and names, and the glossary of the AWS console's
//! Korean terms. A particle depends on how the word before it is read: `wordpress-ha`로
//! (하, no final consonant), `43`개, `ap-northeast-2`로 (이), `subnet-0a1`이 (일, ㄹ).
//! Digits and Latin letters are read the Korean way; English words by their loanword
//! ending (m, n, ng, l, and p, t, b, k after a vowel carry a final consonant).

/// A particle pair: the form after a final consonant, then the form after a vowel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Josa {
    /// 은/는 (topic)
    EunNeun,
    /// 이/가 (subject)
    IGa,
    /// 을/를 (object)
    EulReul,
    /// 으로/로 (direction, means): 로 also after ㄹ.
    EuroRo,
    /// 과/와 (and, with)
    GwaWa,
    /// 이어야/여야 (must be)
    IeoyaYeoya,
    /// 이면/면 (if it is)
    IMyeon,
}

/// The final sound of a word: none, ㄹ, or another consonant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coda {
    None,
    Rieul,
    Other,
}

/// The particle that follows `word`.
pub fn particle(word: &str, josa: Josa) -> &'static str {
    let coda = coda(word);
    let (after_consonant, after_vowel) = match josa {
        Josa::EunNeun => ("은", "는"),
        Josa::IGa => ("이", "가"),
        Josa::EulReul => ("을", "를"),
        Josa::EuroRo => ("으로", "로"),
        Josa::GwaWa => ("과", "와"),
        Josa::IeoyaYeoya => ("이어야", "여야"),
        Josa::IMyeon => ("이면", "면"),
    };
    match (coda, josa) {
        (Coda::None, _) | (Coda::Rieul, Josa::EuroRo) => after_vowel,
        _ => after_consonant,
    }
}

/// `word` followed by its particle, e.g. `with("wordpress-ha", Josa::EuroRo)` is
/// `wordpress-ha로`.
pub fn with(word: &str, josa: Josa) -> String {
    format!("{word}{}", particle(word, josa))
}

fn coda(word: &str) -> Coda {
    let w = word.trim_end_matches(|c: char| !c.is_alphanumeric() && !is_hangul(c));
    let Some(last) = w.chars().last() else {
        return Coda::None;
    };
    if is_hangul(last) {
        return match (last as u32 - 0xAC00) % 28 {
            0 => Coda::None,
            8 => Coda::Rieul,
            _ => Coda::Other,
        };
    }
    if last.is_ascii_digit() {
        let digits: String = w
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return number(&digits);
    }
    if last.is_ascii_alphabetic() {
        let run: String = w
            .chars()
            .rev()
            .take_while(char::is_ascii_alphabetic)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return latin(&run);
    }
    Coda::None
}

fn is_hangul(c: char) -> bool {
    ('가'..='힣').contains(&c)
}

/// How a number ends when read in Sino-Korean: 일(ㄹ) 이 삼(ㅁ) 사 오 육(ㄱ) 칠(ㄹ) 팔(ㄹ)
/// 구, and for round numbers 십(ㅂ) 백(ㄱ) 천(ㄴ) 만(ㄴ) 억(ㄱ) 조.
fn number(digits: &str) -> Coda {
    let trimmed = digits.trim_end_matches('0');
    let zeros = digits.len() - trimmed.len();
    if trimmed.is_empty() {
        return Coda::Other; // 영
    }
    match zeros {
        0 => match trimmed.chars().last() {
            Some('1' | '7' | '8') => Coda::Rieul,
            Some('3' | '6') => Coda::Other,
            _ => Coda::None,
        },
        1..=11 => Coda::Other, // 십 백 천 만 … 억
        _ => Coda::None,       // 조
    }
}

/// Latin letters: short or vowel-less runs are read letter by letter (엘, 엠, 엔, 알 end in
/// a consonant); words by their usual loanword ending.
fn latin(run: &str) -> Coda {
    let lower = run.to_ascii_lowercase();
    let vowels = lower.chars().filter(|c| "aeiou".contains(*c)).count();
    let spelled = run.len() <= 2 || vowels == 0 || run.chars().all(|c| c.is_ascii_uppercase());
    let b = lower.as_bytes();
    let last = b[b.len() - 1];
    if spelled {
        return match last {
            b'l' | b'r' => Coda::Rieul,
            b'm' | b'n' => Coda::Other,
            _ => Coda::None,
        };
    }
    let before = b.len().checked_sub(2).map(|i| b[i]);
    let after_vowel = before.is_some_and(|c| b"aeiou".contains(&c));
    match last {
        b'l' => Coda::Rieul,
        b'm' | b'n' => Coda::Other,
        b'p' | b't' | b'b' if after_vowel => Coda::Other,
        b'g' if before == Some(b'n') => Coda::Other,
        b'k' if before == Some(b'c') || after_vowel => Coda::Other,
        _ => Coda::None,
    }
}

/// The AWS console's Korean terms, used in every Korean text of hawiz (field labels,
/// explanations, messages, cost and progress lines). One word per idea:
///
/// | English                 | Korean (console)      | not                     |
/// |-------------------------|-----------------------|-------------------------|
/// | profile                 | 프로필                | 프로파일                |
/// | availability zone (AZ)  | 가용 영역             | 가용 구역               |
/// | health check path       | 상태 검사 경로        | 상태 확인 경로          |
/// | desired capacity        | 원하는 용량           | 원하는 인스턴스         |
/// | minimum / maximum capacity | 최소 용량 / 최대 용량 | 최소 인스턴스       |
/// | registrar               | 등록 기관             | 등록 업체               |
/// | hosted zone             | 호스팅 영역           |                         |
/// | target group            | 대상 그룹             | 타깃 그룹               |
/// | load balancer           | 로드 밸런서           |                         |
/// | launch template         | 시작 템플릿           |                         |
/// | Auto Scaling (group)    | Auto Scaling (그룹)   | 오토 스케일링 (그룹)    |
/// | security group          | 보안 그룹             |                         |
/// | key pair                | 키 페어               |                         |
/// | instance type           | 인스턴스 유형         |                         |
/// | DB instance class       | DB 인스턴스 클래스    |                         |
/// | master username         | 마스터 사용자 이름    |                         |
/// | mount target            | 탑재 대상             |                         |
/// | route table             | 라우팅 테이블         |                         |
/// | snapshot                | 스냅샷                |                         |
pub mod glossary {
    pub const PROFILE: &str = "프로필";
    pub const AZ: &str = "가용 영역";
    pub const HEALTH_CHECK_PATH: &str = "상태 검사 경로";
    pub const DESIRED_CAPACITY: &str = "원하는 용량";
    pub const MIN_CAPACITY: &str = "최소 용량";
    pub const MAX_CAPACITY: &str = "최대 용량";
    pub const REGISTRAR: &str = "등록 기관";
    pub const HOSTED_ZONE: &str = "호스팅 영역";
    pub const TARGET_GROUP: &str = "대상 그룹";
    pub const AUTO_SCALING_GROUP: &str = "Auto Scaling 그룹";
    /// The service name stays in English, as in the console.
    pub const AUTO_SCALING: &str = "Auto Scaling";
    pub const KEY_PAIR: &str = "키 페어";
    pub const INSTANCE_TYPE: &str = "인스턴스 유형";
    pub const DB_INSTANCE_CLASS: &str = "DB 인스턴스 클래스";
    pub const MASTER_USERNAME: &str = "마스터 사용자 이름";

    /// Each kind of resource hawiz makes, by the name the Korean console gives it (a
    /// kind's code, like `security-group`, stays the English screens' word).
    pub const KINDS: &[(&str, &str)] = &[
        ("vpc", "VPC"),
        ("subnet", "서브넷"),
        ("internet-gateway", "인터넷 게이트웨이"),
        ("igw-attachment", "게이트웨이 연결"),
        ("elastic-ip", "탄력적 IP"),
        ("nat-gateway", "NAT 게이트웨이"),
        ("route-table", "라우팅 테이블"),
        ("route", "라우팅"),
        ("rtb-association", "서브넷 연결"),
        ("default-sg", "기본 보안 그룹"),
        ("security-group", "보안 그룹"),
        ("flow-log", "흐름 로그"),
        ("key-pair", KEY_PAIR),
        ("iam-role", "IAM 역할"),
        ("instance-profile", "인스턴스 프로필"),
        ("iam-boundary", "권한 경계"),
        ("instance", "인스턴스"),
        ("ssm-secret", "보안 파라미터"),
        ("ssm-parameter", "파라미터"),
        ("db-subnet-group", "DB 서브넷 그룹"),
        ("db-parameter-group", "DB 파라미터 그룹"),
        ("rds-instance", "DB 인스턴스"),
        ("rds-replica", "읽기 전용 복제본"),
        ("efs", "파일 시스템"),
        ("efs-replication", "복제"),
        ("efs-mount-target", "탑재 대상"),
        ("launch-template", "시작 템플릿"),
        ("load-balancer", "로드 밸런서"),
        ("target-group", TARGET_GROUP),
        ("listener", "리스너"),
        ("http-redirect", "HTTP 리디렉션"),
        ("autoscaling-group", AUTO_SCALING_GROUP),
        ("scaling-policy", "조정 정책"),
        ("scheduled-action", "예약된 작업"),
        ("hosted-zone", HOSTED_ZONE),
        ("dns-record", "DNS 레코드"),
        ("health-check", "상태 확인"),
        ("cloudfront", "CloudFront 배포"),
        ("origin-lock", "오리진 잠금"),
        ("certificate", "인증서"),
        ("cert-validation", "인증서 검증"),
        ("web-acl", "웹 ACL"),
        ("web-acl-association", "웹 ACL 연결"),
        ("log-group", "로그 그룹"),
        ("sns-topic", "SNS 주제"),
        ("sns-subscription", "SNS 구독"),
        ("alarm", "경보"),
        ("dashboard", "대시보드"),
    ];

    /// A kind's name in the Korean console (its code when it has none).
    pub fn kind(code: &str) -> &str {
        KINDS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(code, |(_, ko)| ko)
    }

    /// Terms that must not appear in Korean texts, with the glossary's word to use.
    pub const AVOID: &[(&str, &str)] = &[
        ("프로파일", PROFILE),
        ("가용 구역", AZ),
        ("상태 확인 경로", HEALTH_CHECK_PATH),
        ("원하는 인스턴스", DESIRED_CAPACITY),
        ("등록 업체", REGISTRAR),
        ("타깃 그룹", TARGET_GROUP),
        ("최소 인스턴스", MIN_CAPACITY),
        ("최대 인스턴스", MAX_CAPACITY),
        ("오토 스케일링", AUTO_SCALING),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn texts(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                texts(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "toml" || e == "md")
            {
                out.push(path);
            }
        }
    }

    /// Every Korean text of hawiz, wherever it is written (field labels, step texts,
    /// messages, cost and progress lines, README), uses the glossary's word, and computes
    /// its particles instead of writing both forms.
    #[test]
    fn korean_texts_use_the_glossary_and_real_particles() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        texts(&root.join("src"), &mut files);
        texts(&root.join("assets"), &mut files);
        texts(&root.join("steps"), &mut files);
        files.push(root.join("README.md"));
        let this = root.join("src/i18n/korean.rs");
        let both_forms = [
            "이(가)", "가(이)", "을(를)", "를(을)", "은(는)", "는(은)", "(으)로", "과(와)",
            "와(과)",
        ];
        let mut found = Vec::new();
        for file in files.iter().filter(|f| **f != this) {
            let text = std::fs::read_to_string(file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for (avoid, use_instead) in glossary::AVOID {
                    if line.contains(avoid) {
                        found.push(format!(
                            "{}:{}: {avoid:?}: use {use_instead:?}",
                            file.display(),
                            n + 1
                        ));
                    }
                }
                for both in both_forms {
                    if line.contains(both) {
                        found.push(format!(
                            "{}:{}: {both:?}: use korean::with",
                            file.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    #[test]
    fn particles_follow_the_reading() {
        assert_eq!(with("wordpress-ha", Josa::EuroRo), "wordpress-ha로");
        assert_eq!(with("ap-northeast-2", Josa::EuroRo), "ap-northeast-2로");
        assert_eq!(with("ap-northeast-2z", Josa::EunNeun), "ap-northeast-2z는");
        assert_eq!(with("43", Josa::IGa), "43이");
        assert_eq!(with("41", Josa::EuroRo), "41로");
        assert_eq!(with("10", Josa::EulReul), "10을");
        assert_eq!(with("2", Josa::EulReul), "2를");
        assert_eq!(with("t3.potato", Josa::EunNeun), "t3.potato는");
        assert_eq!(with("select", Josa::EunNeun), "select는"); // 셀렉트
        assert_eq!(with("mysql", Josa::EunNeun), "mysql은"); // 마이에스큐엘
        assert_eq!(with("subnet", Josa::IGa), "subnet이");
        assert_eq!(with("stack", Josa::EulReul), "stack을");
        assert_eq!(with("VPC", Josa::IGa), "VPC가");
        assert_eq!(with("\"a--b\"", Josa::EunNeun), "\"a--b\"는");
        assert_eq!(with("서울", Josa::EuroRo), "서울로");
        assert_eq!(with("리전", Josa::EuroRo), "리전으로");
        assert_eq!(with("스택", Josa::GwaWa), "스택과");
        assert_eq!(with("1", Josa::IMyeon), "1이면");
        assert_eq!(with("2", Josa::IMyeon), "2면");
    }
}
