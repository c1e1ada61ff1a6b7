#!/bin/sh
# kmp-web station launcher: opens kmp-web in Chromium's app window, with the flags an unattended
# machine needs. Started by kmp-web-station.service (systemd user unit) or kmp-web-station.desktop
# (XDG autostart). Installed as ~/.local/bin/kmp-web-station; see "Run it as a station" in README.md.
#
# Settings come from an env file (KMP_STATION_ENV, default ~/.config/kmp-web/station.env):
#   KMP_STATION_URL           the app's address (required), e.g. http://127.0.0.1:4173/
#   CHROMIUM                  the browser to run (default: chromium, else chromium-browser from PATH)
#   KMP_STATION_PROFILE       the browser profile (default ~/.config/kmp-web/chromium)
#   KMP_STATION_KIOSK=1       full screen kiosk instead of an app window
#   KMP_STATION_FLAGS         more browser flags, e.g. --headless for a test
#   KMP_STATION_DISPLAY_WAIT  seconds to wait for the display at login (default 60)
set -eu

config="${XDG_CONFIG_HOME:-$HOME/.config}/kmp-web"
env_file="${KMP_STATION_ENV:-$config/station.env}"
if [ -r "$env_file" ]; then
  # shellcheck disable=SC1090
  . "$env_file"
fi

url="${KMP_STATION_URL:-}"
if [ -z "$url" ]; then
  echo "kmp-web station: no KMP_STATION_URL; put the app's address in $env_file" >&2
  exit 64
fi

browser="${CHROMIUM:-}"
if [ -z "$browser" ]; then
  # Debian and Raspberry Pi OS call it chromium, Ubuntu and older Raspbian chromium-browser.
  for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
      browser="$name"
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "kmp-web station: neither chromium nor chromium-browser found; install one or set CHROMIUM" >&2
  exit 69
fi

flags="${KMP_STATION_FLAGS:-}"

# At login the unit may start before the desktop has told systemd where the display is.
has_display() {
  if [ -n "${WAYLAND_DISPLAY:-}" ] && [ -S "${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/$WAYLAND_DISPLAY" ]; then
    return 0
  fi
  if [ -n "${DISPLAY:-}" ]; then
    n="${DISPLAY#*:}"
    n="${n%%.*}"
    [ -S "/tmp/.X11-unix/X$n" ] || [ "${DISPLAY%%:*}" != "" ]
    return $?
  fi
  return 1
}
case " $flags " in
  *" --headless"*) ;;
  *)
    waited=0
    limit="${KMP_STATION_DISPLAY_WAIT:-60}"
    until has_display; do
      if [ "$waited" -ge "$limit" ]; then
        echo "kmp-web station: no display after ${limit} s (DISPLAY and WAYLAND_DISPLAY unset)" >&2
        exit 75
      fi
      if command -v systemctl >/dev/null 2>&1; then
        eval "$(systemctl --user show-environment 2>/dev/null |
          grep -E '^(DISPLAY|WAYLAND_DISPLAY|XAUTHORITY|XDG_RUNTIME_DIR)=' | sed 's/^/export /')" || true
      fi
      has_display && break
      sleep 1
      waited=$((waited + 1))
    done
    ;;
esac

profile="${KMP_STATION_PROFILE:-$config/chromium}"
mkdir -p "$profile/Default"

# After a power cut Chromium finds its profile marked "crashed" and shows "Restore pages?" over
# the app. Marking the last exit clean before starting keeps the window clear.
prefs="$profile/Default/Preferences"
if [ -f "$prefs" ]; then
  sed -i 's/"exit_type":"Crashed"/"exit_type":"Normal"/; s/"exited_cleanly":false/"exited_cleanly":true/' "$prefs"
fi

if [ "${KMP_STATION_KIOSK:-0}" = 1 ]; then
  window="--kiosk --app=$url"
else
  window="--app=$url"
fi

# Why each flag:
#   --user-data-dir            a profile of its own: the serial/USB permission granted once stays,
#                              and nobody's everyday browsing shares (or clears) it
#   --no-first-run             no welcome pages or import dialog on the first start
#   --no-default-browser-check no "make Chromium your default browser" bar
#   --password-store=basic     with auto-login the keyring is locked: no unlock prompt over the app
#   --hide-crash-restore-bubble, --disable-session-crashed-bubble
#                              no "Chromium didn't shut down correctly" bubble (newer and older name)
#   --noerrdialogs             no error dialogs waiting for a click
#   --disable-features=Translate
#                              no "translate this page?" bar
#   --disable-background-timer-throttling, --disable-renderer-backgrounding,
#   --disable-backgrounding-occluded-windows
#                              the station's one page keeps its timers even when the screen is
#                              covered or the window minimised
#   --overscroll-history-navigation=0
#                              a swipe on a touch screen does not navigate away from the app
# shellcheck disable=SC2086
exec "$browser" \
  --user-data-dir="$profile" \
  --no-first-run \
  --no-default-browser-check \
  --password-store=basic \
  --hide-crash-restore-bubble \
  --disable-session-crashed-bubble \
  --noerrdialogs \
  --disable-features=Translate \
  --disable-background-timer-throttling \
  --disable-renderer-backgrounding \
  --disable-backgrounding-occluded-windows \
  --overscroll-history-navigation=0 \
  $flags \
  $window
