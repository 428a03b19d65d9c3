//! A loopback HTTP proxy between `hawiz` and the test's moto, for proving behaviour under
//! the faults real AWS has and moto lacks. It forwards every request to moto and can:
//! delay chosen operations; answer a share of calls with throttling or a 5xx; lose the
//! answer of a mutating call after moto performed it (a dropped connection); answer a
//! chosen operation with a permanent error; refuse the deletes AWS refuses while
//! something still depends on the resource (deciding by asking moto first); and count the
//! calls per operation. The AWS behaviour itself is always moto's: the proxy only delays,
//! fails, refuses and counts.
//!
//! Every choice is a hash of the seed, the operation and how many calls of it came before,
//! so a run is repeatable up to the order in which concurrent calls arrive.
//!
//! HTTP/1.1 as the SDK speaks it: keep-alive connections, `Content-Length` (or chunked)
//! bodies, `Expect: 100-continue`. Each forwarded request uses a fresh connection to moto.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to the traffic; change it between runs with [`Proxy::set`].
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub seed: u64,
    /// Operation name (`CreateDBInstance`) → how long to hold the request before forwarding.
    pub delays: HashMap<String, Duration>,
    /// (operation, text its decoded body contains, delay): ahead of `delays` (a
    /// single-AZ create is faster than a Multi-AZ one).
    pub delays_if: Vec<(String, String, Duration)>,
    /// Operation names whose requests wait here until the test takes them out of this set
    /// (with [`Proxy::set`]): a step that is still running for as long as the test needs.
    pub held: HashSet<String>,
    /// Share (0..1) of all calls answered with throttling, 500 or 503 without reaching moto.
    pub transient: f64,
    /// Share (0..1) of mutating calls that moto performs but whose answer is replaced by 503.
    pub lost: f64,
    /// Lose the answer of the first call of every mutating operation (after moto did it).
    pub lose_first: bool,
    /// Refuse deletes AWS refuses while dependants remain (`DependencyViolation`).
    pub refuse_premature_deletes: bool,
    /// Calls answered with a permanent error instead of reaching moto.
    pub permanent: Vec<Permanent>,
    /// Resources AWS answers the create of at once but makes ready later (ahead of
    /// `delays` for their create calls).
    pub ready_after: Vec<ReadyAfter>,
}

/// A resource whose create call passes at once but which is ready only `after` it: until
/// then every answer that names it says so (`ready` in it reads `pending`: "available"
/// becomes "creating"), as AWS answers. Where a create call's whole latency sits on the
/// call itself (`delays`), a run that only starts it could not end before it is ready;
/// this is the model for one that does.
#[derive(Debug, Clone)]
pub struct ReadyAfter {
    pub op: String,
    /// Its (decoded) body contains this ("MultiAZ=false"; "" for every call).
    pub contains: String,
    /// Where its name is.
    pub name: NameIn,
    pub after: Duration,
    /// The text of an answer that says it is ready, and what it says until then.
    pub ready: String,
    pub pending: String,
}

#[derive(Debug, Clone)]
pub enum NameIn {
    /// A parameter of the create call (`DBInstanceIdentifier`).
    Request(String),
    /// The element of the answer AWS names it in (`natGatewayId`).
    Answer(String),
    /// The field of a JSON answer AWS names it in (`MountTargetId`).
    AnswerJson(String),
}

/// A permanent error for every call of `op` whose (decoded) body contains `contains`.
#[derive(Debug, Clone)]
pub struct Permanent {
    pub op: String,
    pub contains: String,
    pub code: String,
    pub message: String,
}

/// What happened, per operation.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub calls: BTreeMap<String, usize>,
    pub transient: BTreeMap<String, usize>,
    pub lost: BTreeMap<String, usize>,
    pub refused: BTreeMap<String, usize>,
    pub permanent: BTreeMap<String, usize>,
    /// When each operation was first called.
    pub first: BTreeMap<String, std::time::Instant>,
}

