#!/usr/bin/env bats
# The app instances' boot script (assets/hawiz-setup.sh), run as fake instances: stub AWS,
# WP-CLI, mount and systemctl; a real MariaDB over TLS; a real Apache + PHP for the web.

load helpers

setup_file() { db_setup; }
teardown_file() { db_down; }
setup() { common_setup; }
teardown() {
  [[ -n ${BATS_TEST_COMPLETED:-} ]] || show >&2
  common_teardown
}

@test "a first boot: user ensured, WordPress checked and installed with SSM's password, ready, CONTINUE" {
  instance a
  boot a
  c=$(console a)
  [[ $c == *"hawiz: ready: WordPress is served"* ]]
  [[ -f $T/a/run/ready ]]
  [ "$(lifecycle_of a)" = CONTINUE ]
  grep -q "^i-a CONTINUE group=site-asg hook=site-launch$" "$FAKE/log/lifecycle"
  # The admin is the one from SSM (the fake WP-CLI stored a hash of what it was given).
  [ "$(db_as_wp "$DB_NAME" -e "SELECT option_value FROM wp_options WHERE option_name = 'admin_password_sha256'")" = \
    "$(printf '%s' "$ADMIN_PW" | sha256sum | cut -d' ' -f1)" ]
  [ "$(db_as_wp "$DB_NAME" -e "SELECT option_value FROM wp_options WHERE option_name = 'admin_user'")" = site-admin ]
  # wp-config.php: 0640, everything from SSM, TLS, no file edit, HTTPS behind the ALB.
  html=$(html_of a)
  [ "$(stat -c %a "$html/wp-config.php")" = 640 ]
  grep -qF "define('DB_PASSWORD', '$WP_DB_PW');" "$html/wp-config.php"
  # The database's address is the instance's own file's (0640), which wp-config.php requires.
  grep -qxF "require_once '$(db_php_of a)';" "$html/wp-config.php"
  grep -qxF "define('DB_HOST', '127.0.0.1:$DB_PORT');" "$(db_php_of a)"
  [ "$(stat -c %a "$(db_php_of a)")" = 640 ]
  ! grep -q "DB_HOST" "$html/wp-config.php" || false
  grep -qF "define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);" "$html/wp-config.php"
  grep -qF "define('DISALLOW_FILE_EDIT', true);" "$html/wp-config.php"
  grep -qF "HTTP_X_FORWARDED_PROTO" "$html/wp-config.php"
  # Every instance checks the files it serves.
  [ "$(count "$FAKE/log/wp" "core verify-checksums $html")" = 1 ]
  # Nothing from the internet but what the stubs answer (no salts from api.wordpress.org).
  ! grep -q "api.wordpress.org" "$FAKE/log/argv" || false
  # The phases hawiz shows while it waits.
  for p in "setting up" "mounting the shared file system" "waiting for the database" \
    "making sure WordPress's database user exists" "downloading WordPress" "finishing the WordPress install"; do
    [[ $c == *"hawiz: $p"* ]]
  done
}

@test "EFS: in fstab with tls and noresvport, mount retried until it works; Apache config before httpd" {
  instance a
  echo 2 >"$T/a/stub/mount-failures"
  boot a
  grep -qxF "fs-0123456789abcdef0:/ $T/a/shared efs _netdev,tls,noresvport 0 0" "$T/a/fstab"
  [ "$(count "$FAKE/log/argv" "mount $T/a/shared")" = 3 ]
  # The failure is shown once, not per try.
  [ "$(count "$T/a/console" "mount.nfs4: Connection timed out")" = 1 ]
  # A second boot does not add the line again.
  boot a
  [ "$(wc -l <"$T/a/fstab")" = 1 ]
  # httpd was (re)started only once its config existed.
  grep -q "systemctl restart httpd (conf=yes)" "$FAKE/log/systemctl"
  ! grep -q "conf=no" "$FAKE/log/systemctl" || false
}

