#!/usr/bin/env bash
# WebRTC load test: N libwebrtc visitors -> Warmline (WHIP, ICE-lite, DTLS-SRTP, Opus) -> escalated to a SIPp support
# line (PCMU, RTP echoed) -> back to each visitor, all on loopback.
#
#   sipp/webrtc-bench.sh --legs 60 [--hold 60]
#
# Each visitor is a webrtc-java peer connection in one client JVM (io.warmline.webrtc.load.WebRtcLoad, test scope of
# module webrtc) sending a tone in real time. It mints a widget token with the API key, posts its offer to
# /v1/conversations/<its own>/voice, waits for ICE + DTLS, then escalates its conversation to target "support"; the
# SIPp UAS (uas-echo-pcmu-only.xml, -rtp_echo) answers with PCMU and echoes, so each visitor hears its own tone back
# after Opus decode -> mix -> PCMU encode -> SIPp -> PCMU decode -> mix -> Opus encode in Warmline. With every leg up
# the client measures a steady window (--hold s): CPU of Warmline, of itself and of SIPp from /proc, RTP and the
# frames carrying each leg's tone; then it hangs up, and this script adds Warmline's own counts from its log (late
# output frames of each conversation's bridge over the whole run, ramp included; the client reports the steady
# window's own from Warmline's /metrics; handshake times per leg). The client also splits its own CPU in the window
# by thread (libwebrtc's per-stream AudioEncoder queues, the headless module's playout thread webrtc_audio_module,
# the worker and network threads, the feeder), with each group's context switches per second.
#
# Options:
#   --legs N          concurrent WebRTC legs, each in its own conversation with one SIP leg (default 60, at most 500)
#   --hold S          seconds of the measured window once all legs are up (default 60)
#   --settle S        seconds between the last leg up and the window (default 5)
#   --parallel N      offers (and escalations) in flight at once during the ramp (default 4)
#   --jar FILE        Warmline jar (default bridge/target/warmline.jar)
#   --out DIR         output directory (default /tmp/warmline-webrtc-bench-<time>)
#   --heap SIZE       Warmline's -Xms/-Xmx (default 1g)
#   --nice N          run Warmline, SIPp and the client at this niceness (e.g. -15: ahead of other users' builds on
#                     a shared machine; a negative one needs root); default 0
#   --client-below N  run the load client N nice levels below Warmline and SIPp (default 0: all equal). On a box
#                     where the clients take most of the CPU, this lets the node's event loops run first and the
#                     load generator absorb the waiting; the report says so beside the figures
#   --port-base N     Warmline SIP N, HTTP N+1, WebRTC N+2, UAS SIP N+20, UAS RTP N+60; Warmline RTP 40000-59999
#                     (default 22000)
#   --realtime N      media.realtime-priority N in Warmline's config (default 0: off): its call loops and WebRTC port
#                     loop run SCHED_RR at priority N. Inside the user namespace CAP_SYS_NICE does not reach the host's
#                     scheduler, so RLIMIT_RTPRIO is raised to N before entering it (needs CAP_SYS_RESOURCE or a hard
#                     limit of at least N); where it cannot be raised and this shell has CAP_SYS_NICE, the script sets
#                     the same policy from outside instead (chrt -r -R -p N on each thread named warmline-call* or
#                     webrtc-port*, as they appear). The report says which, and what the loops actually ran at
#   --call-loops N    media.call-loops N in Warmline's config (default 0: one per processor)
#   --warm-up N       media.warm-up-seconds N in Warmline's config (default: not set, the node's default; 0 = off)
#   --transport T     media.transport T in Warmline's config: auto, epoll or nio (default auto: epoll where it loads);
#                     the report names the transport Warmline chose
#   --thread-sched    also sample Warmline's threads every second (/proc/<pid>/task/*: schedstat's CPU and run-queue
#                     wait, context switches, se.nr_migrations of /proc/*/sched) into threads.log, and report per
#                     thread group (call loops, WebRTC port, JIT, GC, ...) over the samples with every leg up
#   Client settings (the client's own side only; Warmline's answer is never changed; see docs/performance.md,
#   "The load client's own cost", for what each costs):
#   --feed-burst N    10 ms tone frames pushed per peer per feeder round, rounds every N x 10 ms (default 2: one
#                     wake of each peer's encoder queue per 20 ms packet instead of two; 1 = a browser's cadence)
#   --odd-feed-burst N  the same for the odd-numbered peers only (default: as --feed-burst): A/B in one run, the
#                     report then splits the encoder queues into the half woken less and the half woken more
#   --feed-rate HZ    rate the tone is pushed at (default 48000, the rate libwebrtc's Opus encoder takes: no
#                     resampling in the send path; 8000/16000/32000 add a resampler there)
#   --meter-every N   judge every Nth received 10 ms frame for the tone (default 1: all)
#   --apm default|off libwebrtc's default audio processing module, or one with every submodule off (default default)
#   --max-bitrate BPS the senders' own bitrate cap (RTCRtpSender.setParameters; default none: the answer's rate)
#   --http-client blocking|jdk|alternate  how the client sends its API requests (default blocking: HTTP/1.1 with
#                     keep-alive, sent and read on the calling thread, so "offer posted -> 201" is the server's and
#                     the socket's time; jdk: java.net.http.HttpClient as before, whose thread hops add the client's
#                     own time; alternate: odd-numbered legs jdk, A/B in one run, the report splits the figures)
#   --factories N     libwebrtc peer connection factories the peers are spread over, each with its own headless
#                     audio module and threads (default 1)
#   WARMLINE_JAVA_OPTS  extra JVM options for Warmline (e.g. -XX:StartFlightRecording=filename=rec.jfr), after those
#                     of bin/warmline, which starts it
#   CLIENT_JAVA_OPTS    extra JVM options for the client (default -Xmx1g)
#
# All three run inside one user+network namespace the script makes (.ci/netns/exec: loopback and a veth pair with
# 198.18.0.1/24, no route out), so libwebrtc, which gathers no loopback candidates, checks and sends from 198.18.0.1
# instead of this machine's interface address; Warmline admits only loopback and that range (webrtc.allowed-peers),
# and the report names the browser addresses Warmline saw. --nice is applied before entering the namespace (inside
# it, raising priority is not permitted), so every process of the run inherits it; with kernel autogroups the run
# also gets a session of its own at that nice level (else nice orders nothing against other sessions). CPU is still read from /proc
# (one PID namespace for all).
#
# Build first (the client is compiled with the test classes):  mvn -B -o -DskipTests package
# Needs sipp, java (17), and webrtc-java's jars in ~/.m2 (version from pom.xml). Bounded: SIPp's -timeout and the
# client's own bounds (30 s per leg to set up, --hold at most 1800 s). Exit code 0 when no leg failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
args=("$@")
legs=60; hold=60; settle=5; parallel=4; nice=0; client_below=0; realtime=0; call_loops=0; warm_up=""; thread_sched=0; transport=auto; jar="$root/bridge/target/warmline.jar"; out=""; heap=1g; base=22000
client_opts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --legs) legs=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --port-base) base=$2; shift 2 ;;
    --nice) nice=$2; shift 2 ;;
    --client-below) client_below=$2; shift 2 ;;
    --realtime) realtime=$2; shift 2 ;;
    --call-loops) call_loops=$2; shift 2 ;;
    --warm-up) warm_up=$2; shift 2 ;;
    --thread-sched) thread_sched=1; shift ;;
    --transport) transport=$2; shift 2 ;;
    --feed-rate|--feed-burst|--odd-feed-burst|--meter-every|--apm|--max-bitrate|--factories|--http-client) client_opts+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$legs" -ge 1 ] && [ "$legs" -le 500 ] || { echo "--legs must be 1..500" >&2; exit 2; }