pub struct Proxy {
    pub endpoint: String,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Shared {
    upstream: SocketAddr,
    faults: Mutex<Faults>,
    stats: Mutex<Stats>,
    /// Resources not ready yet (`ReadyAfter`): their names, when they will be, and what
    /// their answers say until then.
    pending: Mutex<Vec<(String, std::time::Instant, ReadyAfter)>>,
}

impl Proxy {
    /// A proxy on a free loopback port in front of the moto at `upstream`
    /// (`http://127.0.0.1:PORT`), on a runtime of its own so it never depends on what the
    /// test's threads are doing.
    pub fn start(upstream: &str, faults: Faults) -> Proxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .parse()
            .expect("moto endpoint is http://IP:PORT");
        let shared = Arc::new(Shared {
            upstream,
            faults: Mutex::new(faults),
            stats: Mutex::default(),
            pending: Mutex::default(),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener).unwrap();
                let moto = Arc::new(moto_clients(upstream).await);
                tokio::select! {
                    _ = stopped => {}
                    _ = accept_loop(listener, state, moto) => {}
                }
            });
            rt.shutdown_background();
        });
        Proxy {
            endpoint,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Change the faults for the calls from now on.
    pub fn set(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.shared.faults.lock().unwrap());
    }

    pub fn stats(&self) -> Stats {
        self.shared.stats.lock().unwrap().clone()
    }

    pub fn reset_stats(&self) {
        *self.shared.stats.lock().unwrap() = Stats::default();
    }

    /// `hawiz` with a private data dir, talking to AWS (moto) through this proxy.
    pub fn hawiz(&self, home: &std::path::Path) -> std::process::Command {
        super::hawiz_command(&self.endpoint, home)
    }

    pub fn run(&self, home: &std::path::Path, args: &[&str]) -> super::Run {
        super::Run::from(self.hawiz(home).args(args).output().expect("run hawiz"))
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn moto_clients(upstream: SocketAddr) -> hawiz::aws::Clients {
    let target = hawiz::aws::Target {
        endpoint: Some(format!("http://{upstream}")),
        sandbox: true,
        ..Default::default()
    };
    hawiz::aws::Clients::new(super::REGION, &target).await
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, moto: Arc<hawiz::aws::Clients>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        let moto = moto.clone();
        tokio::spawn(async move {
            // A client that hangs up mid-request is not the proxy's problem.
            let _ = connection(stream, shared, moto).await;
        });
    }
}

/// One client connection: requests one after another until the client closes it.
async fn connection(
    stream: TcpStream,
    shared: Arc<Shared>,
    moto: Arc<hawiz::aws::Clients>,
) -> io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    while let Some(req) = read_request(&mut r, &mut w).await? {
        let resp = handle(&shared, &moto, req).await?;
        write_response(&mut w, &resp).await?;
    }
    Ok(())
}

// --- HTTP/1.1 messages --------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Start line and headers; `None` at a clean end of stream.
async fn read_head<R: AsyncBufReadExt + Unpin>(
    r: &mut R,
) -> io::Result<Option<(String, Vec<(String, String)>)>> {
    let mut start = String::new();
    if r.read_line(&mut start).await? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "truncated head",
            ));
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(Some((start.trim_end().to_string(), headers)))
}

/// The body as framed by the headers; `to_eof` for a response without framing.
async fn read_body<R: AsyncBufReadExt + Unpin>(
    r: &mut R,
    headers: &[(String, String)],
    to_eof: bool,
) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    if header(headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).await?;
            let size = size.trim().split(';').next().unwrap_or("0");
            let n = usize::from_str_radix(size, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if n == 0 {
                // Trailers, then the empty line.
                while read_head_line(r).await? {}
                return Ok(body);
            }
            let start = body.len();
            body.resize(start + n, 0);
            r.read_exact(&mut body[start..]).await?;
            let mut crlf = [0u8; 2];
            r.read_exact(&mut crlf).await?;
        }
    } else if let Some(n) = header(headers, "content-length") {
        let n: usize = n
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad content-length"))?;
        body.resize(n, 0);
        r.read_exact(&mut body).await?;
    } else if to_eof {
        r.read_to_end(&mut body).await?;
    }
    Ok(body)
}

/// Reads one line; false when it was empty (the end of a header block).
async fn read_head_line<R: AsyncBufReadExt + Unpin>(r: &mut R) -> io::Result<bool> {
    let mut line = String::new();
    let n = r.read_line(&mut line).await?;
    Ok(n > 0 && !line.trim_end().is_empty())
}