@test "SSM AccessDenied: one line naming the instance role, bounded retries, then FAILED and ABANDON" {
  instance a
  ssm_fails db-endpoint denied
  touch "$T/a/run/ready" # left from an earlier boot: removed at the start of every boot
  # The wait is counted in whole seconds (EPOCHSECONDS): a 1 s wait begun late in a second
  # can end after one try, so this test waits 2 s to see that it does retry.
  HAWIZ_PARAM_WAIT=2 run boot a
  [ "$status" -ne 0 ]
  [ "$(count "$T/a/console" "hawiz: SSM denied reading /hawiz/site/db-endpoint (AccessDenied): the instance role must allow ssm:GetParameter")" = 1 ]
  grep -q "permissions boundary" "$T/a/console"
  grep -q "hawiz: gave up on SSM parameter /hawiz/site/db-endpoint after" "$T/a/console"
  grep -q "hawiz: FAILED: no database endpoint in SSM" "$T/a/console"
  tries=$(count "$FAKE/log/ssm" "i-a db-endpoint")
  ((tries > 1 && tries < 40))
  [ "$(lifecycle_of a)" = ABANDON ]
  [[ ! -e $T/a/run/ready ]]
}

@test "SSM ParameterNotFound for db-endpoint: the instance waits, and goes on once hawiz publishes it" {
  instance a
  rm "$FAKE/ssm/db-endpoint"
  boot_bg a
  wait_until "grep -q 'is not published yet' $T/a/console"
  [[ ! -f $T/a/rc ]]
  publish db-endpoint 127.0.0.1
  boot_wait a
  [ "$(count "$T/a/console" "hawiz: SSM parameter /hawiz/site/db-endpoint is not published yet")" = 1 ]
  grep -q "hawiz: read SSM parameter /hawiz/site/db-endpoint" "$T/a/console"
  [ "$(lifecycle_of a)" = CONTINUE ]
}

@test "no route to SSM: says so (NAT route), then FAILED and ABANDON" {
  instance a
  ssm_fails all noconnect
  run boot a
  [ "$status" -ne 0 ]
  [ "$(count "$T/a/console" "hawiz: cannot reach SSM (ssm.ap-northeast-2.amazonaws.com): no route from this subnet; check the private subnets' default route to the NAT gateway")" = 1 ]
  [ "$(lifecycle_of a)" = ABANDON ]
}

@test "param classifies every SSM failure into one hawiz line with its fix" {
  instance a
  instance_env a
  for mode in notfound denied noconnect nocreds throttled; do
    ssm_fails site-url "$mode"
    run env "${ENVV[@]}" bash -c '. "$1"; exec 8>&1; . "$HAWIZ_ENV"; param site-url' _ "$SCRIPT"
    [ "$status" -eq 1 ]
    [ "${#lines[@]}" -eq 1 ]
    case $mode in
      notfound) [[ $output == "hawiz: SSM parameter /hawiz/site/site-url is not published yet"* ]] ;;
      denied) [[ $output == "hawiz: SSM denied reading /hawiz/site/site-url (AccessDenied): the instance role"*"AWS said: An error occurred (AccessDeniedException)"* ]] ;;
      noconnect) [[ $output == "hawiz: cannot reach SSM"*"NAT gateway"*"Could not connect to the endpoint URL"* ]] ;;
      nocreds) [[ $output == "hawiz: no AWS credentials on this instance: the launch template's instance profile is missing"* ]] ;;
      throttled) [[ $output == "hawiz: reading SSM parameter /hawiz/site/site-url failed: An error occurred (ThrottlingException)"* ]] ;;
    esac
  done
  rm "$FAKE/ssm/site-url.error"
  run env "${ENVV[@]}" bash -c '. "$1"; exec 8>&1; . "$HAWIZ_ENV"; param site-url' _ "$SCRIPT"
  [ "$status" -eq 0 ]
  [ "$output" = http://site-123.ap-northeast-2.elb.amazonaws.com ]
}

@test "database down, then up: the instance retries with backoff, then ensures the user and goes on" {
  instance a
  db_down
  boot_bg a
  wait_until "grep -q 'does not answer yet' $T/a/console"
  [[ ! -f $T/a/rc ]]
  db_up
  boot_wait a
  [ "$(count "$T/a/console" "hawiz: the database at 127.0.0.1:$DB_PORT does not answer yet")" = 1 ]
  [ "$(db_as_wp -e 'SELECT CURRENT_USER()')" = "$WP_DB_USER@%" ]
  [ "$(lifecycle_of a)" = CONTINUE ]
}

