#!/usr/bin/env bash
# start-mailstack.sh - a real, loopback-only test mail stack (Debian 12, run as root, no systemd)
# Taken from the team's shared/mailstack; README.md here lists the pitfalls it works around.
#
#   Postfix (SMTP, 127.0.0.1:$MAILSTACK_SMTP_PORT)
#     --virtual_transport=lmtp:unix:-->  Dovecot LMTP  -->  Maildir under $MAILSTACK_DIR/mail
#   Dovecot (IMAP, 127.0.0.1:$MAILSTACK_IMAP_PORT), virtual users from a passwd-file (no system users)
#   Optional TLS (default on): IMAPS $MAILSTACK_IMAPS_PORT, SMTPS $MAILSTACK_SMTPS_PORT (AUTH required),
#   STARTTLS offered on the plain ports. Self-signed cert in $MAILSTACK_DIR/tls/cert.pem (use it as CA).
#
# Idempotent: installs packages only if missing; if already running, rewrites config and reloads.
# Both daemons run from private config dirs; /etc/postfix and /etc/dovecot are never modified.
#
# Environment (all optional):
#   MAILSTACK_DIR         state dir                     (default /tmp/mailstack)
#   MAILSTACK_HOST        listen address                (default 127.0.0.1)
#   MAILSTACK_IMAP_PORT   IMAP (plain + STARTTLS)       (default 10143)
#   MAILSTACK_SMTP_PORT   SMTP, no auth needed from 127/8, AUTH offered (default 10025)
#   MAILSTACK_TLS         1 = also IMAPS/SMTPS + STARTTLS (default 1)
#   MAILSTACK_IMAPS_PORT  IMAPS                         (default 10993)
#   MAILSTACK_SMTPS_PORT  SMTPS (implicit TLS, AUTH required) (default 10465)
#   MAILSTACK_USERS       space-separated "addr:password" list
#                         (default letters, editor, author1, author2, reader @news.test, password "<local>-pw")
#   MAILSTACK_VMAIL_UID / MAILSTACK_VMAIL_GID  numeric owner of the Maildirs (default 5000; needs no passwd entry)
#   MAILSTACK_INSTALL     1 = apt-get install missing packages (default 1)
#   MAILSTACK_RESET       1 = stop if running, wipe mail + queue, then start (default 0)
#   MAILSTACK_STRIP_AUTHSERV_ID  an authserv-id: Postfix drops incoming Authentication-Results
#                         headers carrying it (header_checks, RFC 8601 §5) (default: none dropped)
set -euo pipefail

