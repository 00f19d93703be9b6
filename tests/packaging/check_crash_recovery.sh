#!/usr/bin/env bash
# Crash recovery, end to end: the real GUI under Xvfb, driven with keystrokes (xdotool), killed
# with SIGKILL, started again; the autosaved work must come back.
#   tests/packaging/check_crash_recovery.sh BUILD_DIR MODEL.pt
# 1. Opens a session file (seed1 1, channels 0-3) in a private HOME.
# 2. Once it has opened, presses Ctrl+1 (new seed 1) and Ctrl+A (select all channels) until the autosave
#    shows them.
# 3. kill -9. The autosave must still be there and the session file untouched.
# 4. Starts again with --restore-autosave, presses Ctrl+S (save to the session file it came from) and
#    checks that the saved session holds the autosaved seed and channels. Then Ctrl+Q: a clean exit
#    removes the autosave.
set -euo pipefail
[ -n "${LX_TRACE:-}" ] && set -x
build="${1:?build dir}"
model="$(realpath "${2:?model}")"
gui="$build/app/gui/latent-explorer"
py=/usr/bin/python3
for tool in Xvfb xdotool "$py"; do
  command -v "$tool" >/dev/null || { echo "check_crash_recovery: $tool is missing (packaging/dev.sh installs it)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'kill -9 ${pid:-} 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
autosave="$XDG_DATA_HOME/LatentExplorer/latent-explorer/autosave.lxsession"
session="$work/work.lxsession"
cat >"$session" <<EOF
{"format": "latent-explorer-session", "version": 1, "model": {"path": "$model"},
 "layer": "main.5", "seed1": 1, "seed2": 2, "channels": [0, 1, 2, 3]}
EOF
cp "$session" "$work/original.lxsession"

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
# json EXPR FILE: a Python expression over the document d.
json() { "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2" 2>/dev/null || true; }

# One private X server for both runs (no authentication: xdotool must reach it too).
display=""
for n in $(seq 90 140); do
  [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
  Xvfb ":$n" -screen 0 1600x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  if kill -0 "$xvfb" 2>/dev/null && [ -e "/tmp/.X11-unix/X$n" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || { cat "$work/xvfb.log" >&2; echo "check_crash_recovery: cannot start Xvfb" >&2; exit 1; }
trap 'kill -9 ${pid:-} 2>/dev/null || true; kill ${xvfb:-} 2>/dev/null || true; rm -rf "$work"' EXIT

# Runs the GUI on that display; sets pid.
start_gui() {
  DISPLAY="$display" "$gui" "$@" >"$work/gui.log" 2>&1 &
  pid=$!
  echo "gui pid $pid on $display"
}

key() { DISPLAY="$display" xdotool search --sync --onlyvisible --name "Latent Explorer" windowfocus --sync key "$@" 2>/dev/null || true; }

# 1-2: open the session, change it with the keyboard, wait for the autosave.
start_gui --open-session "$session" --no-restore
t0=$(date +%s.%N)
# Keys pressed before the session is applied would be overwritten by it: wait for the GUI to say it opened.
for _ in $(seq 240); do grep -q "session .* opened" "$work/gui.log" 2>/dev/null && break; sleep 0.5; done
grep -q "session .* opened" "$work/gui.log" || { cat "$work/gui.log" >&2; echo "check_crash_recovery: the session did not open within 120 s" >&2; exit 1; }
changed() {   # the autosave holds both changes: a new seed1 and all channels
  [ -f "$autosave" ] || return 1
  seed="$(json "d['seed1']" "$autosave")"
  channels="$(json "d['channels']" "$autosave")"
  [ -n "$seed" ] && [ "$seed" != 1 ] && [ -n "$channels" ] && [ "$channels" != "[0, 1, 2, 3]" ]
}
# Ctrl+1 (a new seed 1) and Ctrl+A (select all channels) give the same state however often they arrive,
# so they are pressed again every 4 s until the autosave (1.5 s after a change) shows both.
done_=""
for attempt in $(seq 240); do
  if changed; then done_=1; break; fi
  [ $((attempt % 8)) -eq 1 ] && key ctrl+1 ctrl+a
  sleep 0.5
done
[ -n "$done_" ] || { cat "$work/gui.log" >&2; echo "check_crash_recovery: no autosave with the changes within 120 s (autosave: seed1 '${seed:-}', channels '${channels:-}')" >&2; exit 1; }
# A press still on its way may give seed1 another value: take the autosave once it has stopped changing.
for _ in $(seq 20); do
  before="$(cat "$autosave")"
  sleep 3
  [ "$(cat "$autosave")" = "$before" ] && break
done
changed || { echo "check_crash_recovery: the autosave lost the changes" >&2; exit 1; }
want_seed="$seed" want_channels="$channels"
printf 'autosave after %.1f s: seed1 %s, %s channels selected\n' "$(elapsed "$t0")" \
  "$want_seed" "$(json "len(d['channels'])" "$autosave")"

# 3: SIGKILL: no destructor runs, so the autosave stays; the session file was never written.
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
[ -f "$autosave" ] || { echo "check_crash_recovery: the autosave vanished with the kill" >&2; exit 1; }
cmp -s "$session" "$work/original.lxsession" || { echo "check_crash_recovery: the session file changed before any save" >&2; exit 1; }
echo "killed with SIGKILL; autosave present, session file unchanged"

# 4: restore, save with Ctrl+S (to the file the session came from), compare, quit cleanly.
start_gui --restore-autosave
t1=$(date +%s.%N)
saved=""
for attempt in $(seq 240); do
  if ! cmp -s "$session" "$work/original.lxsession"; then saved=1; break; fi
  if [ $((attempt % 4)) -eq 1 ]; then key ctrl+s; fi
  sleep 0.5
done
[ -n "$saved" ] || { cat "$work/gui.log" >&2; echo "check_crash_recovery: Ctrl+S after the restore did not save the session" >&2; exit 1; }
got_seed="$(json "d['seed1']" "$session")"
got_channels="$(json "d['channels']" "$session")"
printf 'restored and saved after %.1f s: seed1 %s, channels %s\n' "$(elapsed "$t1")" "$got_seed" "$got_channels"
[ "$got_seed" = "$want_seed" ] || { echo "check_crash_recovery: restored seed1 $got_seed, autosave had $want_seed" >&2; exit 1; }
[ "$got_channels" = "$want_channels" ] || { echo "check_crash_recovery: restored channels $got_channels, autosave had $want_channels" >&2; exit 1; }

key ctrl+q
for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then echo "check_crash_recovery: Ctrl+Q did not end the GUI" >&2; exit 1; fi
[ ! -f "$autosave" ] || { echo "check_crash_recovery: a clean exit left the autosave behind" >&2; exit 1; }
echo "check_crash_recovery: passed (the autosave survived kill -9 and restored seed1 and channels; a clean exit removed it)"