@test "WordPress's DB user: TLS only, its own database only, and made again at every boot" {
  instance a
  boot a
  db_root -e "SHOW CREATE USER '$WP_DB_USER'@'%'" | grep -q "REQUIRE SSL"
  # A TLS login works; a plain one is refused by the user's REQUIRE SSL (the server's own
  # require_secure_transport is off for this check, and the master still gets in plainly).
  [ "$(db_as_wp -e 'SELECT 1')" = 1 ]
  db_root -e "SET GLOBAL require_secure_transport = OFF"
  plain=0
  MYSQL_PWD=$WP_DB_PW "$REAL_MYSQL" --no-defaults --host=127.0.0.1 --port="$DB_PORT" --user="$WP_DB_USER" --skip-ssl -e 'SELECT 1' || plain=$?
  master=0
  MYSQL_PWD=$MASTER_PW "$REAL_MYSQL" --no-defaults --host=127.0.0.1 --port="$DB_PORT" --user=admin --skip-ssl -e 'SELECT 1' >/dev/null || master=$?
  db_root -e "SET GLOBAL require_secure_transport = ON"
  [ "$plain" -ne 0 ]
  [ "$master" -eq 0 ]
  # Its database (the '_' in the name is not a wildcard: not the look-alike next door).
  db_as_wp "$DB_NAME" -e "CREATE TABLE t (i INT); DROP TABLE t;"
  db_root -e "CREATE DATABASE wp_tX$BATS_TEST_NUMBER"
  run db_as_wp "wp_tX$BATS_TEST_NUMBER" -e "CREATE TABLE t (i INT)"
  db_root -e "DROP DATABASE wp_tX$BATS_TEST_NUMBER"
  [ "$status" -ne 0 ]
  # Dropped (a replaced database has no such user): the next boot makes it again.
  db_root -e "DROP USER '$WP_DB_USER'@'%'"
  ! db_as_wp -e 'SELECT 1' 2>/dev/null || false
  boot a
  [ "$(db_as_wp -e 'SELECT CURRENT_USER()')" = "$WP_DB_USER@%" ]
  db_root -e "SHOW CREATE USER '$WP_DB_USER'@'%'" | grep -q "REQUIRE SSL"
}

@test "no password or salt on any command line; the master password only in mysql's MYSQL_PWD" {
  need strace
  instance a
  boot a strace -f -qq -s 65535 -e trace=execve -o "$T/a/trace"
  grep -q 'execve(".*mysql' "$T/a/trace"
  for secret in "$MASTER_PW" "$WP_DB_PW" "$ADMIN_PW" "$(head -c 40 "$FAKE/ssm/wp-salts" | tail -c 20)"; do
    ! grep -qF -- "$secret" "$T/a/trace" || false
    ! grep -qF -- "$secret" "$FAKE/log/argv" || false
    ! grep -qF -- "$secret" "$T/a/console" || false
  done
  # Every mysql the script ran had the master password in its environment, none in argv.
  grep "^mysql " "$FAKE/log/argv" >"$T/mysql"
  [ "$(wc -l <"$T/mysql")" -ge 3 ]
  ! grep -v "(MYSQL_PWD set)$" "$T/mysql" || false
  grep -q -- "--ssl-ca=$FAKE_CA --ssl-verify-server-cert" "$T/mysql"
  # Nothing secret was left in a file outside wp-config.php.
  ! grep -rlF -- "$MASTER_PW" "$T/a/run" "$T/a/lib" "$T/a/conf" "$T/a/shared/state" || false
}

@test "the server's certificate is checked: another CA fails with a clear line and ABANDON" {
  instance a
  export HAWIZ_RDS_CA=$DBD/other-ca.pem
  run boot a
  [ "$status" -ne 0 ]
  grep -q "hawiz: TLS to the database failed (is $DBD/other-ca.pem the RDS CA bundle?)" "$T/a/console"
  [ "$(lifecycle_of a)" = ABANDON ]
}

