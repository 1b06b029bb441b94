#!/usr/bin/env bash
# stop-mailstack.sh - stop the Postfix + Dovecot started by start-mailstack.sh for $MAILSTACK_DIR.
# Taken from the team's shared/mailstack; README.md here lists the pitfalls it works around.
#
# Only touches processes of this state dir: the two masters named in its pid files (checked to really
# be /usr/lib/postfix/sbin/master resp. dovecot), plus the members of the sessions those masters lead
# (both daemonize with setsid(), so every child they spawn - smtpd, qmgr, imap, lmtp, ... - carries
# session id == master pid, even after being re-parented to PID 1). Idempotent.
#
#   MAILSTACK_DIR         state dir (default /tmp/mailstack)
#   MAILSTACK_STOP_GRACE  seconds to wait after SIGTERM before SIGKILLing leftovers (default 4).
#                         Dovecot lets an imap process with recent client I/O (e.g. an open IDLE)
#                         linger up to 10 s after shutdown; KILL is safe for Maildir.
#   MAILSTACK_WIPE        1 = also delete the state dir afterwards (default 0)
set -uo pipefail
D="${MAILSTACK_DIR:-/tmp/mailstack}"
case "$D" in /*) ;; *) D="$(pwd)/$D" ;; esac
D="${D%/}"
GRACE="${MAILSTACK_STOP_GRACE:-4}"
log() { echo "[mailstack] $*" >&2; }

RT="$D/run"
if [ -f "$D/mailstack.env" ]; then
  r=$(sed -n "s/^export MAILSTACK_RUN_DIR='\(.*\)'$/\1/p" "$D/mailstack.env"); [ -n "$r" ] && RT="$r"
elif [ ${#RT} -gt 64 ]; then
  RT="/tmp/mailstack-run-$(printf %s "$D" | md5sum | cut -c1-10)"
fi
RUN="$RT/dovecot"; SPOOL="$RT/spool"

# pids (not zombies) whose session id is one of the given master pids - pure bash, no procps needed
session_members() {
  local c s f
  for c in /proc/[0-9]*; do
    { s=$(<"$c/stat"); } 2>/dev/null || continue
    s=${s##*) }                               # "pid (comm) S ppid pgrp sid ..." -> "S ppid pgrp sid ..."
    read -r -a f <<<"$s"
    [ "${f[0]}" = Z ] && continue
    for m in "$@"; do [ "${f[3]}" = "$m" ] && { echo "${c#/proc/}"; break; }; done
  done
  return 0
}

alive_pid() { # exists and is not a zombie
  local s; { s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  s=${s##*) }; [ "${s%% *}" != Z ]
}

MASTERS=()
pf=$(tr -d ' ' 2>/dev/null < "$SPOOL/pid/master.pid")
if [ -n "$pf" ] && alive_pid "$pf" && [ "$(readlink /proc/$pf/exe 2>/dev/null)" = /usr/lib/postfix/sbin/master ]; then
  MASTERS+=("$pf"); log "stopping postfix (master pid $pf)"
else
  log "postfix not running"
fi
dv=$(cat "$RUN/master.pid" 2>/dev/null)
if [ -n "$dv" ] && alive_pid "$dv" && [ "$(cat /proc/$dv/comm 2>/dev/null)" = dovecot ]; then
  MASTERS+=("$dv"); log "stopping dovecot (master pid $dv)"
else
  log "dovecot not running"
fi

if [ ${#MASTERS[@]} -gt 0 ]; then
  kill -TERM "${MASTERS[@]}" 2>/dev/null || true    # both shut down in parallel
  t0=$(date +%s%N)
  while :; do
    left=$(session_members "${MASTERS[@]}" | tr '\n' ' ')
    [ -z "${left// /}" ] && break
    if [ $(( ($(date +%s%N) - t0) / 1000000 )) -ge $(( GRACE * 1000 )) ]; then
      log "still running after ${GRACE}s: $left- sending SIGKILL"
      kill -KILL $left 2>/dev/null || true
      for i in $(seq 1 30); do [ -z "$(session_members "${MASTERS[@]}")" ] && break; sleep 0.1; done
      break
    fi
    sleep 0.1
  done
  log "stopped in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi
rm -f "$SPOOL/pid/master.pid" "$RUN/master.pid"

if [ "${MAILSTACK_WIPE:-0}" = 1 ]; then
  rm -rf "$D"
  case "$RT" in "$D"/*|/tmp/mailstack-run-*) rm -rf "$RT" ;; esac
  log "wiped $D"
fi
exit 0
