#!/bin/bash
# hawiz-setup: makes this app instance serve the stack's WordPress, at every boot.
# Apache answers 503 (and never the web installer) until this script ends well; then the
# instance tells its Auto Scaling group CONTINUE (or ABANDON on a failure). Secrets come
# from SSM into memory only. Every path can be overridden (tests run it unprivileged).
# `hawiz: ...` lines go to the console, where hawiz reads what the instance is doing.
set -eEuo pipefail
shopt -s inherit_errexit nullglob
export LC_ALL=C

HAWIZ_ENV=${HAWIZ_ENV:-/etc/hawiz/stack.env}
HAWIZ_SHARED=${HAWIZ_SHARED:-/var/www/hawiz}         # the EFS (or local) files
HAWIZ_RUN=${HAWIZ_RUN:-/run/hawiz}                   # this boot only: the ready marker
HAWIZ_LIB=${HAWIZ_LIB:-/usr/local/share/hawiz}       # the health check page
HAWIZ_HTTPD_CONF=${HAWIZ_HTTPD_CONF:-/etc/httpd/conf.d}
HAWIZ_WP_CLI=${HAWIZ_WP_CLI:-/usr/local/bin/wp}
HAWIZ_RDS_CA=${HAWIZ_RDS_CA:-/etc/pki/tls/certs/rds-global-bundle.pem}
HAWIZ_FSTAB=${HAWIZ_FSTAB:-/etc/fstab}
HAWIZ_DB_PHP=${HAWIZ_DB_PHP:-/etc/hawiz/db.php}      # this instance's database address
HAWIZ_IMDS=${HAWIZ_IMDS:-http://169.254.169.254}
HAWIZ_WEB_USER=${HAWIZ_WEB_USER:-apache}
HAWIZ_DB_PORT=${HAWIZ_DB_PORT:-3306}
# Bounds, in seconds; backoff between tries, in milliseconds.
HAWIZ_ENDPOINT_WAIT=${HAWIZ_ENDPOINT_WAIT:-3600}
HAWIZ_PARAM_WAIT=${HAWIZ_PARAM_WAIT:-300}
HAWIZ_DB_WAIT=${HAWIZ_DB_WAIT:-900}
HAWIZ_MOUNT_WAIT=${HAWIZ_MOUNT_WAIT:-900}
HAWIZ_REPLICA_WAIT=${HAWIZ_REPLICA_WAIT:-3600}
HAWIZ_LOCK_WAIT=${HAWIZ_LOCK_WAIT:-1800}
HAWIZ_RETRY_FIRST_MS=${HAWIZ_RETRY_FIRST_MS:-2000}
HAWIZ_RETRY_MAX_MS=${HAWIZ_RETRY_MAX_MS:-60000}
WP_CLI_VERSION=2.11.0

ROOT=$HAWIZ_SHARED/html                 # the web root: WordPress and nothing else
STATE=$HAWIZ_SHARED/state               # the install lock, downloads, the verified mark
VERIFIED=$STATE/wordpress-verified      # html/ holds a complete, checked WordPress
READY=$HAWIZ_RUN/ready                  # this instance is set up (Apache's gate)
PASSWORD_RE='^[A-Za-z0-9]{8,128}$'      # what hawiz generates; anything else is refused
HOST_RE='^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$'
URL_RE='^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$'
IDENT_RE='^[A-Za-z][A-Za-z0-9_]{0,63}$'

phase() { echo "hawiz: $*" >&8; }
# Text on one line, blanks squeezed.
oneline() { tr -s '\n\t ' '   ' | sed 's/^ //; s/ $//'; }
wp() { wp_in "$ROOT" "$@"; }
wp_in() { local dir=$1; shift; "$HAWIZ_WP_CLI" --path="$dir" --allow-root "$@"; }

# Stop: say why, and have the group replace this instance.
fail() {
  phase "FAILED: $*"
  ABANDONED=1
  lifecycle ABANDON
  exit 1
}
on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -z ${ABANDONED:-} ]]; then
    ABANDONED=1
    phase "FAILED: ${FAILED_AT:-exit status $rc}"
    lifecycle ABANDON
  fi
}

# Sleep the current backoff, then double it (up to the cap).
backoff() {
  local ms=$DELAY_MS
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  DELAY_MS=$((ms * 2 > HAWIZ_RETRY_MAX_MS ? HAWIZ_RETRY_MAX_MS : ms * 2))
}