@test "a wrong master password is not waited on: a clear line naming the parameter, and ABANDON" {
  instance a
  publish db-password WrongPassword0123456789abcdefABC
  run boot a
  [ "$status" -ne 0 ]
  grep -q "hawiz: the database refused its master user admin: /hawiz/site/db-password is not its master password" "$T/a/console"
  [ "$(lifecycle_of a)" = ABANDON ]
}

@test "values from SSM that hawiz would not write are refused, never put into SQL or PHP" {
  instance a
  publish wp-db-password "x', 'y'); DROP DATABASE mysql; --"
  run boot a
  [ "$status" -ne 0 ]
  grep -q "hawiz: SSM parameter /hawiz/site/wp-db-password does not look like what hawiz writes there: refusing it" "$T/a/console"
  [ "$(count "$FAKE/log/argv" "mysql ")" = 0 ]
  [ "$(db_root -e "SELECT COUNT(*) FROM mysql.user WHERE user = '$WP_DB_USER'")" = 0 ]
  [ "$(lifecycle_of a)" = ABANDON ]
  # Salts that are not the 8 define() lines.
  publish wp-db-password "$WP_DB_PW"
  salts | sed "1s/');\$/'); phpinfo();/" >"$FAKE/ssm/wp-salts"
  run boot a
  [ "$status" -ne 0 ]
  grep -q "hawiz: FAILED: SSM parameter /hawiz/site/wp-salts is not the 8 define() lines hawiz writes: refusing it" "$T/a/console"
  [[ ! -e $(html_of a)/wp-config.php ]]
}

@test "two instances racing on one shared directory: one download, one install, both ready" {
  export FAKE_WP_DOWNLOAD_SECONDS=0.3 FAKE_WP_INSTALL_SECONDS=0.3
  instance a "$T/efs"
  instance b "$T/efs"
  boot_bg a
  boot_bg b
  boot_wait a
  boot_wait b
  [ "$(count "$FAKE/log/wp" "core download")" = 1 ]
  [ "$(count "$FAKE/log/wp" "core install")" = 1 ]
  [ "$(count "$FAKE/log/wp" "core verify-checksums $T/efs/html")" = 2 ]
  [[ -f $T/a/run/ready && -f $T/b/run/ready ]]
  [ "$(lifecycle_of a)" = CONTINUE ]
  [ "$(lifecycle_of b)" = CONTINUE ]
}

@test "no shared files: two racing instances write the same wp-config.php with SSM's salts; one installs" {
  export FAKE_WP_INSTALL_SECONDS=0.3
  instance a "" none
  instance b "" none
  boot_bg a
  boot_bg b
  boot_wait a
  boot_wait b
  cmp "$(html_of a)/wp-config.php" "$(html_of b)/wp-config.php"
  while IFS= read -r line; do
    grep -qxF -- "$line" "$(html_of a)/wp-config.php"
  done <"$FAKE/ssm/wp-salts"
  [ "$(count "$FAKE/log/wp" "core download")" = 2 ]
  [ "$(count "$FAKE/log/wp" "core install")" = 1 ]
  [ "$(count "$FAKE/log/argv" "mount ")" = 0 ]
  [ "$(lifecycle_of a)" = CONTINUE ]
  [ "$(lifecycle_of b)" = CONTINUE ]
}

@test "a replaced database (wp-config.php kept, database empty): user made again, WordPress installed again" {
  instance a
  boot a
  db_root -e "DROP DATABASE $DB_NAME; DROP USER '$WP_DB_USER'@'%'"
  boot a
  [ "$(count "$FAKE/log/wp" "core install")" = 2 ]
  [ "$(count "$FAKE/log/wp" "core download")" = 1 ]
  [ "$(db_as_wp "$DB_NAME" -e "SELECT option_value FROM wp_options WHERE option_name = 'admin_user'")" = site-admin ]
  [ "$(lifecycle_of a)" = "CONTINUE CONTINUE" ]
}