D="${MAILSTACK_DIR:-/tmp/mailstack}"
HOST="${MAILSTACK_HOST:-127.0.0.1}"
IMAP_PORT="${MAILSTACK_IMAP_PORT:-10143}"
SMTP_PORT="${MAILSTACK_SMTP_PORT:-10025}"
TLS="${MAILSTACK_TLS:-1}"
IMAPS_PORT="${MAILSTACK_IMAPS_PORT:-10993}"
SMTPS_PORT="${MAILSTACK_SMTPS_PORT:-10465}"
VUID="${MAILSTACK_VMAIL_UID:-5000}"
VGID="${MAILSTACK_VMAIL_GID:-5000}"
USERS="${MAILSTACK_USERS:-letters@news.test:letters-pw editor@news.test:editor-pw author1@news.test:author1-pw author2@news.test:author2-pw reader@news.test:reader-pw}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "[mailstack] $*" >&2; }
trap 'echo "[mailstack] ERROR: line $LINENO failed: $BASH_COMMAND" >&2' ERR
die() { echo "[mailstack] ERROR: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (Postfix and Dovecot masters need root)"
case "$D" in /*) ;; *) D="$(pwd)/$D" ;; esac
D="${D%/}"
[[ "$D" != *[[:space:]]* ]] || die "MAILSTACK_DIR must not contain whitespace (postfix/dovecot config values)"

# ---------------------------------------------------------------- 1. install
need_install() {
  [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/lmtp ] &&
  [ -x /usr/sbin/postfix ] && [ -x /usr/lib/postfix/sbin/master ] &&
  { [ "$TLS" != 1 ] || command -v openssl >/dev/null; } && return 1
  return 0
}
if need_install; then
  [ "${MAILSTACK_INSTALL:-1}" = 1 ] || die "postfix/dovecot not installed and MAILSTACK_INSTALL!=1"
  # name only what is missing: naming an installed package makes apt upgrade it (and e.g. libssl3)
  PKGS=""
  [ -x /usr/sbin/postfix ] && [ -x /usr/lib/postfix/sbin/master ] || PKGS="postfix"
  [ -x /usr/lib/dovecot/imap ] || PKGS="$PKGS dovecot-imapd"
  [ -x /usr/lib/dovecot/lmtp ] || PKGS="$PKGS dovecot-lmtpd"
  command -v openssl >/dev/null || PKGS="$PKGS openssl"
  log "installing $PKGS ..."
  t0=$(date +%s.%N)
  # Keep the packages' own init scripts from starting system-wide instances on :25/:143.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string localhost.localdomain" | debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  rc=0
  apt-get update -qq || rc=$?
  if [ $rc = 0 ]; then
    apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      $PKGS >/tmp/mailstack-apt.log 2>&1 || rc=$?
  fi
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $rc = 0 ] || { tail -30 /tmp/mailstack-apt.log >&2 || true; die "apt-get failed (rc=$rc)"; }
  log "installed in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"
fi

# ---------------------------------------------------------------- 2. paths / sanity
ETC="$D/etc"; PF="$D/etc/postfix"; LOGS="$D/log"; MAIL="$D/mail"; PFDATA="$D/postfix-data"
# Runtime dir = dovecot base_dir + postfix queue_directory. Both hold unix sockets and sun_path is
# limited to 108 bytes (e.g. .../spool/private/proxywrite, .../dovecot/token-login/tokenlogin),
# so for long state paths (pytest tmp_path!) use a short per-state-dir path under /tmp instead.
# (derived from MAILSTACK_DIR only: MAILSTACK_RUN_DIR in mailstack.env is output, never read back)
RT="$D/run"
if [ ${#RT} -gt 64 ]; then RT="/tmp/mailstack-run-$(printf %s "$D" | md5sum | cut -c1-10)"; fi
RUN="$RT/dovecot"; SPOOL="$RT/spool"

alive_pid() { # exists and is not a zombie (PID 1 on these machines reaps orphans late, if at all)
  local s; { s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  s=${s##*) }; [ "${s%% *}" != Z ]
}
dovecot_pid() {
  local p; p=$(cat "$RUN/master.pid" 2>/dev/null) || return 1
  [ -n "$p" ] && alive_pid "$p" && [ "$(cat /proc/$p/comm 2>/dev/null)" = dovecot ] && echo "$p"
}
postfix_pid() {
  local p; p=$(tr -d ' ' 2>/dev/null < "$SPOOL/pid/master.pid") || return 1
  [ -n "$p" ] && alive_pid "$p" && [ "$(readlink /proc/$p/exe 2>/dev/null)" = /usr/lib/postfix/sbin/master ] && echo "$p"
}

if [ "${MAILSTACK_RESET:-0}" = 1 ]; then
  MAILSTACK_DIR="$D" bash "$HERE/stop-mailstack.sh" || true
  rm -rf "$MAIL" "$SPOOL" "$PFDATA" "$D/dovecot-state" "$LOGS"
fi

mkdir -p "$D" "$ETC" "$PF" "$LOGS" "$MAIL" "$SPOOL" "$D/dovecot-state" "$RT"
# Dovecot's mail processes (uid $VUID) and postfix's lmtp client (user postfix) must be able to
# traverse every ancestor of the mail dir / socket dir.
chmod 755 "$D" "$ETC" "$LOGS" "$RT"
chown root:root "$SPOOL"; chmod 755 "$SPOOL"
chown "$VUID:$VGID" "$MAIL"; chmod 770 "$MAIL"
check_traversable() {
  local p="$1"
  while [ "$p" != "/" ] && [ -n "$p" ]; do
    p=$(dirname "$p")
    local mode; mode=$(stat -c %a "$p")
    (( (8#$mode & 1) == 1 )) || die "$p (mode $mode) is not o+x: uid $VUID/postfix cannot reach $1; put MAILSTACK_DIR elsewhere (e.g. under /tmp)"
  done
}
check_traversable "$MAIL"; check_traversable "$RT/dovecot"

# ---------------------------------------------------------------- 3. users
: > "$ETC/users.new"; : > "$PF/vmailbox.new"; DOMAINS=""
for entry in $USERS; do
  addr="${entry%%:*}"; pw="${entry#*:}"
  [ "$addr" != "$entry" ] && [[ "$addr" == *@* ]] || die "bad MAILSTACK_USERS entry '$entry' (want addr@domain:password)"
  [[ "$pw" != *:* ]] || die "password for $addr must not contain ':'"
  addr="${addr,,}"; dom="${addr#*@}"
  # passwd-file: user:password:uid:gid:gecos:home:shell:extra   (uid/gid/home come from default_fields)
  echo "$addr:{PLAIN}$pw::::::" >> "$ETC/users.new"
  echo "$addr OK" >> "$PF/vmailbox.new"
  case " $DOMAINS " in *" $dom "*) ;; *) DOMAINS="${DOMAINS:+$DOMAINS }$dom" ;; esac
done
[ -n "$DOMAINS" ] || die "MAILSTACK_USERS is empty"
FIRST_DOMAIN="${DOMAINS%% *}"
chown root:dovecot "$ETC/users.new"; chmod 640 "$ETC/users.new"; mv -f "$ETC/users.new" "$ETC/users"
mv -f "$PF/vmailbox.new" "$PF/vmailbox"

# ---------------------------------------------------------------- 4. TLS cert (self-signed)
if [ "$TLS" = 1 ]; then
  mkdir -p "$D/tls"; chmod 755 "$D/tls"
  if [ ! -s "$D/tls/cert.pem" ] || [ ! -s "$D/tls/key.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,DNS:mail.$FIRST_DOMAIN,IP:127.0.0.1" \
      -keyout "$D/tls/key.pem" -out "$D/tls/cert.pem" 2>/dev/null || die "openssl failed"
    chmod 600 "$D/tls/key.pem"; chmod 644 "$D/tls/cert.pem"
  fi
fi

# ---------------------------------------------------------------- 5. dovecot config
cat > "$ETC/dovecot.conf" <<EOF
# generated by start-mailstack.sh - do not edit
base_dir = $RUN
state_dir = $D/dovecot-state
instance_name = mailstack-$(printf %s "$D" | md5sum | cut -c1-8)
protocols = imap lmtp
listen = $HOST
log_path = $LOGS/dovecot.log
auth_verbose = yes
auth_failure_delay = 0
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
mail_uid = $VUID
mail_gid = $VGID
first_valid_uid = 1
first_valid_gid = 1
mail_privileged_group =
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
mailbox_idle_check_interval = 1 secs
mail_max_userip_connections = 200
imap_hibernate_timeout = 0
postmaster_address = postmaster@$FIRST_DOMAIN
hostname = mail.$FIRST_DOMAIN
EOF
if [ "$TLS" = 1 ]; then
  cat >> "$ETC/dovecot.conf" <<EOF
ssl = yes
ssl_cert = <$D/tls/cert.pem
ssl_key = <$D/tls/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
EOF
else
  echo "ssl = no" >> "$ETC/dovecot.conf"
fi
cat >> "$ETC/dovecot.conf" <<EOF
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $ETC/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $ETC/users
  default_fields = uid=$VUID gid=$VGID home=$MAIL/%Ld/%Ln
}
service imap-login {
  inet_listener imap {
    address = $HOST
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = $HOST
    port = $([ "$TLS" = 1 ] && echo "$IMAPS_PORT" || echo 0)
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service anvil {
  # disable the per-IP auth penalty (2,4,8..15 s delays for ALL logins from 127.0.0.1 after a few
  # failed ones) - tests provoke wrong-password failures on purpose
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
service auth {
  # SMTP AUTH for postfix smtpd (smtpd_sasl_type = dovecot)
  unix_listener auth-client {
    mode = 0666
  }
}
protocol lmtp {
  lmtp_hdr_delivery_address = final
}
EOF
doveconf -c "$ETC/dovecot.conf" -n >/dev/null 2>"$LOGS/doveconf.err" || { cat "$LOGS/doveconf.err" >&2; die "dovecot config invalid"; }

# ---------------------------------------------------------------- 6. postfix config
cat > "$PF/main.cf" <<EOF
# generated by start-mailstack.sh - do not edit
compatibility_level = 3.6
queue_directory = $SPOOL
data_directory = $PFDATA
myhostname = mail.$FIRST_DOMAIN
mydomain = $FIRST_DOMAIN
myorigin = \$myhostname
mydestination =
local_recipient_maps =
local_transport = error:local delivery is disabled
alias_maps =
alias_database =
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
# every domain not listed below bounces at once instead of waiting for DNS
default_transport = error:no delivery outside the test domains
relay_transport = error:no delivery outside the test domains
virtual_mailbox_domains = $DOMAINS
virtual_mailbox_maps = texthash:$PF/vmailbox
virtual_transport = lmtp:unix:$RUN/lmtp
recipient_delimiter = +
smtpd_banner = \$myhostname ESMTP test-mailstack
smtpd_peername_lookup = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $RUN/auth-client
smtpd_sasl_security_options = noanonymous
broken_sasl_auth_clients = yes
# no 1s penalty after failed AUTH / rejected commands (tests provoke those on purpose)
smtpd_error_sleep_time = 0
maillog_file = $LOGS/postfix.log
maillog_file_prefixes = $LOGS
biff = no
append_dot_mydomain = no
readme_directory = no
# smtpd dies ("fatal: no SASL authentication mechanisms") while dovecot's auth socket is down, and
# master then throttles smtpd for service_throttle_time (default 60 s: SMTP connects just hang)
service_throttle_time = 2s
# fast retries: a deferred message (e.g. dovecot restarting) is retried within seconds
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 10s
in_flow_delay = 0
delay_warning_time = 0
EOF
if [ "$TLS" = 1 ]; then
  cat >> "$PF/main.cf" <<EOF
smtpd_tls_cert_file = $D/tls/cert.pem
smtpd_tls_key_file = $D/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = no
smtpd_tls_session_cache_database =
EOF
fi
STRIP_ID="${MAILSTACK_STRIP_AUTHSERV_ID:-}"
if [ -n "$STRIP_ID" ]; then
  # what a border MTA must do (RFC 8601 §5): a sender's Authentication-Results claiming our
  # authserv-id never reaches the mailbox; headers a milter adds are not subject to header_checks
  [[ "$STRIP_ID" =~ ^[A-Za-z0-9.-]+$ ]] || die "MAILSTACK_STRIP_AUTHSERV_ID must be a host-like id"
  printf '/^Authentication-Results:[[:space:]]*%s([[:space:]]|;)/ IGNORE\n' "${STRIP_ID//./\\.}" \
    > "$PF/header_checks"
  echo "header_checks = regexp:$PF/header_checks" >> "$PF/main.cf"
fi
cat > "$PF/master.cf" <<EOF
# generated by start-mailstack.sh - no chroot anywhere (sockets/paths are absolute)
# service type  private unpriv  chroot  wakeup  maxproc command + args
$HOST:$SMTP_PORT inet n -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
if [ "$TLS" = 1 ]; then
  cat >> "$PF/master.cf" <<EOF
$HOST:$SMTPS_PORT inet n -      n       -       -       smtpd
  -o smtpd_tls_wrappermode=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
EOF
fi
# Postfix refuses to read a main.cf modified < 2 s ago (it sleeps until the mtime is older, to
# avoid half-written files): backdate the generated files so start/reload don't stall 2 s.
touch -d "@$(( $(date +%s) - 10 ))" "$PF/main.cf" "$PF/master.cf" "$PF/vmailbox"
# NB: postfix commands print errors to stderr only when it is a tty; otherwise they go to
# syslog (absent here) or maillog_file. Run `script -qec "postfix -c DIR check" /dev/null` to see them.
postfix -c "$PF" check </dev/null >"$LOGS/postfix-check.err" 2>&1 ||
  { cat "$LOGS/postfix-check.err" >&2; tail -5 "$LOGS/postfix.log" >&2 2>/dev/null || true; die "postfix check failed (see $LOGS/postfix.log)"; }

# ---------------------------------------------------------------- 7. start (or reload)
port_busy() { # is anything LISTENing on this TCP port (any address)? no connection is made
  local hex; hex=$(printf '%04X' "$1")
  grep -qE "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:[0-9A-F]+ 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
wait_banner() { # port prefix quit-cmd
  local i line
  for i in $(seq 1 150); do
    if { exec 3<>"/dev/tcp/$HOST/$1"; } 2>/dev/null; then
      line=""; read -r -t 2 line <&3 || true
      printf '%s\r\n' "$3" >&3 2>/dev/null || true
      exec 3<&- 3>&-
      [[ "$line" == "$2"* ]] && return 0
    fi
    sleep 0.1
  done
  return 1
}

t0=$(date +%s.%N)
if dp=$(dovecot_pid); then
  log "dovecot already running (pid $dp): reloading config"
  kill -HUP "$dp"
else
  rm -f "$RUN/master.pid"
  for p in "$IMAP_PORT" $([ "$TLS" = 1 ] && echo "$IMAPS_PORT"); do
    ! port_busy "$p" || die "port $HOST:$p already in use by another process"
  done
  # daemons must not inherit our stdout/stderr: a caller reading them through a pipe
  # (`start-mailstack.sh | tee`, subprocess.run(capture_output=True)) would otherwise never see EOF
  dovecot -c "$ETC/dovecot.conf" </dev/null >>"$LOGS/dovecot.stdout" 2>&1 ||
    { cat "$LOGS/dovecot.stdout" >&2; tail -20 "$LOGS/dovecot.log" >&2 || true; die "dovecot failed to start"; }
fi
if pp=$(postfix_pid); then
  log "postfix already running (pid $pp): reloading config"
  postfix -c "$PF" reload </dev/null >>"$LOGS/postfix.stdout" 2>&1 || { cat "$LOGS/postfix.stdout" >&2; die "postfix reload failed"; }
else
  for p in "$SMTP_PORT" $([ "$TLS" = 1 ] && echo "$SMTPS_PORT"); do
    ! port_busy "$p" || die "port $HOST:$p already in use by another process"
  done
  postfix -c "$PF" start </dev/null >>"$LOGS/postfix.stdout" 2>&1 ||
    { cat "$LOGS/postfix.stdout" >&2; tail -20 "$LOGS/postfix.log" >&2 || true; die "postfix failed to start"; }
fi
for i in $(seq 1 50); do [ -S "$RUN/lmtp" ] && [ -S "$RUN/auth-client" ] && break; sleep 0.1; done
[ -S "$RUN/lmtp" ] || die "dovecot lmtp socket $RUN/lmtp missing"
wait_banner "$IMAP_PORT" "* OK" "a LOGOUT" || { tail -20 "$LOGS/dovecot.log" >&2 || true; die "IMAP on $HOST:$IMAP_PORT not answering"; }
wait_banner "$SMTP_PORT" "220" "QUIT" || { tail -20 "$LOGS/postfix.log" >&2 || true; die "SMTP on $HOST:$SMTP_PORT not answering"; }
if [ "$TLS" = 1 ]; then
  for p in "$IMAPS_PORT" "$SMTPS_PORT"; do
    for i in $(seq 1 50); do port_busy "$p" && break; sleep 0.1; done
    port_busy "$p" || die "TLS port $HOST:$p not listening"
  done
fi

cat > "$D/mailstack.env" <<EOF
# source this file; written by start-mailstack.sh
export MAILSTACK_DIR='$D'
export MAILSTACK_RUN_DIR='$RT'
export MAILSTACK_HOST='$HOST'
export MAILSTACK_IMAP_PORT='$IMAP_PORT'
export MAILSTACK_SMTP_PORT='$SMTP_PORT'
export MAILSTACK_TLS='$TLS'
export MAILSTACK_IMAPS_PORT='$IMAPS_PORT'
export MAILSTACK_SMTPS_PORT='$SMTPS_PORT'
export MAILSTACK_CA_FILE='$([ "$TLS" = 1 ] && echo "$D/tls/cert.pem")'
export MAILSTACK_USERS='$USERS'
EOF
log "up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s: IMAP $HOST:$IMAP_PORT SMTP $HOST:$SMTP_PORT$([ "$TLS" = 1 ] && echo " IMAPS :$IMAPS_PORT SMTPS :$SMTPS_PORT") dovecot pid $(dovecot_pid) postfix pid $(postfix_pid); env: $D/mailstack.env"