async fn read_request<R: AsyncBufReadExt + Unpin, W: AsyncWrite + Unpin>(
    r: &mut R,
    w: &mut W,
) -> io::Result<Option<Request>> {
    let Some((start, headers)) = read_head(r).await? else {
        return Ok(None);
    };
    let mut parts = start.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or("/").to_string();
    if header(&headers, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        w.flush().await?;
    }
    let body = read_body(r, &headers, false).await?;
    Ok(Some(Request {
        method,
        target,
        headers,
        body,
    }))
}

/// Hop-by-hop headers and framing, which each side of the proxy sets for itself.
fn end_to_end(headers: &[(String, String)]) -> impl Iterator<Item = &(String, String)> {
    const HOP: [&str; 6] = [
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "expect",
        "proxy-connection",
    ];
    headers
        .iter()
        .filter(|(k, _)| !HOP.iter().any(|h| k.eq_ignore_ascii_case(h)))
}

async fn write_response<W: AsyncWrite + Unpin>(w: &mut W, resp: &Response) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in end_to_end(&resp.headers) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", resp.body.len()));
    w.write_all(head.as_bytes()).await?;
    w.write_all(&resp.body).await?;
    w.flush().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// The request as moto gets it, on a connection of its own that moto closes.
async fn forward(upstream: SocketAddr, req: &Request) -> io::Result<Response> {
    let mut s = TcpStream::connect(upstream).await?;
    let mut head = format!("{} {} HTTP/1.1\r\n", req.method, req.target);
    for (k, v) in end_to_end(&req.headers) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        req.body.len()
    ));
    s.write_all(head.as_bytes()).await?;
    s.write_all(&req.body).await?;
    s.flush().await?;
    let mut r = BufReader::new(s);
    let (start, headers) = read_head(&mut r)
        .await?
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "moto closed"))?;
    let status: u16 = start
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad status line"))?;
    let body = if status == 204 || status == 304 || (100..200).contains(&status) {
        Vec::new()
    } else {
        read_body(&mut r, &headers, true).await?
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

// --- Which operation a request is ----------------------------------------------------

/// How a service frames errors (so a faked answer reads like the real one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// EC2 query: `<Response><Errors><Error>`.
    Ec2,
    /// Other query services (RDS, IAM, ELBv2, Auto Scaling, STS): `<ErrorResponse>`.
    Query,
    /// JSON with `X-Amz-Target` (SSM, ACM).
    Json,
    /// REST with JSON bodies (EFS).
    RestJson,
    /// REST with XML bodies (Route 53).
    RestXml,
    /// Smithy RPC v2 CBOR (CloudWatch): `POST /service/<target>/operation/<Op>`.
    Cbor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The signing name from the credential scope, e.g. `ec2`, `elasticfilesystem`.
    pub service: String,
    /// The API operation, e.g. `CreateVpc`, `PutParameter`, `CreateMountTarget`.
    pub op: String,
    pub protocol: Protocol,
    /// Form parameters of a query-protocol call (decoded).
    pub params: BTreeMap<String, String>,
}

impl Call {
    /// Changes something (so losing its answer matters).
    pub fn mutating(&self, method: &str) -> bool {
        match self.protocol {
            Protocol::RestJson | Protocol::RestXml => method != "GET",
            _ => !["Describe", "List", "Get"]
                .iter()
                .any(|p| self.op.starts_with(p)),
        }
    }
}

