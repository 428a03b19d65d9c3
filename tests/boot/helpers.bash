# Shared by tests/boot/*.bats: fake instances that run assets/hawiz-setup.sh against stub
# commands (tests/boot/stubs: aws, curl, wp, mount, mountpoint, systemctl, and a recording
# wrapper around the real MariaDB client), a real MariaDB server over TLS, and a real Apache
# with PHP (FastCGI) for the web tests.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# HAWIZ_SETUP_SCRIPT: run the tests against another copy (e.g. one broken on purpose).
SCRIPT=${HAWIZ_SETUP_SCRIPT:-$REPO/assets/hawiz-setup.sh}
STUBS=$BATS_TEST_DIRNAME/stubs

# The stack's secrets, as hawiz generates them (letters and digits, 32).
MASTER_PW=Mstr0aB1cD2eF3gH4iJ5kL6mN7oP8qR9
WP_DB_PW=WpDb0zY1xW2vU3tS4rQ5pO6nM7lK8jI9
ADMIN_PW=Admn0Qw1Er2Ty3Ui4Op5As6Df7Gh8Jk9

# 8 define() lines of 64 characters from hawiz's salt alphabet (no quote, backslash or
# backtick), different per key.
salts() {
  local chars='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~'
  local key i n=0 value
  for key in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
    value=''
    for ((i = 0; i < 64; i++)); do value+=${chars:$(((i * 7 + n * 13) % ${#chars})):1}; done
    printf "define('%s', '%s');\n" "$key" "$value"
    n=$((n + 1))
  done
}

need() {
  local c
  for c; do
    command -v "$c" >/dev/null || skip "$c is not installed (scripts/test installs it when root with apt)"
  done
}

# Poll (every 0.05 s, up to $2 seconds, default 20) until the command $1 succeeds.
wait_until() {
  local cond=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 20; i++)); do
    eval "$cond" && return 0
    sleep 0.05
  done
  echo "timed out waiting for: $cond" >&2
  return 1
}

# A port nobody listens on, below the kernel's range for outgoing connections.
free_port() {
  local p
  while :; do
    p=$((10000 + RANDOM % 20000))
    (exec 5<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# --- The database: a real MariaDB, TLS required, a master user with a password ----------
db_setup() {
  need mariadbd mariadb mariadb-install-db mariadb-admin openssl
  export DBD=$BATS_FILE_TMPDIR/db
  mkdir -p "$DBD"
  (
    cd "$DBD" || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=hawiz test CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext 2>/dev/null
    # An unrelated CA, for the test that the server's certificate is checked.
    openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.pem -days 2 -subj "/CN=not the RDS CA" 2>/dev/null
  )
  export FAKE_CA=$DBD/ca.pem REAL_MYSQL DB_PORT
  REAL_MYSQL=$(command -v mariadb)
  DB_PORT=$(free_port)
  mariadb-install-db --no-defaults --datadir="$DBD/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db >"$DBD/install.log" 2>&1
  db_up
  # shellcheck disable=SC2119
  db_root <<SQL
CREATE USER 'admin'@'%' IDENTIFIED BY '$MASTER_PW';
GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION;
SQL
}

db_up() {
  mariadbd --no-defaults --datadir="$DBD/data" --socket="$DBD/sock" --port="$DB_PORT" \
    --bind-address=127.0.0.1 --pid-file="$DBD/mariadbd.pid" --log-error="$DBD/error.log" \
    --ssl-ca="$DBD/ca.pem" --ssl-cert="$DBD/server.pem" --ssl-key="$DBD/server.key" \
    --require-secure-transport=ON --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=16M --user="$(id -un)" </dev/null >/dev/null 2>&1 3>&- &
  echo $! >"$DBD/pid"
  wait_until "db_root -e 'SELECT 1' >/dev/null 2>&1 || ! kill -0 $! 2>/dev/null" 30
  kill -0 $! || { cat "$DBD/error.log" >&2; return 1; }
}

db_down() {
  local pid
  pid=$(cat "$DBD/pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  wait_until "! kill -0 $pid 2>/dev/null" 30
  rm -f "$DBD/pid"
}

# As the server's root, over its socket (the tests' own view of the database).
# shellcheck disable=SC2120
db_root() { "$REAL_MYSQL" --no-defaults --socket="$DBD/sock" -uroot --batch --skip-column-names "$@"; }

# --- Instances -----------------------------------------------------------------------------
# Per test: $T (traversable by Apache's user), $FAKE (SSM values, call logs), one database
# and one WordPress user of the test's own.
common_setup() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/hawiz-boot.XXXXXX")
  chmod 0755 "$T"
  export FAKE=$T/fake FAKE_REGION=ap-northeast-2
  mkdir -p "$FAKE/ssm" "$FAKE/log"
  : >"$FAKE/log/argv"
  DB_NAME=wp_t$BATS_TEST_NUMBER
  WP_DB_USER=wp_u$BATS_TEST_NUMBER
  publish db-endpoint 127.0.0.1
  publish db-password "$MASTER_PW"
  publish wp-db-password "$WP_DB_PW"
  publish admin-password "$ADMIN_PW"
  publish site-url http://site-123.ap-northeast-2.elb.amazonaws.com
  salts >"$FAKE/ssm/wp-salts"
  # A fake WP-CLI phar and its SHA-512, for the download test.
  printf '#!/bin/sh\necho "fake wp-cli: not a WP-CLI" >&2\nexit 1\n' >"$FAKE/wp-cli.phar"
  sha512sum "$FAKE/wp-cli.phar" | cut -d' ' -f1 >"$FAKE/wp-cli.phar.sha512"
}

common_teardown() {
  local pid pids=() m
  # Read-only mounts a test made (a standby's replicated files).
  if [[ -f $T/mounts ]]; then
    while IFS= read -r m; do umount "$m" 2>/dev/null || true; done <"$T/mounts"
  fi
  [[ -f $T/pids ]] && mapfile -t pids <"$T/pids"
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait_until "! kill -0 $pid 2>/dev/null" 10 || true
  done
  rm -rf "$T"
}

publish() { printf '%s' "$2" >"$FAKE/ssm/$1"; }
ssm_fails() { echo "$2" >"$FAKE/ssm/$1.error"; }

# instance NAME [SHARED [FILE_SYSTEM]]: an instance's own directories and stack.env; its
# shared directory is SHARED (default: its own).
instance() {
  local name=$1 shared=${2:-$T/$1/shared} fs=${3:-fs-0123456789abcdef0} d=$T/$1
  mkdir -p "$d/run" "$d/lib" "$d/conf" "$d/stub"
  : >"$d/fstab"
  echo "$shared" >"$d/shared.path"
  cat >"$d/stack.env" <<ENV
REGION=ap-northeast-2
PARAMETERS=/hawiz/site
FILE_SYSTEM=$fs
DB_NAME=$DB_NAME
DB_MASTER_USER=admin
WP_DB_USER=$WP_DB_USER
ADMIN_USER=site-admin
ADMIN_EMAIL=webmaster@example.com
SITE_TITLE=site
GROUP=site-asg
LIFECYCLE_HOOK=site-launch
ENV
}

# ENVV: the environment instance NAME's script runs with (everything under $T, stubs first).
instance_env() {
  local d=$T/$1
  ENVV=(PATH="$STUBS:$PATH"
    HAWIZ_ENV="$d/stack.env" HAWIZ_SHARED="$(cat "$d/shared.path")" HAWIZ_RUN="$d/run"
    HAWIZ_LIB="$d/lib" HAWIZ_HTTPD_CONF="$d/conf" HAWIZ_WP_CLI="${HAWIZ_WP_CLI:-$STUBS/wp}"
    HAWIZ_RDS_CA="${HAWIZ_RDS_CA:-$FAKE_CA}" HAWIZ_FSTAB="$d/fstab" HAWIZ_DB_PHP="$(db_php_of "$1")" HAWIZ_IMDS=http://169.254.169.254
    HAWIZ_WEB_USER="$(id -un)" HAWIZ_DB_PORT="$DB_PORT"
    HAWIZ_ENDPOINT_WAIT="${HAWIZ_ENDPOINT_WAIT:-20}" HAWIZ_PARAM_WAIT="${HAWIZ_PARAM_WAIT:-1}"
    HAWIZ_DB_WAIT="${HAWIZ_DB_WAIT:-20}" HAWIZ_MOUNT_WAIT="${HAWIZ_MOUNT_WAIT:-5}"
    HAWIZ_REPLICA_WAIT="${HAWIZ_REPLICA_WAIT:-20}"
    HAWIZ_LOCK_WAIT=30 HAWIZ_RETRY_FIRST_MS=20 HAWIZ_RETRY_MAX_MS=200
    FAKE="$FAKE" FAKE_REGION="$FAKE_REGION" FAKE_STATE="$d/stub" FAKE_INSTANCE_ID="i-$1"
    FAKE_CA="$FAKE_CA" REAL_MYSQL="$REAL_MYSQL"
    FAKE_WP_DOWNLOAD_SECONDS="${FAKE_WP_DOWNLOAD_SECONDS:-0}" FAKE_WP_INSTALL_SECONDS="${FAKE_WP_INSTALL_SECONDS:-0}")
}

# boot NAME [WRAPPER...]: run the setup script to its end (under WRAPPER, e.g. strace);
# its console is $T/NAME/console, its exit status $T/NAME/rc (and boot's own).
boot() {
  local name=$1 d=$T/$1 rc=0
  shift
  instance_env "$name"
  env "${ENVV[@]}" timeout 60 "$@" bash "$SCRIPT" >"$d/console" 2>&1 3>&- &
  echo $! >>"$T/pids"
  wait $! || rc=$?
  echo "$rc" >"$d/rc"
  return "$rc"
}

# boot_bg NAME: the same in the background; boot_wait NAME waits for it.
boot_bg() {
  rm -f "$T/$1/rc"
  (boot "$1" || true) 3>&- &
}
boot_wait() {
  wait_until "[[ -f $T/$1/rc ]]" 60
  return "$(cat "$T/$1/rc")"
}

console() { cat "$T/$1/console"; }
# Where instance NAME's script writes its database address: the same path on every
# instance (like /etc/hawiz/db.php), or its own when $T/NAME/db.path says so.
db_php_of() { cat "$T/$1/db.path" 2>/dev/null || echo "$T/db.php"; }
# The number of lines in $T/... file F matching the fixed string S.
count() { grep -cF -- "$2" "$1" 2>/dev/null || true; }
lifecycle_of() { grep "^i-$1 " "$FAKE/log/lifecycle" 2>/dev/null | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'; }
html_of() { echo "$(cat "$T/$1/shared.path")/html"; }

# The test database as WordPress's user (TLS unless told --skip-ssl).
db_as_wp() {
  MYSQL_PWD=$WP_DB_PW "$REAL_MYSQL" --no-defaults --host=127.0.0.1 --port="$DB_PORT" \
    --user="$WP_DB_USER" --ssl-ca="$FAKE_CA" --ssl-verify-server-cert --batch --skip-column-names "$@"
}

# Show what happened when an assertion fails.
show() {
  local f
  for f in "$T"/*/console; do echo "--- ${f#"$T"/}"; cat "$f"; done
  echo "--- argv"; cat "$FAKE/log/argv" 2>/dev/null || true
}

# --- The web: a real Apache (Debian's apache2) with PHP over FastCGI (php-cgi -b, as
# php-fpm on Amazon Linux), configured like Amazon Linux's httpd plus hawiz's own config.
# Sets WEB (the base URL).
apache_start() {
  need apache2 php-cgi curl
  local d=$T/$1 port fport m=/usr/lib/apache2/modules mod
  port=$(free_port)
  fport=$(free_port)
  mkdir -p "$d/apache"
  {
    echo "ServerRoot \"$d/apache\""
    echo "DefaultRuntimeDir \"$d/apache\""
    echo "PidFile \"$d/apache/httpd.pid\""
    echo "ErrorLog \"$d/apache/error.log\""
    echo "LogLevel warn"
    echo "Listen 127.0.0.1:$port"
    echo "ServerName localhost"
    [[ $(id -u) == 0 ]] && printf 'User daemon\nGroup daemon\n'
    for mod in mpm_event authz_core alias rewrite dir mime proxy proxy_fcgi headers; do
      echo "LoadModule ${mod}_module $m/mod_$mod.so"
    done
    [[ -f /etc/mime.types ]] && echo "TypesConfig /etc/mime.types"
    cat <<CONF
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<FilesMatch \.php\$>
    SetHandler "proxy:fcgi://127.0.0.1:$fport"
</FilesMatch>
ProxyFCGIBackendType GENERIC
Include "$d/conf/hawiz.conf"
CONF
  } >"$d/apache/httpd.conf"
  php-cgi -b "127.0.0.1:$fport" </dev/null >"$d/apache/php.log" 2>&1 3>&- &
  echo $! >>"$T/pids"
  wait_until "(exec 5<>/dev/tcp/127.0.0.1/$fport) 2>/dev/null"
  apache2 -f "$d/apache/httpd.conf" -D FOREGROUND </dev/null >"$d/apache/out.log" 2>&1 3>&- &
  echo $! >>"$T/pids"
  WEB=http://127.0.0.1:$port
  wait_until "curl -s -o /dev/null $WEB/ || ! kill -0 $! 2>/dev/null"
  kill -0 $! || { cat "$d/apache/out.log" "$d/apache/error.log" >&2; return 1; }
}

# HTTP status of a request to the test Apache (extra curl arguments after the path); the
# body is in $T/body.
http() {
  local path=$1
  shift
  curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$@" "$WEB$path"
}