@test "the admin password cannot be read: no wp core install, a clear line, ABANDON" {
  instance a
  ssm_fails admin-password denied
  run boot a
  [ "$status" -ne 0 ]
  [ "$(count "$FAKE/log/wp" "core install")" = 0 ]
  grep -q "hawiz: SSM denied reading /hawiz/site/admin-password (AccessDenied)" "$T/a/console"
  grep -q "hawiz: FAILED: could not read the admin password from SSM: not installing WordPress without it" "$T/a/console"
  [ "$(lifecycle_of a)" = ABANDON ]
  [[ ! -e $T/a/run/ready ]]
  # An empty one is refused the same way.
  rm "$FAKE/ssm/admin-password.error"
  publish admin-password ""
  run boot a
  [ "$status" -ne 0 ]
  [ "$(count "$FAKE/log/wp" "core install")" = 0 ]
}

@test "a download that fails its checksums is never used; the next instance downloads again" {
  instance a "$T/efs"
  instance b "$T/efs"
  touch "$FAKE/verify-fails"
  run boot a
  [ "$status" -ne 0 ]
  grep -q "hawiz: FAILED: the WordPress download does not match wordpress.org's checksums: not using it" "$T/a/console"
  [ "$(lifecycle_of a)" = ABANDON ]
  [[ ! -e $T/a/run/ready ]]
  [ -z "$(ls -A "$T/efs/html")" ]
  [ -z "$(ls -d "$T"/efs/state/download.* 2>/dev/null)" ]
  rm "$FAKE/verify-fails"
  boot b
  [ "$(count "$FAKE/log/wp" "core download")" = 2 ]
  [ "$(lifecycle_of b)" = CONTINUE ]
}

@test "files changed in place fail the check: not ready, ABANDON, and the next instance downloads again" {
  instance a "$T/efs"
  instance b "$T/efs"
  boot a
  echo "<?php /* changed */" >>"$T/efs/html/wp-includes/version.php"
  run boot b
  [ "$status" -ne 0 ]
  grep -q "hawiz: FAILED: WordPress's files do not match wordpress.org's checksums" "$T/b/console"
  [ "$(lifecycle_of b)" = ABANDON ]
  [[ ! -e $T/b/run/ready ]]
  boot b
  [ "$(count "$FAKE/log/wp" "core download")" = 2 ]
  [ "$(lifecycle_of b)" = "ABANDON CONTINUE" ]
  ! grep -q changed "$T/efs/html/wp-includes/version.php" || false
  [[ -f $T/efs/html/wp-config.php && -d $T/efs/html/wp-content/themes/fake ]]
}

@test "nothing hawiz writes lands under html/ but WordPress itself (and wp-config.php)" {
  instance a "$T/efs"
  boot a
  (cd "$T/efs/html" && find . -mindepth 1 | sort) >"$T/found"
  mkdir "$T/fresh"
  FAKE_INSTANCE_ID=x "$STUBS/wp" --path="$T/fresh" core download >/dev/null
  (cd "$T/fresh" && find . -mindepth 1 | sort; echo ./wp-config.php) | sort >"$T/expected"
  diff "$T/expected" "$T/found"
  [[ -f $T/efs/state/install.lock && -f $T/efs/state/wordpress-verified ]]
}

@test "a lifecycle action that cannot be completed (a reboot) is shown and is no failure" {
  instance a
  touch "$FAKE/lifecycle.error"
  boot a
  grep -q "hawiz: could not complete the lifecycle action (CONTINUE; normal after a reboot, when the group is not waiting): An error occurred (ValidationError)" "$T/a/console"
  [[ -f $T/a/run/ready ]]
}

@test "a throttled lifecycle call is tried again" {
  instance a
  echo 2 >"$FAKE/lifecycle.throttle"
  boot a
  [ "$(lifecycle_of a)" = "CONTINUE CONTINUE CONTINUE" ]
  grep -q "hawiz: told the Auto Scaling group site-asg: CONTINUE" "$T/a/console"
  ! grep -q "could not complete" "$T/a/console" || false
}