/// EFS and Route 53 name their operations by method and path; `*` is an ID.
const REST: &[(&str, &str, &str)] = &[
    ("POST", "/2015-02-01/file-systems", "CreateFileSystem"),
    ("GET", "/2015-02-01/file-systems", "DescribeFileSystems"),
    ("PUT", "/2015-02-01/file-systems/*", "UpdateFileSystem"),
    ("DELETE", "/2015-02-01/file-systems/*", "DeleteFileSystem"),
    (
        "PUT",
        "/2015-02-01/file-systems/*/lifecycle-configuration",
        "PutLifecycleConfiguration",
    ),
    (
        "GET",
        "/2015-02-01/file-systems/*/lifecycle-configuration",
        "DescribeLifecycleConfiguration",
    ),
    (
        "PUT",
        "/2015-02-01/file-systems/*/backup-policy",
        "PutBackupPolicy",
    ),
    ("POST", "/2015-02-01/mount-targets", "CreateMountTarget"),
    ("GET", "/2015-02-01/mount-targets", "DescribeMountTargets"),
    ("DELETE", "/2015-02-01/mount-targets/*", "DeleteMountTarget"),
    (
        "GET",
        "/2015-02-01/mount-targets/*/security-groups",
        "DescribeMountTargetSecurityGroups",
    ),
    (
        "PUT",
        "/2015-02-01/mount-targets/*/security-groups",
        "ModifyMountTargetSecurityGroups",
    ),
    ("POST", "/2015-02-01/resource-tags/*", "TagResource"),
    ("GET", "/2015-02-01/resource-tags/*", "ListTagsForResource"),
    ("DELETE", "/2015-02-01/resource-tags/*", "UntagResource"),
    ("POST", "/2013-04-01/hostedzone", "CreateHostedZone"),
    ("GET", "/2013-04-01/hostedzone", "ListHostedZones"),
    ("GET", "/2013-04-01/hostedzone/*", "GetHostedZone"),
    ("DELETE", "/2013-04-01/hostedzone/*", "DeleteHostedZone"),
    (
        "POST",
        "/2013-04-01/hostedzone/*/rrset",
        "ChangeResourceRecordSets",
    ),
    (
        "GET",
        "/2013-04-01/hostedzone/*/rrset",
        "ListResourceRecordSets",
    ),
    (
        "GET",
        "/2013-04-01/hostedzonesbyname",
        "ListHostedZonesByName",
    ),
    (
        "POST",
        "/2013-04-01/tags/hostedzone/*",
        "ChangeTagsForResource",
    ),
    (
        "GET",
        "/2013-04-01/tags/hostedzone/*",
        "ListTagsForResource",
    ),
    ("GET", "/2013-04-01/change/*", "GetChange"),
    ("POST", "/2013-04-01/healthcheck", "CreateHealthCheck"),
    ("DELETE", "/2013-04-01/healthcheck/*", "DeleteHealthCheck"),
];

fn rest_op(method: &str, path: &str) -> Option<&'static str> {
    let path = path
        .split('?')
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    let segs: Vec<&str> = path.split('/').collect();
    REST.iter()
        .find(|(m, pattern, _)| {
            let pat: Vec<&str> = pattern.split('/').collect();
            *m == method
                && pat.len() == segs.len()
                && pat.iter().zip(&segs).all(|(p, s)| *p == "*" || p == s)
        })
        .map(|(_, _, op)| *op)
}

/// `Credential=AKID/20260101/ap-northeast-2/ec2/aws4_request` → `ec2`.
fn signing_service(headers: &[(String, String)]) -> Option<String> {
    let auth = header(headers, "authorization")?;
    let cred = auth.split("Credential=").nth(1)?;
    cred.split(['/', ',']).nth(3).map(str::to_string)
}

/// `application/x-www-form-urlencoded` → its pairs.
pub fn form(body: &str) -> BTreeMap<String, String> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(b)) => {
                out.push(b);
                i += 2;
            }
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Which operation a request is, from how its protocol names it.
pub fn identify(method: &str, target: &str, headers: &[(String, String)], body: &[u8]) -> Call {
    let service = signing_service(headers).unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default();
    if let Some(t) = header(headers, "x-amz-target") {
        return Call {
            service,
            op: t.rsplit('.').next().unwrap_or(t).to_string(),
            protocol: Protocol::Json,
            params: BTreeMap::new(),
        };
    }
    if let Some(op) = path
        .strip_prefix("/service/")
        .and_then(|rest| rest.split_once("/operation/"))
        .map(|(_, op)| op.to_string())
    {
        return Call {
            service,
            op,
            protocol: Protocol::Cbor,
            params: BTreeMap::new(),
        };
    }
    let protocol = if path.starts_with("/2015-02-01/") {
        Some(Protocol::RestJson)
    } else if path.starts_with("/2013-04-01/") {
        Some(Protocol::RestXml)
    } else {
        None
    };
    if let Some(protocol) = protocol {
        let op = rest_op(method, path)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{method} {path}"));
        return Call {
            service,
            op,
            protocol,
            params: BTreeMap::new(),
        };
    }
    // Query protocol: the action is a form parameter (in the URL for a GET).
    let mut params = form(&String::from_utf8_lossy(body));
    if let Some((_, q)) = target.split_once('?') {
        params.extend(form(q));
    }
    let op = params
        .get("Action")
        .cloned()
        .unwrap_or_else(|| format!("{method} {path}"));
    let protocol = if service == "ec2" {
        Protocol::Ec2
    } else {
        Protocol::Query
    };
    Call {
        service,
        op,
        protocol,
        params,
    }
}

