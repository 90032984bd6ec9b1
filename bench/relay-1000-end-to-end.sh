#!/bin/bash
# Two Relaypoint nodes on loopback: A (a.test, 2725) relays b.test to B (2726). Prints timings.
set -u
J=${J:-$(cd "$(dirname "$0")/.." && pwd)/relaypoint-app/target/relaypoint.jar}; B=/tmp/bench; rm -rf $B; mkdir -p $B
listening() { until grep -q "listening on" $1; do sleep 0.1; done; }
java -jar $J serve --listen 127.0.0.1:2726 --data-dir $B/b --hostname mx.b.test --domain b.test > $B/b.log 2>&1 & PB=$!
java -jar $J serve --listen 127.0.0.1:2725 --data-dir $B/a --hostname mx.a.test --domain a.test \
  --route b.test=127.0.0.1:2726 > $B/a.log 2>&1 & PA=$!
listening $B/a.log; listening $B/b.log
count() { ls $B/b/maildir/b.test/bob/new 2>/dev/null | wc -l; }
t0=$(date +%s.%N)
smtp-source -s 20 -m 1000 -l 1024 -f alice@a.test -t bob@b.test 127.0.0.1:2725
t1=$(date +%s.%N)
until [ "$(count)" -ge 1000 ]; do sleep 0.02; done
t2=$(date +%s.%N)
until [ "$(find $B/a/queue/incoming $B/a/queue/active $B/a/queue/deferred -type f | wc -l)" -eq 0 ]; do sleep 0.02; done
t3=$(date +%s.%N)
echo "end-to-end: 1000 x 1 KiB submitted to A in $(echo "$t1-$t0"|bc) s; all 1000 in B's Maildir after $(echo "$t2-$t0"|bc) s; A's queue empty after $(echo "$t3-$t0"|bc) s; B has $(count)"
kill $PA $PB; wait