@test "wp-config.php: kept with what a plugin added; rewritten when the database settings or salts change" {
  instance a
  boot a
  conf=$(html_of a)/wp-config.php
  echo "define('WP_CACHE', true);" >>"$conf"
  boot a
  grep -qxF "define('WP_CACHE', true);" "$conf"
  ! grep -q "rewriting it" "$T/a/console" || false
  sed -i "s/^define('DB_PASSWORD', .*/define('DB_PASSWORD', 'old');/" "$conf"
  boot a
  grep -q "hawiz: wp-config.php's database settings or salts differ from the stack's parameters: rewriting it" "$T/a/console"
  grep -qxF "define('DB_PASSWORD', '$WP_DB_PW');" "$conf"
  [ "$(stat -c %a "$conf")" = 640 ]
}

@test "WP-CLI is installed only when it matches its published SHA-512; any unexpected failure ABANDONs" {
  instance a
  export HAWIZ_WP_CLI=$T/a/bin/wp
  mkdir -p "$T/a/bin"
  echo 0000 >"$FAKE/wp-cli.phar.sha512"
  run boot a
  [ "$status" -ne 0 ]
  grep -q "hawiz: FAILED: WP-CLI's published SHA-512 is not a SHA-512" "$T/a/console"
  printf '%0128d\n' 0 >"$FAKE/wp-cli.phar.sha512"
  run boot a
  [ "$status" -ne 0 ]
  grep -q "hawiz: FAILED: the WP-CLI download does not match its published SHA-512" "$T/a/console"
  [[ ! -e $HAWIZ_WP_CLI ]]
  [ "$(lifecycle_of a)" = "ABANDON ABANDON" ]
  sha512sum "$FAKE/wp-cli.phar" | cut -d' ' -f1 >"$FAKE/wp-cli.phar.sha512"
  run boot a # installed now (a phar that only fails: the setup stops at its first use)
  [[ -x $HAWIZ_WP_CLI ]]
  cmp "$HAWIZ_WP_CLI" "$FAKE/wp-cli.phar"
  # Any command failing unexpectedly also ends in ABANDON, with the line that failed.
  [ "$status" -ne 0 ]
  grep -qF 'hawiz: FAILED: "$HAWIZ_WP_CLI" --path="$dir" --allow-root "$@" (line ' "$T/a/console"
  grep -q ', in wp_in wordpress_files main main)$' "$T/a/console"
  [ "$(lifecycle_of a)" = "ABANDON ABANDON ABANDON" ]
}

@test "Apache: 503 'setting up' until ready (health too), the installer always refused, then WordPress" {
  instance a
  rm "$FAKE/ssm/db-endpoint"
  boot_bg a
  wait_until "grep -q 'is not published yet' $T/a/console"
  apache_start a
  [ "$(http /)" = 503 ]
  grep -q "This server is setting up" "$T/body"
  [ "$(http /wp-login.php)" = 503 ]
  [ "$(http /hawiz-health)" = 503 ]
  grep -qx "not ready: setup has not finished on this instance" "$T/body"
  [ "$(http /wp-admin/install.php)" = 403 ]
  [ "$(http /wp-admin/setup-config.php)" = 403 ]

  publish db-endpoint 127.0.0.1
  boot_wait a
  [ "$(http /)" = 200 ]
  grep -q "fake WordPress front page" "$T/body"
  # Every answer names the instance's region (a failover drill tells which answered).
  curl -s -D - -o /dev/null "$WEB/" | grep -qix "x-hawiz-region: ap-northeast-2"$'\r'
  curl -s -D - -o /dev/null "$WEB/hawiz-health" | grep -qi "^x-hawiz-region: ap-northeast-2"
  [ "$(http /wp-admin/)" = 200 ]
  grep -q "fake dashboard" "$T/body"
  [ "$(http /hawiz-health)" = 200 ]
  grep -qx ok "$T/body"
  for path in /wp-admin/install.php /wp-admin/setup-config.php //wp-admin//install.php \
    /wp-admin/./install.php /wp-admin/install.php/x "/wp-admin/install.php?step=2" \
    /WP-ADMIN/INSTALL.PHP /wp-admin/%69nstall.php /wp-includes/../wp-admin/setup-config.php; do
    [ "$(http "$path")" = 403 ]
    ! grep -q "FAKE" "$T/body" || false
  done
  [ "$(http /wp-admin/install.php -X POST -d weblog_title=x)" = 403 ]
  # Health is about this instance's files only.
  html=$(html_of a)
  mv "$html/wp-config.php" "$T/wp-config.php"
  [ "$(http /hawiz-health)" = 503 ]
  grep -qx "not ready: wp-config.php is missing or unreadable" "$T/body"
  mv "$T/wp-config.php" "$html/wp-config.php"
  mv "$html/wp-settings.php" "$T/wp-settings.php"
  [ "$(http /hawiz-health)" = 503 ]
  grep -qx "not ready: wp-settings.php is missing" "$T/body"
  mv "$T/wp-settings.php" "$html/wp-settings.php"
  [ "$(http /hawiz-health)" = 200 ]
  # ... and never the database: down, the instance stays healthy.
  db_down
  [ "$(http /hawiz-health)" = 200 ]
  db_up
  # A reboot removes the ready mark: 503 again until the setup ends.
  rm "$T/a/run/ready"
  [ "$(http /)" = 503 ]
  [ "$(http /hawiz-health)" = 503 ]
}