// --- Faked answers ---------------------------------------------------------------------

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An error answer in the service's own format.
pub fn error(protocol: Protocol, status: u16, code: &str, message: &str) -> Response {
    let (code_x, msg_x) = (xml_escape(code), xml_escape(message));
    let xml = |body: String| Response {
        status,
        headers: vec![("Content-Type".into(), "text/xml".into())],
        body: body.into_bytes(),
    };
    match protocol {
        Protocol::Ec2 => xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code_x}</Code><Message>{msg_x}</Message></Error></Errors><RequestID>hawiz-test-proxy</RequestID></Response>"
        )),
        Protocol::Query | Protocol::RestXml => xml(format!(
            "<?xml version=\"1.0\"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>{code_x}</Code><Message>{msg_x}</Message></Error><RequestId>hawiz-test-proxy</RequestId></ErrorResponse>"
        )),
        Protocol::Cbor => Response {
            status,
            headers: vec![
                ("Content-Type".into(), "application/cbor".into()),
                ("smithy-protocol".into(), "rpc-v2-cbor".into()),
            ],
            body: cbor_text_map(&[("__type", code), ("message", message)]),
        },
        Protocol::Json | Protocol::RestJson => {
            let body =
                serde_json::json!({ "__type": code, "message": message, "Message": message });
            Response {
                status,
                headers: vec![
                    (
                        "Content-Type".into(),
                        if protocol == Protocol::Json {
                            "application/x-amz-json-1.1".into()
                        } else {
                            "application/json".into()
                        },
                    ),
                    ("x-amzn-ErrorType".into(), code.into()),
                ],
                body: body.to_string().into_bytes(),
            }
        }
    }
}

/// A CBOR map of text strings (all an RPC v2 error body needs).
fn cbor_text_map(pairs: &[(&str, &str)]) -> Vec<u8> {
    fn head(major: u8, len: usize, out: &mut Vec<u8>) {
        let m = major << 5;
        match len {
            0..=23 => out.push(m | len as u8),
            24..=0xff => out.extend([m | 24, len as u8]),
            _ => {
                out.push(m | 25);
                out.extend((len as u16).to_be_bytes());
            }
        }
    }
    let mut out = Vec::new();
    head(5, pairs.len(), &mut out);
    for (k, v) in pairs {
        for text in [k, v] {
            head(3, text.len(), &mut out);
            out.extend(text.as_bytes());
        }
    }
    out
}

/// "Slow down", in the words each service uses.
fn throttled(protocol: Protocol) -> Response {
    match protocol {
        Protocol::Ec2 => error(
            protocol,
            503,
            "RequestLimitExceeded",
            "Request limit exceeded.",
        ),
        Protocol::Query | Protocol::RestXml => error(protocol, 400, "Throttling", "Rate exceeded"),
        Protocol::Json | Protocol::RestJson | Protocol::Cbor => {
            error(protocol, 400, "ThrottlingException", "Rate exceeded")
        }
    }
}

/// A uniform number in [0, 1) from the seed, the operation and its call number.
fn chance(seed: u64, op: &str, n: usize, salt: u64) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in op.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let mut x = seed ^ h ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt;
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

fn bump(map: &mut BTreeMap<String, usize>, op: &str) -> usize {
    let n = map.entry(op.to_string()).or_default();
    *n += 1;
    *n
}

