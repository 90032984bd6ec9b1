#!/bin/bash
# 1 GiB message A -> B through bench/tools/cutproxy.py, first connection cut after 90% of the message.
set -u
J=${J:-$(cd "$(dirname "$0")/.." && pwd)/relaypoint-app/target/relaypoint.jar}; B=/tmp/bench3; rm -rf $B; mkdir -p $B
listening() { until grep -q "listening on" $1; do sleep 0.1; done; }
python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"Subject: one GiB\r\n\r\n")
    line = b"x" * 998 + b"\r\n"
    n = (1 << 30) - 20
    while n >= 2000:
        f.write(line); n -= 1000
    a = n // 2
    f.write(b"y" * (a - 2) + b"\r\n" + b"z" * (n - a - 2) + b"\r\n")
' $B/big.eml
SIZE=$(stat -c %s $B/big.eml); CUT=$((SIZE * 9 / 10))
python3 "$(dirname "$0")/tools/cutproxy.py" 2727 2726 $CUT > $B/proxy.log 2>&1 & PP=$!
java -jar $J serve --listen 127.0.0.1:2726 --data-dir $B/b --hostname mx.b.test --domain b.test --max-message-size 2G > $B/b.log 2>&1 & PB=$!
printf 'reconnect-delay: 2s\n' > $B/a.yaml
java -jar $J serve --listen 127.0.0.1:2725 --data-dir $B/a --hostname mx.a.test --domain a.test --max-message-size 2G \
  --route b.test=127.0.0.1:2727 --config $B/a.yaml > $B/a.log 2>&1 & PA=$!
listening $B/a.log; listening $B/b.log
t0=$(date +%s.%N)
java -jar $J send --server 127.0.0.1:2725 --from alice@a.test --to bob@b.test --state-dir $B/send $B/big.eml
t1=$(date +%s.%N)
until ls $B/b/maildir/b.test/bob/new/* >/dev/null 2>&1; do sleep 0.2; done
t2=$(date +%s.%N)
echo "size=$SIZE cut-after=$CUT octets of the first connection; submitted in $(echo "$t1-$t0"|bc) s, in B's Maildir after $(echo "$t2-$t0"|bc) s"
grep -E "RemoteDelivery|restart" $B/a.log
f=$(ls $B/b/maildir/b.test/bob/new/*); tail -c $SIZE $f | cmp - $B/big.eml && echo "delivered copy identical"
kill $PA $PB $PP; wait