# A failover standby: its shared files are an EFS replica of the primary's (read-only until
# `hawiz failover`), its database a read replica. It writes nothing to either, waits for
# the files to arrive, takes the database's address from its own region's parameter into
# its own file, and serves. Once the files are writable (after failover), an instance
# sets up as the primary's do.
@test "a standby: read-only replicated files and a replica; nothing written to them; its own database address; ready" {
  [[ $(id -u) == 0 ]] || skip "a read-only mount needs root"
  instance a
  boot a
  # The standby region's copy of the files, mounted read-only (as EFS serves a replica).
  mkdir -p "$T/replica" "$T/s-shared"
  cp -a "$(cat "$T/a/shared.path")/." "$T/replica/"
  mount --bind "$T/replica" "$T/s-shared" && mount -o remount,ro,bind "$T/s-shared" ||
    skip "cannot make a read-only bind mount here"
  echo "$T/s-shared" >"$T/mounts"
  instance s "$T/s-shared"
  echo "$T/s-db.php" >"$T/s/db.path"
  # Its region's parameter names its replica (here: the same server by another name).
  publish db-endpoint localhost
  before=$(find "$T/replica" -type f -exec sha256sum {} + | sort)
  : >"$FAKE/log/argv"
  boot s
  c=$(console s)
  [[ $c == *"hawiz: the shared files are read-only"* ]]
  [[ $c == *"hawiz: ready: WordPress is served"* ]]
  [ "$(lifecycle_of s)" = CONTINUE ]
  # Nothing written to the replicated files or the replica.
  [ "$(find "$T/replica" -type f -exec sha256sum {} + | sort)" = "$before" ]
  # The master user only checks the replica answers: no user made, no install lock taken.
  [ "$(count "$FAKE/log/argv" "mysql ")" = 1 ]
  ! grep -q -- "--unbuffered" "$FAKE/log/argv" || false
  [ "$(count "$FAKE/log/wp" "core install")" = 1 ]
  [ "$(count "$FAKE/log/wp" "core download")" = 1 ]
  # Its own address, from its region's parameter; the primary's file is untouched.
  grep -qxF "define('DB_HOST', 'localhost:$DB_PORT');" "$T/s-db.php"
  grep -qxF "define('DB_HOST', '127.0.0.1:$DB_PORT');" "$(db_php_of a)"
}

@test "a standby whose files have not arrived waits for them, bounded, then ABANDONs with the cause" {
  [[ $(id -u) == 0 ]] || skip "a read-only mount needs root"
  mkdir -p "$T/replica" "$T/s-shared"
  mount --bind "$T/replica" "$T/s-shared" && mount -o remount,ro,bind "$T/s-shared" ||
    skip "cannot make a read-only bind mount here"
  echo "$T/s-shared" >"$T/mounts"
  instance s "$T/s-shared"
  HAWIZ_REPLICA_WAIT=1 boot s || true
  c=$(console s)
  [[ $c == *"hawiz: waiting for the primary's WordPress to arrive by replication"* ]]
  [[ $c == *"has not arrived in the replicated files after 1 s"* ]]
  [ "$(lifecycle_of s)" = ABANDON ]
}