async fn handle(shared: &Shared, moto: &hawiz::aws::Clients, req: Request) -> io::Result<Response> {
    let call = identify(&req.method, &req.target, &req.headers, &req.body);
    let faults = shared.faults.lock().unwrap().clone();
    let n = {
        let mut stats = shared.stats.lock().unwrap();
        stats
            .first
            .entry(call.op.clone())
            .or_insert_with(std::time::Instant::now);
        bump(&mut stats.calls, &call.op)
    };

    let text = String::from_utf8_lossy(&req.body);
    let decoded = decode(&text);
    let ready_after = faults
        .ready_after
        .iter()
        .find(|r| r.op == call.op && decoded.contains(r.contains.as_str()))
        .cloned();
    let delay = faults
        .delays_if
        .iter()
        .find(|(op, contains, _)| *op == call.op && decoded.contains(contains.as_str()))
        .map(|(_, _, d)| d)
        .or_else(|| faults.delays.get(&call.op))
        .filter(|_| ready_after.is_none());
    if let Some(d) = delay {
        tokio::time::sleep(*d).await;
    }
    loop {
        let held = shared.faults.lock().unwrap().held.contains(&call.op);
        if !held {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    if let Some(p) = faults
        .permanent
        .iter()
        .find(|p| p.op == call.op && decoded.contains(&p.contains))
    {
        bump(&mut shared.stats.lock().unwrap().permanent, &call.op);
        return Ok(error(call.protocol, 400, &p.code, &p.message));
    }
    if chance(faults.seed, &call.op, n, 1) < faults.transient {
        bump(&mut shared.stats.lock().unwrap().transient, &call.op);
        return Ok(match (chance(faults.seed, &call.op, n, 2) * 3.0) as u32 {
            0 => throttled(call.protocol),
            1 => error(
                call.protocol,
                500,
                "InternalError",
                "An internal error has occurred",
            ),
            _ => error(
                call.protocol,
                503,
                "ServiceUnavailable",
                "Service unavailable",
            ),
        });
    }
    if faults.refuse_premature_deletes
        && let Some(why) = super::refuse::premature(moto, &call).await
    {
        bump(&mut shared.stats.lock().unwrap().refused, &call.op);
        eprintln!("test proxy: refused {}: {why}", call.op);
        return Ok(error(call.protocol, 400, "DependencyViolation", &why));
    }
    let mut resp = match forward(shared.upstream, &req).await {
        Ok(r) => r,
        Err(e) => error(call.protocol, 502, "ProxyError", &format!("moto: {e}")),
    };
    // An answer about a resource not ready yet says so.
    let now = std::time::Instant::now();
    for (name, at, r) in shared.pending.lock().unwrap().iter() {
        let body = String::from_utf8_lossy(&resp.body).to_string();
        if *at > now && body.contains(name.as_str()) && body.contains(r.ready.as_str()) {
            resp.body = body.replace(&r.ready, &r.pending).into_bytes();
        }
    }
    if let Some(r) = ready_after
        && resp.status < 300
    {
        let name = match &r.name {
            NameIn::Request(param) => form(&text).get(param).cloned(),
            NameIn::Answer(element) => {
                let body = String::from_utf8_lossy(&resp.body);
                let open = format!("<{element}>");
                body.find(&open).and_then(|i| {
                    let rest = &body[i + open.len()..];
                    rest.find('<').map(|j| rest[..j].to_string())
                })
            }
            NameIn::AnswerJson(field) => serde_json::from_slice::<serde_json::Value>(&resp.body)
                .ok()
                .and_then(|v| v.get(field)?.as_str().map(str::to_string)),
        };
        if let Some(name) = name {
            let at = std::time::Instant::now() + r.after;
            shared.pending.lock().unwrap().push((name, at, r));
        }
    }
    let lose = (faults.lose_first && n == 1) || chance(faults.seed, &call.op, n, 3) < faults.lost;
    if call.mutating(&req.method) && lose {
        bump(&mut shared.stats.lock().unwrap().lost, &call.op);
        // Done in moto, but the client never hears: as when a connection drops.
        return Ok(Response {
            status: 503,
            headers: vec![],
            body: vec![],
        });
    }
    Ok(resp)
}
