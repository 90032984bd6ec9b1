#!/bin/bash
# Configure the Debian postfix package as a loopback-only, accept-then-discard benchmark MTA on
# 127.0.0.1:$PORT (no port 25 listener, nothing relayed). Copied from the design notes'
# postfix-bench-setup.sh, with message_size_limit raised so a 1 GiB message fits.
# It REWRITES /etc/postfix/main.cf and master.cf: run it only on a bench/CI machine.
set -eu
PORT=${PORT:-2526}
MSG_LIMIT=${MSG_LIMIT:-2147483647}
postfix stop 2>/dev/null || true
cp /etc/postfix/master.cf.proto /etc/postfix/master.cf        # pristine Debian master.cf
: > /etc/postfix/main.cf
postconf -e \
  'compatibility_level = 3.6' \
  'myhostname = mta.localdomain' 'mydomain = localdomain' 'myorigin = $myhostname' \
  'mydestination = localhost, $myhostname, localhost.$mydomain' \
  'inet_interfaces = 127.0.0.1' 'inet_protocols = ipv4' 'mynetworks = 127.0.0.0/8' \
  'local_recipient_maps =' \
  'alias_maps = hash:/etc/aliases' 'alias_database = hash:/etc/aliases' \
  'local_transport = discard:' 'default_transport = discard:' 'relay_transport = discard:' \
  "message_size_limit = ${MSG_LIMIT}" 'mailbox_size_limit = 0' \
  'maillog_file = /var/log/postfix-bench.log' \
  'smtpd_banner = $myhostname ESMTP' 'biff = no' 'append_dot_mydomain = no' \
  'readme_directory = no' 'shlib_directory = /usr/lib/postfix'
postconf -M# smtp/inet                                          # no listener on :25
postconf -M "127.0.0.1:${PORT}/inet = 127.0.0.1:${PORT} inet n - n - - smtpd"
postconf -F '*/*/chroot = n'                                    # avoid Debian chroot file copying
newaliases
postfix check
echo "postfix configured: 127.0.0.1:${PORT} -> cleanup (fsync) -> qmgr -> discard (message_size_limit ${MSG_LIMIT})"