load_env() {
  [[ -r $HAWIZ_ENV ]] || fail "$HAWIZ_ENV is missing"
  # shellcheck source=/dev/null
  . "$HAWIZ_ENV"
  local v
  for v in REGION PARAMETERS FILE_SYSTEM DB_NAME DB_MASTER_USER WP_DB_USER ADMIN_USER ADMIN_EMAIL SITE_TITLE; do
    [[ -n ${!v:-} ]] || fail "$HAWIZ_ENV has no $v"
  done
  for v in DB_NAME DB_MASTER_USER WP_DB_USER; do
    [[ ${!v} =~ $IDENT_RE ]] || fail "$v=${!v} is not a plain identifier (letters, digits, _)"
  done
  [[ $REGION =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || fail "REGION=$REGION is not an AWS region name"
}

# --- SSM ---------------------------------------------------------------------------------
# One read of a parameter: PARAM_VALUE, or PARAM_CAUSE (the AWS CLI's error, with the fix).
param_read() {
  local name=$1 err
  PARAM_VALUE='' PARAM_CAUSE=''
  if PARAM_VALUE=$(aws ssm get-parameter --region "$REGION" --name "$PARAMETERS/$name" \
    --with-decryption --query Parameter.Value --output text 2>"$HAWIZ_RUN/ssm.err"); then
    return 0
  fi
  err=$(oneline <"$HAWIZ_RUN/ssm.err")
  case $err in
    *ParameterNotFound*)
      PARAM_CAUSE="SSM parameter $PARAMETERS/$name is not published yet (hawiz publishes it; db-endpoint comes when the database is up, minutes after the instances)" ;;
    *AccessDenied* | *"not authorized"*)
      PARAM_CAUSE="SSM denied reading $PARAMETERS/$name (AccessDenied): the instance role must allow ssm:GetParameter (and kms:Decrypt) on $PARAMETERS/*, and the account's permissions boundary must allow it too. AWS said: $err" ;;
    *"Could not connect"* | *"Connect timeout"* | *"Read timeout"* | *"Connection was closed"*)
      PARAM_CAUSE="cannot reach SSM (ssm.$REGION.amazonaws.com): no route from this subnet; check the private subnets' default route to the NAT gateway (or an SSM VPC endpoint). AWS said: $err" ;;
    *"Unable to locate credentials"*)
      PARAM_CAUSE="no AWS credentials on this instance: the launch template's instance profile is missing or the metadata service (IMDSv2) does not answer" ;;
    *)
      PARAM_CAUSE="reading SSM parameter $PARAMETERS/$name failed: ${err:-the AWS CLI failed with no message}" ;;
  esac
  return 1
}

# A parameter, once: its value, or a `hawiz:` line saying why not.
param() {
  if param_read "$1"; then
    printf '%s\n' "$PARAM_VALUE"
  else
    phase "$PARAM_CAUSE"
    return 1
  fi
}

# A parameter, retried with backoff: `wait_param NAME PATTERN [SECONDS]`. A missing one is
# waited for SECONDS (default HAWIZ_PARAM_WAIT), any other cause HAWIZ_PARAM_WAIT; each
# cause is shown once. A value not matching PATTERN is refused (and not shown).
wait_param() {
  local name=$1 pattern=$2 missing_wait=${3:-$HAWIZ_PARAM_WAIT} start=$EPOCHSECONDS shown='' limit
  DELAY_MS=$HAWIZ_RETRY_FIRST_MS
  until param_read "$name"; do
    if [[ $PARAM_CAUSE != "$shown" ]]; then
      phase "$PARAM_CAUSE"
      shown=$PARAM_CAUSE
    fi
    limit=$HAWIZ_PARAM_WAIT
    [[ $PARAM_CAUSE == *"not published yet"* ]] && limit=$missing_wait
    if ((EPOCHSECONDS - start >= limit)); then
      phase "gave up on SSM parameter $PARAMETERS/$name after $((EPOCHSECONDS - start)) s"
      return 1
    fi
    backoff
  done
  if [[ ! $PARAM_VALUE =~ $pattern ]]; then
    phase "SSM parameter $PARAMETERS/$name does not look like what hawiz writes there: refusing it"
    return 1
  fi
  [[ -z $shown ]] || phase "read SSM parameter $PARAMETERS/$name"
  printf '%s\n' "$PARAM_VALUE"
}