[ "$client_below" -ge 0 ] && [ "$client_below" -le 19 ] || { echo "--client-below must be 0..19" >&2; exit 2; }
[ "$realtime" -ge 0 ] && [ "$realtime" -le 99 ] || { echo "--realtime must be 0..99" >&2; exit 2; }
[[ "$call_loops" =~ ^[0-9]+$ ]] && [ "$call_loops" -le 256 ] || { echo "--call-loops must be 0..256" >&2; exit 2; }
[ -z "$warm_up" ] || { [[ "$warm_up" =~ ^[0-9]+$ ]] && [ "$warm_up" -le 120 ]; } || { echo "--warm-up must be 0..120" >&2; exit 2; }
case "$transport" in auto|epoll|nio) ;; *) echo "--transport must be auto, epoll or nio" >&2; exit 2 ;; esac
if [ -z "${WARMLINE_NETNS:-}" ]; then
  if [ "$nice" != 0 ] && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo 0)" = 1 ]; then
    if [ -z "${WARMLINE_BENCH_GROUP:-}" ]; then
      # with autogroups a nice level orders a process only within its session: a new session (sched(7)) with the
      # same nice level puts the whole run ahead of other users' sessions, as sipp/bench.sh --equal-nice does
      WARMLINE_BENCH_GROUP=1 exec setsid --wait "$0" "${args[@]}"
    fi
    echo "$nice" >"/proc/$$/autogroup" || { echo "cannot set the autogroup's nice level" >&2; exit 2; }
  fi
  if [ "$realtime" = 0 ]; then
    exec nice -n "$nice" "$root/.ci/netns/exec" "$0" "${args[@]}"
  fi
  # sched(7): an unprivileged thread may take SCHED_RR up to RLIMIT_RTPRIO; the limit crosses into the namespace.
  if rt_error=$(prlimit --pid $$ --rtprio="$realtime:$realtime" 2>&1); then
    export WARMLINE_BENCH_RT_HOW="RLIMIT_RTPRIO raised to $realtime before entering the namespace; the loops set it themselves"
    exec nice -n "$nice" "$root/.ci/netns/exec" "$0" "${args[@]}"
  fi
  cap_eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
  (( (16#$cap_eff >> 23) & 1 )) || { echo "--realtime $realtime: cannot raise RLIMIT_RTPRIO ($rt_error) and no CAP_SYS_NICE" >&2; exit 2; }
  export WARMLINE_BENCH_RT_HOW="RLIMIT_RTPRIO could not be raised (${rt_error##*: }); set from outside the namespace with chrt -r -R -p $realtime"
  out=${out:-/tmp/warmline-webrtc-bench-$(date +%Y%m%d-%H%M%S)}
  mkdir -p "$out"
  nice -n "$nice" "$root/.ci/netns/exec" "$0" "${args[@]}" --out "$out" &
  run=$!
  # The loops' threads start as their first task arrives: apply the policy to each as it appears (one PID namespace).
  (
    while kill -0 "$run" 2>/dev/null; do
      if [ -r "$out/warmline.pid" ]; then
        wp=$(cat "$out/warmline.pid")
        for task in /proc/"$wp"/task/*; do
          case "$(cat "$task/comm" 2>/dev/null)" in
            warmline-call*|webrtc-port*)
              policy=$(awk '{ sub(/.*\) /, ""); print $39 }' "$task/stat" 2>/dev/null)
              [ -n "$policy" ] && [ "$policy" != 2 ] && chrt -r -R -p "$realtime" "${task##*/}" >/dev/null 2>&1 ;;
          esac
        done
      fi
      sleep 0.2
    done
  ) &
  watcher=$!
  set +e; wait "$run"; rc=$?; set -e
  kill "$watcher" 2>/dev/null || true
  exit "$rc"
fi
ip -o addr show to "${WARMLINE_NETNS%/*}" | grep -q . \
  || { echo "WARMLINE_NETNS=$WARMLINE_NETNS is set but not an address here (run the script, not its inner part)" >&2; exit 2; }
[ -r "$jar" ] || { echo "no jar at $jar (mvn -B -o -DskipTests package)" >&2; exit 2; }
classes="$root/webrtc/target/test-classes"
[ -r "$classes/io/warmline/webrtc/load/WebRtcLoad.class" ] || { echo "no client in $classes (mvn -B -o -DskipTests package)" >&2; exit 2; }
wj_version=$(sed -n 's:.*<webrtc-java.version>\(.*\)</webrtc-java.version>.*:\1:p' "$root/pom.xml")
wj_dir="${M2_REPO:-$HOME/.m2/repository}/dev/onvoid/webrtc/webrtc-java/$wj_version"
client_cp="$classes:$wj_dir/webrtc-java-$wj_version.jar:$wj_dir/webrtc-java-$wj_version-linux-x86_64.jar"
[ -r "$wj_dir/webrtc-java-$wj_version-linux-x86_64.jar" ] || { echo "webrtc-java $wj_version not in $wj_dir" >&2; exit 2; }
out=${out:-/tmp/warmline-webrtc-bench-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

sip=$base; http=$((base + 1)); webrtc=$((base + 2)); uas_sip=$((base + 20)); uas_rtp=$((base + 60))
api_key=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n'); token_secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export WARMLINE_BENCH_API_KEY=$api_key WARMLINE_BENCH_TOKEN_SECRET=$token_secret

cat >"$out/warmline.yaml" <<EOF
node: { advertised-address: 127.0.0.1, drain-time: 5s }
sip:
  listen: [ { transport: udp, address: "127.0.0.1:$sip" } ]
  max-calls: $((legs + 50))
http: { listen: "127.0.0.1:$http" }
webrtc: { port: $webrtc, addresses: [ 127.0.0.1 ], tcp: false, allowed-peers: [ 127.0.0.0/8, $WARMLINE_NETNS_RANGE ] }
media: { rtp-ports: 40000-59999, no-media-timeout: 30s, latch-window: 2s, realtime-priority: $realtime, call-loops: $call_loops${warm_up:+, warm-up-seconds: $warm_up}, transport: $transport }
api:
  keys: { bench: { key-env: WARMLINE_BENCH_API_KEY } }
  token-secret-env: WARMLINE_BENCH_TOKEN_SECRET
  max-voice-legs: 2
trunks:
  carrier:
    outbound: { address: "127.0.0.1:$uas_sip", transport: udp }
    codecs: [PCMU]
    ring-timeout: 10s
targets: { support: { trunk: carrier, number: "2000" } }
EOF

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "starting Warmline ($jar), output in $out; load average $load_before" >&2
# shellcheck disable=SC2086
# Warmline's log from its ready line on: the legs of its media warm-up (media.warm-up-seconds) connect before it.
after_ready() { sed -n '/Warmline ready/,$p' "$out/warmline.log"; }
WARMLINE_JAR="$jar" WARMLINE_HEAP="$heap" "$root/bin/warmline" --config "$out/warmline.yaml" >"$out/warmline.log" 2>&1 &
wpid=$!; pids+=("$wpid")
echo "$wpid" >"$out/warmline.pid"
if [ "$thread_sched" = 1 ]; then
  # One line per thread per second: time, legs connected, conversations ended, comm, tid, CPU ns, run-queue wait ns,
  # timeslices, voluntary and involuntary switches, migrations.
  (
    while kill -0 "$wpid" 2>/dev/null; do
      now=$(date +%s.%N); conn=$(after_ready | grep -c 'connected on' || true)
      ended=$(grep -c 'Conversation ended' "$out/warmline.log" || true)
      awk -v now="$now" -v conn="$conn" -v ended="$ended" 'BEGIN {
        for (i = 1; i < ARGC; i++) { d = ARGV[i]; tid = d; sub(/.*\//, "", tid)
          if ((getline comm < (d "/comm")) <= 0) continue; close(d "/comm"); gsub(/ /, "_", comm)
          if ((getline ss < (d "/schedstat")) <= 0) continue; close(d "/schedstat"); split(ss, s, " ")
          v = 0; n = 0; m = 0
          while ((getline l < (d "/status")) > 0) { split(l, a, /[ \t]+/); if (a[1] == "voluntary_ctxt_switches:") v = a[2]; if (a[1] == "nonvoluntary_ctxt_switches:") n = a[2] }
          close(d "/status")
          while ((getline l < (d "/sched")) > 0) if (l ~ /^se.nr_migrations/) { split(l, a, ":"); m = a[2] + 0 }
          close(d "/sched")
          print now, conn, ended, comm, tid, s[1], s[2], s[3], v, n, m } }' /proc/"$wpid"/task/* >>"$out/threads.log" 2>/dev/null || true
      sleep 1
    done
  ) &
fi
for _ in $(seq 1200); do grep -q "Warmline ready" "$out/warmline.log" && break; kill -0 "$wpid" || break; sleep 0.1; done
grep -q "Warmline ready" "$out/warmline.log" || { echo "Warmline did not start:" >&2; tail -20 "$out/warmline.log" >&2; exit 1; }

# The support line: answers with PCMU and echoes RTP to its source; one call per leg, then it exits.
(cd "$out" && exec sipp -sf "$here/uas-echo-pcmu-only.xml" -i 127.0.0.1 -p "$uas_sip" -bind_local -mi 127.0.0.1 \
    -mp "$uas_rtp" -rtp_echo -m "$legs" -timeout "$((legs * 30 + hold + settle + 120))s" -nostdin \
    -trace_err -trace_stat -stf uas-stat.csv -error_file uas-errors.log -trace_screen -screen_file uas-screen.log \
    >uas-stdout.log 2>&1) &
uas_pid=$!; pids+=("$uas_pid")
for _ in $(seq 100); do ss -Hlun "sport = :$uas_sip" | grep -q . && break; sleep 0.1; done

set +e
# shellcheck disable=SC2086
nice -n "$client_below" java ${CLIENT_JAVA_OPTS:--Xmx1g} -cp "$client_cp" io.warmline.webrtc.load.WebRtcLoad --url "http://127.0.0.1:$http" \
    --api-key-env WARMLINE_BENCH_API_KEY --legs "$legs" --hold-seconds "$hold" --settle-seconds "$settle" \
    --parallel "$parallel" --target support --warmline-pid "$wpid" --sipp-pid "$uas_pid" \
    --report "$out/client-report.txt" --samples "$out/cpu.log" --legs-file "$out/legs.txt" ${client_opts[@]+"${client_opts[@]}"} \
    >"$out/client.log" 2>&1
client_rc=$?
# The media loops' scheduling as the kernel has it, while they still run (they live until Warmline stops).
loops_sched=$(for task in /proc/"$wpid"/task/*; do
    comm=$(cat "$task/comm" 2>/dev/null) || continue
    case "$comm" in
      warmline-call*|webrtc-port*)
        echo "$(chrt -p "${task##*/}" 2>/dev/null | awk -F': ' '/policy/ { p = $2 } /priority/ { print p " " $2 }')" ;;
    esac
  done | sort | uniq -c | awk '{ printf "%s%d x %s %s", (NR > 1 ? ", " : ""), $1, $2, $3 }')
# Each conversation ends once its visitor hung up and the SIP leg's BYE is through: wait for every closing line.
for _ in $(seq 300); do
  [ "$(grep -c 'Conversation ended' "$out/warmline.log")" -ge "$legs" ] && break
  kill -0 "$wpid" 2>/dev/null || break; sleep 0.1
done
for _ in $(seq 100); do kill -0 "$uas_pid" 2>/dev/null || break; sleep 0.1; done
kill "$uas_pid" 2>/dev/null; wait "$uas_pid"; uas_rc=$?
kill "$wpid" 2>/dev/null; wait "$wpid"
set -e

stat() { awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i } END { print $c }' "$out/$1"; }
{
  echo "webrtc bench: legs=$legs hold=${hold}s parallel=$parallel call-loops=$call_loops warm-up=${warm_up:-default} nice=$nice (running at $(ps -o ni= -p $$ | tr -d ' '), client $client_below below that, autogroup $(tr -s ' ' <"/proc/$$/autogroup" 2>/dev/null || echo none)); Warmline -Xmx$heap ${WARMLINE_JAVA_OPTS:-}; client ${CLIENT_JAVA_OPTS:--Xmx1g}"
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/Mem:/ { print $2 }') GB, kernel $(uname -r); $(java -version 2>&1 | head -1); sipp $(sipp -v 2>&1 | awk '/SIPp v/ { print $2; exit }'); webrtc-java $wj_version"
  if [ "$jar" = "$root/bridge/target/warmline.jar" ]; then
    echo "jar: $jar, built in a tree at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (modified)') (the client's classes too)"
  else
    echo "jar: $jar ($(stat -c %y "$jar" | cut -d. -f1)); client classes from the tree at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
  fi
  cat "$out/client-report.txt" 2>/dev/null || { echo "client produced no report (exit $client_rc):"; tail -20 "$out/client.log"; }
  # Warmline's side: handshake times of its legs (offer's HTTP request read -> DTLS done on a validated ICE path) and each
  # conversation's bridge counts (a frame is late when handed to its leg more than 10 ms after its tick's deadline).
  after_ready | grep -o 'connected on .* in [0-9]* ms' | awk '{ print $(NF - 1) }' | sort -n | awk '{ v[++n] = $1; s += $1 }
    function rank(p,  i) { i = int(p * n); if (i < p * n) i++; return v[i < 1 ? 1 : i] }
    END { if (!n) { print "Warmline: no leg reported connected"; exit }
          printf "Warmline handshake (offer POST read -> DTLS done on a validated ICE path, ms): n %d, mean %.1f, p50 %d, p95 %d, p99 %d, max %d\n", n, s / n, rank(0.5), rank(0.95), rank(0.99), v[n] }'
  grep -o 'Conversation ended; bridge ticks.*' "$out/warmline.log" | awk '{ t += $5; sk += $7; lt += $9; due += $13; sent += $15; late += $17; n++ }
    END { printf "Warmline bridges: %d conversations ended; ticks %d (skipped %d, late %d); output frames due %d, sent %d, late %d = %.4f %% (bar: under 0.1 %%)\n", n, t, sk, lt, due, sent, late, (due ? 100 * late / due : 0) }'
  echo "network namespace $WARMLINE_NETNS; browser addresses of the connected legs, as Warmline saw them:" \
    "$(after_ready | grep -o 'connected on IcePath\[transport=[A-Z]*, remote=[^]]*' | sed 's/.*remote=[^/]*\///; s/:[0-9]*$//' \
      | sort | uniq -c | awk '{ printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1 }')"
  echo "transport: media.transport $transport; Warmline: $(grep -o 'Netty transport: [a-z]*' "$out/warmline.log" | head -1 | sed 's/Netty transport: //')"
  echo "realtime: media.realtime-priority $realtime${WARMLINE_BENCH_RT_HOW:+ ($WARMLINE_BENCH_RT_HOW)}; loops warmline-call*/webrtc-port* ran: ${loops_sched:-none found}$(grep -o 'media.realtime-priority [0-9]*: [^;]*' "$out/warmline.log" | head -1 | sed 's/^/; Warmline: /')"
  if [ "$thread_sched" = 1 ]; then
    # Deltas between the first and the last sample with every leg up and no conversation ended, per thread group.
    awk -v legs="$legs" '$2 == legs && $3 == 0 { t[$1] = 1; k = $1 SUBSEP $5; comm[$5] = $4; run[k] = $6; rq[k] = $7; vs[k] = $9; nv[k] = $10; mg[k] = $11 }
      END { n0 = 1e18; for (x in t) { if (x + 0 < n0) { n0 = x + 0; t0 = x } if (x + 0 > n1) { n1 = x + 0; t1 = x } }
        dt = n1 - n0; if (dt < 5) { print "Warmline threads: fewer than 5 s sampled with every leg up"; exit }
        for (tid in comm) { a = t0 SUBSEP tid; b = t1 SUBSEP tid; if (!(a in run) || !(b in run)) continue
          g = comm[tid]; sub(/-[0-9]+(-[0-9]+)?$/, "", g); if (g ~ /^(ZWorker|ZDriver|ZDirector|ZStat|ZUnmapper|ZUncommitter|GC|G1)/) g = "GC"; if (g ~ /Compiler/) g = "JIT"
          cpu[g] += (run[b] - run[a]) / 1e9; wq[g] += (rq[b] - rq[a]) / 1e9; sw[g] += vs[b] - vs[a] + nv[b] - nv[a]; inv[g] += nv[b] - nv[a]; mig[g] += mg[b] - mg[a]; nth[g]++ }
        printf "Warmline threads over %.0f s with every leg up (group x threads: cores, run-queue wait ms/s, switches/s (involuntary), migrations/s, CPU per switch):", dt
        for (g in cpu) if (cpu[g] / dt >= 0.001) printf " %s x%d %.3f, %.1f, %d (%d), %d, %.0f us;", g, nth[g], cpu[g] / dt, 1000 * wq[g] / dt, sw[g] / dt, inv[g] / dt, mig[g] / dt, (sw[g] ? 1e6 * cpu[g] / sw[g] : 0)
        printf "\n" }' "$out/threads.log"
  fi
  echo "SIPp support line: exit $uas_rc, calls successful $(stat uas-stat.csv 'SuccessfulCall(C)'), failed $(stat uas-stat.csv 'FailedCall(C)')"
  echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "files: $out"
} | tee "$out/report.txt"
[ "$client_rc" = 0 ]
