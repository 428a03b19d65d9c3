#!/usr/bin/env bats
# The boot script as a file and inside the user data template, and its pure parts (no
# database, no web server needed).

load helpers

setup() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/hawiz-boot.XXXXXX")
  export FAKE=$T/fake
}
teardown() { rm -rf "$T"; }

@test "the script is valid bash and clean under shellcheck" {
  bash -n "$SCRIPT"
  for sc in "$REPO/.venv/bin/shellcheck" "$(command -v shellcheck || true)"; do
    [[ -x $sc ]] && break
  done
  [[ -x $sc ]] || skip "shellcheck is not installed (scripts/test puts it in .venv)"
  "$sc" --shell=bash --severity=style "$SCRIPT"
}

@test "the script fits the template: no {{, no tab; rendered as the Rust side does, PyYAML gives it back whole" {
  ! grep -q '{{' "$SCRIPT" || false
  ! grep -q $'\t' "$SCRIPT" || false
  grep -qx '      {{setup_script}}' "$REPO/assets/user-data.yaml"
  py=''
  for p in "$REPO/.venv/bin/python" python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import yaml' 2>/dev/null; then py=$p; break; fi
  done
  [[ -n $py ]] || skip "no Python with PyYAML"
  # Every line of the script indented by 6 spaces (blank lines left empty), then the values.
  "$py" - "$REPO/assets/user-data.yaml" "$SCRIPT" "$T/rendered.yaml" <<'PY'
import re, sys, yaml
template, script = (open(p).read() for p in sys.argv[1:3])
indented = "\n".join(("      " + l) if l else l for l in script.rstrip("\n").split("\n"))
text = template.replace("      {{setup_script}}", indented)
values = dict(region="ap-northeast-2", parameters="/hawiz/site", file_system_id="fs-0123456789abcdef0",
              db_name="wordpress", db_user="admin", wp_db_user="wordpress", admin_user="site-admin",
              admin_email="webmaster@example.com", site_title="site", group="site-asg",
              lifecycle_hook="site-launch")
for k, v in values.items():
    text = text.replace("{{%s}}" % k, v)
open(sys.argv[3], "w").write(text)
assert "{{" not in text, re.findall(r"\{\{[^}]*\}\}", text)
doc = yaml.safe_load(text)
files = {f["path"]: f for f in doc["write_files"]}
assert files["/usr/local/sbin/hawiz-setup"]["content"] == script, "the script does not come back whole"
assert files["/usr/local/sbin/hawiz-setup"]["permissions"] == "0700"
boot = files["/var/lib/cloud/scripts/per-boot/hawiz-setup"]
assert boot["content"] == "#!/bin/sh\nexec /usr/local/sbin/hawiz-setup\n" and boot["permissions"] == "0700"
env = files["/etc/hawiz/stack.env"]["content"]
assert "GROUP=site-asg\n" in env and "LIFECYCLE_HOOK=site-launch\n" in env
assert "runcmd" not in doc, "runcmd would run the script a second time on the first boot"
PY
  # cloud-init's own schema check, where Debian's cloud-init is installed.
  if command -v cloud-init >/dev/null; then
    cloud-init schema --config-file "$T/rendered.yaml"
  fi
}