# The salts: exactly the 8 define() lines WordPress wants, each key 64 characters that
# need no escaping in a PHP single-quoted string.
check_salts() {
  local line key seen=' ' count=0
  local re="^define\('(AUTH_KEY|SECURE_AUTH_KEY|LOGGED_IN_KEY|NONCE_KEY|AUTH_SALT|SECURE_AUTH_SALT|LOGGED_IN_SALT|NONCE_SALT)', '([!-~]{64})'\);$"
  while IFS= read -r line; do
    [[ $line =~ $re ]] || return 1
    key=${BASH_REMATCH[1]}
    [[ ${BASH_REMATCH[2]} != *[\'\"\\\`]* && $seen != *" $key "* ]] || return 1
    seen+="$key "
    count=$((count + 1))
  done <<<"$1"
  ((count == 8))
}

# --- Apache ------------------------------------------------------------------------------
# Written before httpd starts: 503 until this instance is ready (except the health check),
# and never the web installer. The DocumentRoot is the shared html/.
write_httpd_conf() {
  local p
  for p in "$ROOT" "$STATE" "$HAWIZ_LIB" "$READY"; do
    [[ $p =~ ^/[A-Za-z0-9/._-]+$ ]] || fail "unusable path for Apache and PHP: $p"
  done
  mkdir -p "$HAWIZ_HTTPD_CONF" "$HAWIZ_LIB"
  cat >"$HAWIZ_HTTPD_CONF/hawiz.conf.new" <<CONF
# Written by hawiz-setup at every boot.
DocumentRoot "$ROOT"
<Directory "$ROOT">
    Options SymLinksIfOwnerMatch
    AllowOverride None
    Require all granted
</Directory>
DirectoryIndex index.php index.html
<Directory "$STATE">
    Require all denied
</Directory>
# WordPress is installed from the console: its web installer is never served.
<Directory "$ROOT/wp-admin">
    <FilesMatch "^(install|setup-config)\.php$">
        Require all denied
    </FilesMatch>
</Directory>
# The load balancer's health check (files only, never the database).
Alias "/hawiz-health" "$HAWIZ_LIB/health.php"
<Directory "$HAWIZ_LIB">
    Require all granted
</Directory>
RewriteEngine On
RewriteRule "^/+wp-admin/+(install|setup-config)\.php" - [F,NC]
# Until this instance is set up: 503 and a short page.
RewriteCond "$READY" !-f
RewriteCond "%{REQUEST_URI}" "!=/hawiz-health"
RewriteRule "^" - [R=503]
ErrorDocument 503 "<!doctype html><title>Setting up</title><p>This server is setting up. Please try again in a minute.</p>"
# Which region answered: a failover drill tells the standby's answers by it.
<IfModule mod_headers.c>
    Header always set X-Hawiz-Region "$REGION"
</IfModule>
CONF
  mv "$HAWIZ_HTTPD_CONF/hawiz.conf.new" "$HAWIZ_HTTPD_CONF/hawiz.conf"
  cat >"$HAWIZ_LIB/health.php.new" <<PHP
<?php
// hawiz: 200 only when WordPress is installed and configured on this instance.
\$root = '$ROOT';
\$why = null;
if (!is_file('$READY')) { \$why = 'setup has not finished on this instance'; }
elseif (!is_readable("\$root/wp-config.php")) { \$why = 'wp-config.php is missing or unreadable'; }
else {
    foreach (['index.php', 'wp-load.php', 'wp-settings.php', 'wp-includes/version.php'] as \$f) {
        if (!is_file("\$root/\$f")) { \$why = "\$f is missing"; break; }
    }
}
header('Content-Type: text/plain');
header('Cache-Control: no-store');
if (\$why !== null) { http_response_code(503); echo "not ready: \$why\n"; } else { echo "ok\n"; }
PHP
  chmod 0644 "$HAWIZ_LIB/health.php.new"
  mv "$HAWIZ_LIB/health.php.new" "$HAWIZ_LIB/health.php"
}

start_httpd() {
  systemctl enable httpd
  systemctl restart httpd
}

# --- Files -------------------------------------------------------------------------------
mount_shared() {
  mkdir -p "$HAWIZ_SHARED"
  if [[ $FILE_SYSTEM == none ]]; then
    phase "no shared file system: WordPress lives on this instance's disk"
  else
    phase "mounting the shared file system $FILE_SYSTEM"
    grep -qF "$FILE_SYSTEM:/ $HAWIZ_SHARED " "$HAWIZ_FSTAB" ||
      echo "$FILE_SYSTEM:/ $HAWIZ_SHARED efs _netdev,tls,noresvport 0 0" >>"$HAWIZ_FSTAB"
    local start=$EPOCHSECONDS shown='' err
    DELAY_MS=$HAWIZ_RETRY_FIRST_MS
    until mountpoint -q "$HAWIZ_SHARED"; do
      ((EPOCHSECONDS - start < HAWIZ_MOUNT_WAIT)) || fail "could not mount $FILE_SYSTEM in $HAWIZ_MOUNT_WAIT s"
      if ! err=$(mount "$HAWIZ_SHARED" 2>&1); then
        [[ $err == "$shown" ]] || phase "mounting $FILE_SYSTEM failed (mount targets may still be coming up): $err"
        shown=$err
      fi
      mountpoint -q "$HAWIZ_SHARED" || backoff
    done
  fi
  if ! shared_writable; then
    STANDBY=1
    phase "the shared files are read-only (a standby region's replica of the primary's): serving the primary's WordPress read-only until failover"
    return 0
  fi
  mkdir -p "$ROOT" "$STATE"
  chmod 0700 "$STATE"
}

# Whether this instance may write the shared files: a failover standby's are an EFS
# replica, read-only until `hawiz failover` ends the replication (the instances that boot
# after that set up as the primary's do).
shared_writable() {
  local probe=$HAWIZ_SHARED/.hawiz-write-probe.$$
  { : >"$probe"; } 2>/dev/null && rm -f "$probe"
}

# A standby's files arrive by replication, minutes after the primary wrote them: wait for
# a checked WordPress and its wp-config.php.
wait_replicated() {
  local start=$EPOCHSECONDS
  DELAY_MS=$HAWIZ_RETRY_FIRST_MS
  until [[ -e $VERIFIED && -f $ROOT/wp-config.php ]]; do
    ((EPOCHSECONDS - start < HAWIZ_REPLICA_WAIT)) ||
      fail "the primary's WordPress has not arrived in the replicated files after $HAWIZ_REPLICA_WAIT s (is the primary's site installed? is the replication ENABLED?)"
    [[ -n ${shown_replica:-} ]] || phase "waiting for the primary's WordPress to arrive by replication"
    shown_replica=1
    backoff
  done
}

install_wp_cli() {
  [[ -x $HAWIZ_WP_CLI ]] && return 0
  phase "installing WP-CLI $WP_CLI_VERSION"
  local base="https://github.com/wp-cli/wp-cli/releases/download/v$WP_CLI_VERSION" dir sum
  dir=$(mktemp -d "$HAWIZ_RUN/wp-cli.XXXXXX")
  curl -fsSL --retry 10 -o "$dir/wp-cli.phar" "$base/wp-cli-$WP_CLI_VERSION.phar"
  sum=$(curl -fsSL --retry 10 "$base/wp-cli-$WP_CLI_VERSION.phar.sha512")
  sum=${sum%%[[:space:]]*}
  [[ $sum =~ ^[0-9a-f]{128}$ ]] || fail "WP-CLI's published SHA-512 is not a SHA-512"
  (cd "$dir" && echo "$sum  wp-cli.phar" | sha512sum -c -) >&8 ||
    fail "the WP-CLI download does not match its published SHA-512"
  install -m 0755 "$dir/wp-cli.phar" "$HAWIZ_WP_CLI"
  rm -rf "$dir"
}

fetch_rds_ca() {
  [[ -s $HAWIZ_RDS_CA ]] && return 0
  curl -fsSL --retry 10 -o "$HAWIZ_RDS_CA.new" https://truststore.pds.rds.amazonaws.com/global/global-bundle.pem
  mv "$HAWIZ_RDS_CA.new" "$HAWIZ_RDS_CA"
}

# The shared files, under the lock (held on fd 9): a download is checked in a staging
# directory outside html/ and moved in whole; only then is it marked verified.
wordpress_files() {
  if [[ -e $VERIFIED && -e $ROOT/wp-includes/version.php ]]; then
    return 0
  fi
  rm -f "$VERIFIED"
  rm -rf "$STATE"/download.*
  phase "downloading WordPress"
  local stage entry name
  stage=$(mktemp -d "$STATE/download.XXXXXX")
  wp_in "$stage" core download >&8
  phase "checking the WordPress download against wordpress.org's checksums"
  if ! wp_in "$stage" core verify-checksums >&8 2>&1; then
    rm -rf "$stage"
    fail "the WordPress download does not match wordpress.org's checksums: not using it"
  fi
  for entry in "$stage"/* "$stage"/.[!.]*; do
    name=${entry##*/}
    # The site's own files (uploads, themes, plugins) stay.
    [[ $name == wp-content && -e $ROOT/wp-content ]] && continue
    rm -rf "${ROOT:?}/$name"
    mv "$entry" "$ROOT/$name"
  done
  rm -rf "$stage"
  chown -R "$HAWIZ_WEB_USER:$HAWIZ_WEB_USER" "$ROOT"
  date -u +%FT%TZ >"$VERIFIED"
}

# Every instance checks the files it serves; a mismatch clears the mark, so the next
# instance downloads WordPress again.
verify_wordpress() {
  phase "checking WordPress's files against wordpress.org's checksums"
  if ! wp core verify-checksums >&8 2>&1; then
    ((STANDBY)) && fail "the replicated WordPress files do not match wordpress.org's checksums: not serving them"
    rm -f "$VERIFIED"
    fail "WordPress's files do not match wordpress.org's checksums: not serving them (the next instance downloads WordPress again)"
  fi
}

# wp-config.php, from the stack's parameters only (salts included): any two instances
# write the same file. It is rewritten only when the lines hawiz owns (the database's
# settings and the salts) differ, so what a plugin adds to it stays.
wp_config() {
  cat <<CONFIG
<?php
// Written by hawiz-setup from the stack's SSM parameters; rewritten when they change.
define('DB_NAME', '$DB_NAME');
define('DB_USER', '$WP_DB_USER');
define('DB_PASSWORD', '$wp_db_pw');
// The database's address is each instance's own, written at boot from its region's
// parameters: a standby region serves these same (replicated) files from its replica.
require_once '$HAWIZ_DB_PHP';
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
// Talk to the database over TLS only (it refuses anything else).
define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);
$salts
\$table_prefix = 'wp_';
// Behind the HTTPS load balancer the instance sees plain HTTP: trust the ALB's
// X-Forwarded-Proto so WordPress builds https:// links (no "Mixed Content").
if (isset(\$_SERVER['HTTP_X_FORWARDED_PROTO']) && \$_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https') {
    \$_SERVER['HTTPS'] = 'on';
}
// No editing of PHP files from the dashboard.
define('DISALLOW_FILE_EDIT', true);
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';
CONFIG
}

owned_lines() { grep -E "^(define\('(DB_[A-Z]+|[A-Z_]+_(KEY|SALT))',|require_once '/)" "$1" || true; }
write_wp_config() {
  local tmp
  tmp=$(mktemp "$STATE/wp-config.XXXXXX")
  wp_config >"$tmp"
  if [[ -f $ROOT/wp-config.php && $(owned_lines "$tmp") == "$(owned_lines "$ROOT/wp-config.php")" ]]; then
    rm -f "$tmp"
    return 0
  fi
  chmod 0640 "$tmp"
  chown "$HAWIZ_WEB_USER:$HAWIZ_WEB_USER" "$tmp"
  [[ -e $ROOT/wp-config.php ]] && phase "wp-config.php's database settings or salts differ from the stack's parameters: rewriting it"
  mv -f "$tmp" "$ROOT/wp-config.php"
}

# This instance's database address (its region's database, or a standby's replica), in
# a file of its own that wp-config.php requires: never on the shared files.
write_db_php() {
  local host=$ENDPOINT tmp
  [[ $HAWIZ_DB_PORT == 3306 ]] || host+=":$HAWIZ_DB_PORT"
  mkdir -p "$(dirname "$HAWIZ_DB_PHP")"
  tmp=$(mktemp "$HAWIZ_DB_PHP.XXXXXX")
  printf "<?php\n// Written by hawiz-setup at boot from %s/db-endpoint in %s.\ndefine('DB_HOST', '%s');\n" \
    "$PARAMETERS" "$REGION" "$host" >"$tmp"
  chmod 0640 "$tmp"
  chown "$HAWIZ_WEB_USER:$HAWIZ_WEB_USER" "$tmp"
  mv -f "$tmp" "$HAWIZ_DB_PHP"
}

# --- Database ----------------------------------------------------------------------------
# The master user's client, over TLS with the server's certificate checked. Its password
# is in MYSQL_PWD, in the environment of this one process only: never on a command line,
# never in a file. SQL comes on stdin.
db_master() {
  MYSQL_PWD=$master_pw mysql --host="$ENDPOINT" --port="$HAWIZ_DB_PORT" --user="$DB_MASTER_USER" \
    --ssl-ca="$HAWIZ_RDS_CA" --ssl-verify-server-cert --connect-timeout=10 \
    --batch --skip-column-names "$@"
}

wait_db() {
  local start=$EPOCHSECONDS shown='' out cause
  DELAY_MS=$HAWIZ_RETRY_FIRST_MS
  until out=$(echo 'SELECT 1;' | db_master 2>&1 >/dev/null); do
    out=$(oneline <<<"$out")
    case $out in
      *"ERROR 2002"* | *"ERROR 2003"* | *"ERROR 2005"* | *"ERROR 2006"* | *"ERROR 2013"* | *"Can't connect"*)
        cause="the database at $ENDPOINT:$HAWIZ_DB_PORT does not answer yet: $out" ;;
      *"ERROR 1045"*)
        phase "the database refused its master user $DB_MASTER_USER: $PARAMETERS/db-password is not its master password ($out)"
        return 1 ;;
      *"ERROR 2026"*)
        phase "TLS to the database failed (is $HAWIZ_RDS_CA the RDS CA bundle?): $out"
        return 1 ;;
      *)
        phase "connecting to the database failed: $out"
        return 1 ;;
    esac
    [[ $cause == "$shown" ]] || phase "$cause"
    shown=$cause
    if ((EPOCHSECONDS - start >= HAWIZ_DB_WAIT)); then
      phase "gave up on the database after $((EPOCHSECONDS - start)) s"
      return 1
    fi
    backoff
  done
}

