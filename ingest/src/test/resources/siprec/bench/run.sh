#!/usr/bin/env bash
# The SIPREC benchmark: CALLS concurrent recorded calls of CALL_SECONDS each, set up by SIPp at 20 calls/s over
# TCP, their RTP (two PCMU streams per call) sent by rtp_load.py, into one recording server process (SiprecLoad
# server) that writes to an embedded broker in a process of its own. Prints the server's CPU every 5 s and, at
# the end, RTP packets sent and received. Run from the repository root after
#   ./mvnw -o -q -pl ingest -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/siprec-cp.txt -Dmdep.includeScope=test
# Usage: ingest/src/test/resources/siprec/bench/run.sh CALLS CALL_SECONDS
set -euo pipefail
calls=$1
call_seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp="ingest/target/classes:ingest/target/test-classes:$(cat /tmp/siprec-cp.txt)"
java_opts=(-Dlog4j2.configurationFile=config/log4j2-test.xml -cp "$cp")
wav=fixtures/audio/call-stereo-8k-mulaw.wav
sip_port=5070
server= load=

java "${java_opts[@]}" io.emostream.ingest.siprec.SiprecLoad kafka > "$work/kafka.log" 2>&1 &
kafka=$!
trap 'kill $kafka $server $load 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q '^bootstrap ' "$work/kafka.log"; do sleep 1; done
bootstrap=$(awk '/^bootstrap /{print $2}' "$work/kafka.log")

seconds=$(( (calls / 20 + call_seconds + 25) / 5 * 5 ))
java "${java_opts[@]}" io.emostream.ingest.siprec.SiprecLoad server "$bootstrap" $sip_port $seconds > "$work/server.log" 2>&1 &
server=$!
until grep -q 'SIPREC recording server listening' "$work/server.log"; do sleep 1; done

python3 "$here/rtp_load.py" --wav $wav --ports-file "$work/ports" --call-seconds "$call_seconds" > "$work/load.log" 2>&1 &
load=$!
sed -e "s|@PORTS_FILE@|$work/ports|" -e "s|@CALL_MS@|$((call_seconds * 1000))|" "$here/bench-session.xml" > "$work/bench.xml"
sipp -sf "$work/bench.xml" -t t1 -i 127.0.0.1 -p 5071 -r 20 -l "$calls" -m "$calls" -nostdin -timeout $((seconds + 30)) \
    127.0.0.1:$sip_port > "$work/sipp.log" 2>&1 || echo "SIPp exit status $? (failed calls)"
wait $load || true
wait $server || true
grep -E '^t=' "$work/server.log"
cat "$work/load.log"
awk '/RtpStream - RTP stream/ {for (i = 1; i <= NF; i++) if ($i == "packets,") n += $(i-1); s++} END {print "streams " s ", packets received " n}' "$work/server.log"
grep -cE 'WARN|ERROR' "$work/server.log" | sed 's/^/server warnings and errors: /'
