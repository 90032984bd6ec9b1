#!/usr/bin/env bash
# One command: Relaypoint vs Postfix vs smtp-sink on loopback. See bench/README.md.
#   bench/run.sh                      # default run, ~10-15 minutes on a 2-core machine
#   BENCH_RUNS=5 BENCH_MSGS=20000 bench/run.sh   # longer
# Needs root (installs and reconfigures Postfix, raises ulimit -n). Loopback traffic only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [ "$(id -u)" != 0 ]; then
  echo "bench/run.sh: run as root (it installs and configures Postfix on 127.0.0.1:2526)" >&2
  exit 2
fi

need_pkgs=()
command -v postfix >/dev/null || need_pkgs+=(postfix)
command -v smtp-source >/dev/null || need_pkgs+=(postfix)
command -v nc >/dev/null || need_pkgs+=(netcat-openbsd)
command -v python3 >/dev/null || need_pkgs+=(python3)
command -v jcmd >/dev/null && command -v jstat >/dev/null || need_pkgs+=(openjdk-17-jdk-headless)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "bench: installing ${need_pkgs[*]}" >&2
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_pkgs[@]}" >/dev/null
fi

echo "bench: building Relaypoint and relaypoint-bench" >&2
(cd "$root" && ./mvnw -q -B -DskipTests package -pl relaypoint-app,relaypoint-bench -am) >&2
touch "$root/relaypoint-app/target/relaypoint.jar"   # ./relaypoint must not rebuild mid-run

# 10,000 idle sessions need as many descriptors on both sides
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# no other SMTP server of ours may hold the bench ports
for port in 2525 2526 2531 2532 2533 2539; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    if [ "$port" = 2526 ]; then postfix stop >/dev/null 2>&1 || true; sleep 1; continue; fi
    echo "bench: 127.0.0.1:$port is in use; stop what listens there first" >&2
    exit 2
  fi
done

export BENCH_CMDLINE="${BENCH_CMDLINE:-$(env | grep -E '^BENCH_' | grep -v BENCH_CMDLINE | sort | tr '\n' ' ')bench/run.sh}"
exec timeout "${BENCH_TIMEOUT:-3600}" python3 "$here/lib/bench.py"