# WordPress's own user, at every boot (a replaced database has none): TLS only, its own
# database only, its password from SSM. Every value was checked against a strict pattern.
ensure_db_user() {
  local user="'$WP_DB_USER'@'%'" grant_db=${DB_NAME//_/\\_}
  printf '%s\n' \
    "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;" \
    "CREATE USER IF NOT EXISTS $user IDENTIFIED BY '$wp_db_pw' REQUIRE SSL;" \
    "ALTER USER $user IDENTIFIED BY '$wp_db_pw' REQUIRE SSL;" \
    "GRANT ALL PRIVILEGES ON \`$grant_db\`.* TO $user;" | db_master
}

# One install at a time across instances, also without shared files: MariaDB's named lock,
# held by a master session open until db_unlock.
db_lock() {
  local got='' out
  coproc DBLOCK { db_master --unbuffered; }
  # Bash unsets these when the session ends: keep copies.
  DBLOCK_IN=${DBLOCK[1]:-} out=${DBLOCK[0]:-} DBLOCK_CHILD=${DBLOCK_PID:-}
  [[ -n $DBLOCK_IN && -n $out ]] || return 1
  echo "SELECT GET_LOCK('hawiz_install', $HAWIZ_LOCK_WAIT);" >&"$DBLOCK_IN"
  read -r -t "$((HAWIZ_LOCK_WAIT + 60))" got <&"$out" || true
  [[ $got == 1 ]]
}
db_unlock() {
  exec {DBLOCK_IN}>&-
  wait "$DBLOCK_CHILD" || true
}

install_site() {
  db_lock || fail "could not take the database's install lock"
  if ! wp core is-installed; then
    phase "finishing the WordPress install"
    local site_url admin_pw
    site_url=$(wait_param site-url "$URL_RE") || fail "no site URL in SSM"
    admin_pw=$(wait_param admin-password "$PASSWORD_RE") ||
      fail "could not read the admin password from SSM: not installing WordPress without it"
    printf '%s\n' "$admin_pw" | wp core install --url="$site_url" --title="$SITE_TITLE" \
      --admin_user="$ADMIN_USER" --admin_email="$ADMIN_EMAIL" --skip-email \
      --prompt=admin_password >&8 || fail "wp core install failed"
  fi
  db_unlock
}

# --- The Auto Scaling group --------------------------------------------------------------
instance_id() {
  local token
  token=$(curl -fsS -m 5 --retry 3 -X PUT "$HAWIZ_IMDS/latest/api/token" \
    -H "X-aws-ec2-metadata-token-ttl-seconds: 300") &&
    curl -fsS -m 5 --retry 3 -H "X-aws-ec2-metadata-token: $token" \
      "$HAWIZ_IMDS/latest/meta-data/instance-id"
}

# CONTINUE (traffic may come) or ABANDON (replace me), tried 3 times. Not waiting (a
# reboot) is no error.
lifecycle() {
  local result=$1 id out tries=1
  if [[ -z ${GROUP:-} || -z ${LIFECYCLE_HOOK:-} || -z ${REGION:-} ]]; then
    phase "no lifecycle hook to complete ($result)"
    return 0
  fi
  if ! id=$(instance_id 2>&1); then
    phase "could not read this instance's ID from the metadata service: $id"
    return 0
  fi
  DELAY_MS=$HAWIZ_RETRY_FIRST_MS
  until out=$(aws autoscaling complete-lifecycle-action --region "$REGION" \
    --auto-scaling-group-name "$GROUP" --lifecycle-hook-name "$LIFECYCLE_HOOK" \
    --instance-id "$id" --lifecycle-action-result "$result" 2>&1); do
    if [[ $out == *"No active Lifecycle Action"* ]] || ((tries >= 3)); then
      phase "could not complete the lifecycle action ($result; normal after a reboot, when the group is not waiting): $(oneline <<<"$out")"
      return 0
    fi
    tries=$((tries + 1))
    backoff
  done
  phase "told the Auto Scaling group $GROUP: $result"
}

main() {
  exec 8>&1
  # The failing command as written (never with values expanded: no secret reaches the console).
  trap 'FAILED_AT="$BASH_COMMAND (line $LINENO, in ${FUNCNAME[*]})"' ERR
  trap on_exit EXIT
  STANDBY=0
  mkdir -p "$HAWIZ_RUN"
  chmod 0755 "$HAWIZ_RUN"
  rm -f "$READY"
  load_env
  phase "setting up (this instance answers 503 until it is ready)"
  write_httpd_conf
  start_httpd
  mount_shared
  install_wp_cli
  fetch_rds_ca

  ((STANDBY)) && wait_replicated
  phase "waiting for the database"
  ENDPOINT=$(wait_param db-endpoint "$HOST_RE" "$HAWIZ_ENDPOINT_WAIT") || fail "no database endpoint in SSM"
  master_pw=$(wait_param db-password "$PASSWORD_RE") || fail "could not read the database master password from SSM"
  if ((STANDBY)); then
    serve_replica
    return 0
  fi
  wp_db_pw=$(wait_param wp-db-password "$PASSWORD_RE") || fail "could not read WordPress's database password from SSM"
  salts=$(wait_param wp-salts '.') || fail "could not read the WordPress salts from SSM"
  check_salts "$salts" || fail "SSM parameter $PARAMETERS/wp-salts is not the 8 define() lines hawiz writes: refusing it"
  wait_db || fail "the database is not usable"
  phase "making sure WordPress's database user exists"
  ensure_db_user || fail "could not create or update WordPress's database user"

  exec 9>"$STATE/install.lock"
  if ! flock -n 9; then
    phase "waiting for the install lock (another instance is installing WordPress)"
    flock -w "$HAWIZ_LOCK_WAIT" 9 || fail "the install lock was not released in $HAWIZ_LOCK_WAIT s"
  fi
  wordpress_files
  verify_wordpress
  write_db_php
  write_wp_config
  install_site
  flock -u 9
  ready
}

# A standby: the replicated files and the replica as they are. Nothing is written to
# either (both are read-only): WordPress's user and its install came with the replication.
serve_replica() {
  wait_db || fail "the database replica is not usable"
  verify_wordpress
  write_db_php
  wp core is-installed ||
    fail "WordPress is not installed in the replicated database (the primary's site must be installed first)"
  ready
}

ready() {
  touch "$READY"
  phase "ready: WordPress is served"
  lifecycle CONTINUE
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