@test "the Apache config: DocumentRoot html/, installer refused, 503 until the ready mark, health alias" {
  mkdir -p "$T/run" "$T/conf" "$T/lib"
  REGION=ap-northeast-2 HAWIZ_SHARED=$T/efs HAWIZ_RUN=$T/run HAWIZ_HTTPD_CONF=$T/conf HAWIZ_LIB=$T/lib \
    bash -c '. "$1"; exec 8>&1; write_httpd_conf' _ "$SCRIPT"
  conf=$T/conf/hawiz.conf
  # Every answer names the region (a failover drill tells which region answered).
  grep -qxF '    Header always set X-Hawiz-Region "ap-northeast-2"' "$conf"
  grep -qxF "DocumentRoot \"$T/efs/html\"" "$conf"
  grep -qxF "    AllowOverride None" "$conf"
  grep -qxF "<Directory \"$T/efs/html/wp-admin\">" "$conf"
  grep -qxF '    <FilesMatch "^(install|setup-config)\.php$">' "$conf"
  grep -qxF 'RewriteRule "^/+wp-admin/+(install|setup-config)\.php" - [F,NC]' "$conf"
  grep -qxF "RewriteCond \"$T/run/ready\" !-f" "$conf"
  grep -qxF 'RewriteCond "%{REQUEST_URI}" "!=/hawiz-health"' "$conf"
  grep -qxF 'RewriteRule "^" - [R=503]' "$conf"
  grep -qxF "Alias \"/hawiz-health\" \"$T/lib/health.php\"" "$conf"
  grep -q '^ErrorDocument 503 ".*setting up' "$conf"
  # The installer refusal comes before the 503, so it is 403 before ready too.
  [ "$(grep -n 'F,NC' "$conf" | cut -d: -f1)" -lt "$(grep -n 'R=503' "$conf" | cut -d: -f1)" ]
  [[ -f $T/lib/health.php ]]
  [ "$(stat -c %a "$T/lib/health.php")" = 644 ]
}

@test "the health page: 200 only with the ready mark, wp-config.php and the core files (php-cgi)" {
  need php-cgi
  mkdir -p "$T/run" "$T/conf" "$T/lib"
  REGION=ap-northeast-2 HAWIZ_SHARED=$T/efs HAWIZ_RUN=$T/run HAWIZ_HTTPD_CONF=$T/conf HAWIZ_LIB=$T/lib \
    bash -c '. "$1"; exec 8>&1; write_httpd_conf' _ "$SCRIPT"
  health() { REDIRECT_STATUS=200 SCRIPT_FILENAME=$T/lib/health.php REQUEST_METHOD=GET php-cgi; }
  mkdir -p "$T/efs/html/wp-includes"
  run health
  [[ $output == *"Status: 503"*"not ready: setup has not finished on this instance"* ]]
  touch "$T/run/ready"
  run health
  [[ $output == *"Status: 503"*"not ready: wp-config.php is missing or unreadable"* ]]
  touch "$T/efs/html/wp-config.php" "$T/efs/html/index.php" "$T/efs/html/wp-load.php" "$T/efs/html/wp-settings.php"
  run health
  [[ $output == *"Status: 503"*"not ready: wp-includes/version.php is missing"* ]]
  touch "$T/efs/html/wp-includes/version.php"
  run health
  [[ $output != *"Status:"* && $output == *ok ]]
}

@test "paths Apache or PHP could misread are refused" {
  mkdir -p "$T/run"
  run env HAWIZ_SHARED="$T/it's here" HAWIZ_RUN=$T/run HAWIZ_HTTPD_CONF=$T/conf HAWIZ_LIB=$T/lib \
    bash -c '. "$1"; exec 8>&1; ABANDONED=1; lifecycle() { :; }; write_httpd_conf' _ "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ $output == *"hawiz: FAILED: unusable path for Apache and PHP: $T/it's here/html"* ]]
  [[ ! -e $T/conf/hawiz.conf ]]
}

@test "salts: exactly hawiz's 8 define() lines are accepted" {
  check() { bash -c '. "$1"; check_salts "$2"' _ "$SCRIPT" "$1"; }
  good=$(salts)
  check "$good"
  ! check "$(head -7 <<<"$good")" || false
  ! check "$good"$'\n'"$(head -1 <<<"$good")" || false
  ! check "$(sed '2s/SECURE_AUTH_KEY/AUTH_KEY/' <<<"$good")" || false
  # One character of the first key swapped for one PHP or the shell could trip on.
  for bad in "'" '"' '\\' '`' ' ' $'\t'; do
    ! check "$(sed "1s/\\(', '\\)./\\1$bad/" <<<"$good")" || false
  done
  check "$(sed "1s/\\(', '\\)./\\1~/" <<<"$good")"
  ! check "$(sed "1s/\\(', '\\)./\\1/" <<<"$good")" || false
  ! check "$(sed "1s/');\$/'); phpinfo();/" <<<"$good")" || false
}
