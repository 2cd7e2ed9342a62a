#!/usr/bin/env bash
# Load test: SIPp carrier UAC -> Warmline -> SIPp support-line UAS, RTP both ways, all on 127.0.0.1.
#
#   sipp/bench.sh rate --rate 200 --calls 6000 [--talk-ms 2000]
#       calls set up at a fixed rate, each streaming RTP for --talk-ms; the rate is sustained when 0 calls fail.
#   sipp/bench.sh hold --calls 1000 [--rate 100] [--talk-ms 63000]
#       --calls calls set up at --rate and each held with continuous RTP for --talk-ms;
#       CPU is sampled on the plateau where all of them are up, heap per call is measured there after a GC.
#   sipp/bench.sh opus --calls 60 [--rate 10] [--talk-ms 60000]
#       as hold, but every call is transcoded both ways: the carrier UAC (bench/uac-bench-pcmu.xml) offers PCMU only
#       and streams mu-law speech (g711a.pcap's, looped) with rtp_stream; the support line (target codecs: [opus],
#       bench/uas-bench-opus.xml) answers opus/48000/2 only and plays an Opus RTP pcap that bench/OpusPcap.java makes
#       from the same speech with Warmline's own encoder and the calls' settings. Warmline terminates each call
#       (jitter buffer, decode, mix, encode). The report adds the late output frames summed from Warmline's
#       per-call "Terminated media" lines (a frame is late when sent more than 10 ms after its 20 ms deadline).
#
# RTP: the carrier UAC (bench/uac-bench.xml) and the support-line UAS (bench/uas-bench.xml) each stream headerless
# A-law (made here with sox, 20 ms packets, payload type 8) with SIPp's rtp_stream, --rtp-tasks calls per sending
# thread, for the whole call. Every packet crosses loopback twice (SIPp -> Warmline -> the other SIPp). SIPp never
# reads its media socket in this mode, so what Warmline relayed is counted where it arrived: the socket's drops plus
# what is still queued there; the report compares that with full-rate RTP in each direction.
#
# Common options:
#   --jar FILE        Warmline jar (default bridge/target/warmline.jar; build: mvn -B -ntp -DskipTests package)
#   --out DIR         where config, logs, SIPp statistics and report.txt go (default /tmp/warmline-bench-<mode>-<time>)
#   --heap SIZE       Warmline's -Xms/-Xmx (default 1g)
#   --rcvbuf BYTES    raise net.core.rmem_default/rmem_max to BYTES for the run, when permitted (default 8388608;
#                     0 leaves them): SIPp's 20 ms ticks send every call's packet in one burst, and Debian's SIPp
#                     3.6.1 ignores -rtp_buffsize (DESIGN.md section 4); SIP sockets see the same bursts.
#                     SIPp's own SIP sockets get 4 MB (-buff_size; its default of 64 KB lost ACKs at 200 calls/s).
#   WARMLINE_JAVA_OPTS  extra JVM options for Warmline, after bin/warmline's own (e.g. -XX:-UseZGC -XX:+UseG1GC
#                     to compare with G1); Warmline is started by bin/warmline, the documented start command
#   --port-base N     Warmline SIP on N, HTTP on N+1, its WebRTC port N+2, UAS SIP N+20, UAC SIP N+40, UAS RTP N+60, UAC RTP N+80,
#                     Warmline RTP 40000-59999 (default 21000, below the kernel's ephemeral port range so no other process's socket sits on them)
#
#   --rtp-tasks N     calls per SIPp RTP sending thread (-rtp_threadtasks, default 100)
#   --nice N          run Warmline at nice level N (default 0; negative needs root). On a machine shared with other
#                     CPU-bound work a media server's 20 ms ticks wait for the CPU behind it; deployments give media
#                     processes priority, and the report says which level was used
#   --sipp-nice N     run both SIPp processes at nice level N (default 0)
#   --equal-nice N    Warmline and SIPp at the same level N ("equal priority"; e.g. -15 so that other users' work at
#                     nice 0 disturbs the run less, while Warmline gets no edge over its load generator). The run
#                     also gets a scheduler autogroup of its own with nice N: with kernel.sched_autogroup_enabled=1
#                     (this machine) a process's nice level only orders it against threads of its own session, and
#                     each other session (another user's build) takes an equal share of the cores whatever its
#                     threads' nice levels, so without this -15 isolates nothing
#   --realtime N      media.realtime-priority N in Warmline's config (default 0: off): its call loops and WebRTC port
#                     loop run SCHED_RR at priority N (needs root/CAP_SYS_NICE, else RLIMIT_RTPRIO is raised to N
#                     first, where permitted); the report says what the loops actually ran at
#   --jfr             also record JFR (DIR/warmline.jfr, with Warmline's late-tick events) and attribute each stall
#                     to GC, safepoints, a busy loop or waiting for a core (sipp/bench/Stalls.java, DIR/stalls.txt)
#   --sched           also record the scheduler for 20 s on the plateau (perf sched record -a) and report how long the
#                     event loops waited for a core and what ran meanwhile (sipp/bench/SchedWaits.java,
#                     DIR/sched-waits.txt; needs perf and root; the raw recording is deleted after)
#   GC and safepoints are always logged to DIR/gc.log; the report gives the pause distribution.
#
# Needs sipp (Debian's 3.6.1 has rtp_stream), sox, java (jcmd), and root for --rcvbuf.
# Bounded: SIPp stops after --calls calls or its -timeout (ramp + call + 60 s), whichever comes first.
# Prints the report and writes it to DIR/report.txt. Exit code 0 when no call failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mode=${1:-}; mode_arg=$mode; shift || true
[[ "$mode" == rate || "$mode" == hold || "$mode" == opus ]] || { sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 2; }
opus=0
if [ "$mode" = opus ]; then opus=1; fi

rate=""; calls=""; talk_ms=""; jar="$root/bridge/target/warmline.jar"; out=""; heap=1g
rcvbuf=8388608; base=21000; rtp_tasks=100; nice_level=0; sipp_nice=0; group_nice=""; jfr=0; sched=0; realtime=0
all_args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --talk-ms) talk_ms=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --rcvbuf) rcvbuf=$2; shift 2 ;;
    --port-base) base=$2; shift 2 ;;
    --rtp-tasks) rtp_tasks=$2; shift 2 ;;
    --nice) nice_level=$2; shift 2 ;;
    --sipp-nice) sipp_nice=$2; shift 2 ;;
    --equal-nice) nice_level=$2; sipp_nice=$2; group_nice=$2; shift 2 ;;
    --realtime) realtime=$2; shift 2 ;;
    --jfr) jfr=1; shift ;;
    --sched) sched=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -n "$group_nice" ] && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo 0)" = 1 ]; then
  if [ -z "${WARMLINE_BENCH_GROUP:-}" ]; then
    # a new session is a new autogroup (sched(7)); the run's processes inherit it
    WARMLINE_BENCH_GROUP=1 exec setsid --wait "$0" "$mode_arg" "${all_args[@]}"
  fi
  echo "$group_nice" >"/proc/$$/autogroup" || { echo "cannot set the autogroup's nice level" >&2; exit 2; }
fi
if [ "$mode" = rate ]; then rate=${rate:-200}; calls=${calls:-$((rate * 30))}; talk_ms=${talk_ms:-2000}
elif [ "$mode" = opus ]; then rate=${rate:-10}; calls=${calls:-60}; talk_ms=${talk_ms:-60000}; mode=hold
else rate=${rate:-100}; calls=${calls:-1000}; talk_ms=${talk_ms:-63000}; fi
[ "$calls" -le 5000 ] || [ "$mode" = rate ] || { echo "hold: at most 5000 calls" >&2; exit 2; }
[ "$calls" -le 60000 ] && [ "$talk_ms" -le 600000 ] || { echo "at most 60000 calls of at most 600 s" >&2; exit 2; }
[ -r "$jar" ] || { echo "no jar at $jar (mvn -B -ntp -DskipTests package)" >&2; exit 2; }
command -v sox >/dev/null || { echo "sox is needed to make the A-law stream" >&2; exit 2; }
out=${out:-/tmp/warmline-bench-$mode-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

sip=$base; http=$((base + 1)); uas_sip=$((base + 20)); uac_sip=$((base + 40)); uas_rtp=$((base + 60)); uac_rtp=$((base + 80))
call_ms=$talk_ms
# 2 s of a 440 Hz tone as headerless A-law, looped by rtp_stream (160 bytes = 20 ms per packet).
sox -n -r 8000 -c 1 -e a-law -t raw "$out/bench-alaw.raw" synth 2 sine 440 vol 0.5
if [ "$opus" = 1 ]; then
  # Speech both ways: the A-law payloads of the shared g711a.pcap (7 s), as mu-law for the carrier's rtp_stream
  # and encoded once into an Opus RTP pcap, as long as a call, for the support line.
  vectors=${WARMLINE_SHARED:-$root/../shared}/vectors/sipp-pcap/g711a.pcap
  [ -r "$vectors" ] || { echo "no $vectors (set WARMLINE_SHARED)" >&2; exit 2; }
  tshark -r "$vectors" -d udp.port==2006,rtp -Y rtp -T fields -e rtp.payload | tr -d ':\n' | xxd -r -p >"$out/speech.alaw"
  sox -t raw -r 8000 -e a-law -c 1 "$out/speech.alaw" -t raw -e mu-law "$out/bench-ulaw.raw"
  java -cp "$jar" "$here/bench/OpusPcap.java" "$out/speech.alaw" "$out/bench-opus.pcap" $(( talk_ms / 1000 + 5 )) 111 \
      2>"$out/opus-pcap.log" || { cat "$out/opus-pcap.log" >&2; exit 1; }
  uac_scenario=uac-bench-pcmu.xml; uas_scenario=uas-bench-opus.xml; uac_codecs="[PCMU]"; target_opts=", codecs: [opus]"
  uac_extra=(); uas_extra=(-key opus_pcap "$out/bench-opus.pcap")
else
  uac_scenario=uac-bench.xml; uas_scenario=uas-bench.xml; uac_codecs="[PCMA, PCMU]"; target_opts=""
  uac_extra=(-set offer pcma); uas_extra=()
fi
ramp_s=$(( (calls + rate - 1) / rate ))
# Every call must have ended before SIPp's global timeout: ramp + call + set-up slack.
run_timeout=$(( ramp_s + call_ms / 1000 + 60 ))

pids=()
saved_rmem=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$saved_rmem" ]; then
    sysctl -q -w net.core.rmem_default="${saved_rmem% *}" net.core.rmem_max="${saved_rmem#* }" || true
  fi
}
trap cleanup EXIT

if [ "$rcvbuf" != 0 ]; then
  current="$(sysctl -n net.core.rmem_default) $(sysctl -n net.core.rmem_max)"
  if sysctl -q -w net.core.rmem_default="$rcvbuf" net.core.rmem_max="$rcvbuf" 2>/dev/null; then
    saved_rmem=$current
  else
    echo "warning: cannot raise net.core.rmem_default (not permitted); bursts may overflow receive buffers" >&2
  fi
fi

cat >"$out/warmline.yaml" <<EOF
node: { advertised-address: 127.0.0.1, drain-time: 5s }
sip:
  listen: [ { transport: udp, address: "127.0.0.1:$sip" } ]
  max-calls: $((calls + 50))
http: { listen: "127.0.0.1:$http" }
webrtc: { port: $((base + 2)) }
media: { rtp-ports: 40000-59999, no-media-timeout: 30s, latch-window: 2s, realtime-priority: $realtime }
trunks:
  carrier:
    outbound: { address: "127.0.0.1:$uas_sip", transport: udp }
    codecs: $uac_codecs
    ring-timeout: 10s
    inbound: { allow: [127.0.0.1/32], numbers: ["1000*"] }
targets: { support: { trunk: carrier, number: "2000"$target_opts } }
routes: [ { number: "1000*", target: support } ]
api: { keys: { monitoring: { key-env: WARMLINE_BENCH_API_KEY } } }
EOF
# GET /metrics needs an API key: one made for this run, given to Warmline in its environment only.
api_key=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
# One scrape of /metrics into the file $1; prints "seconds bytes".
scrape() { curl -s -o "$1" -w '%{time_total} %{size_download}' -H "Authorization: Bearer $api_key" "http://127.0.0.1:$http/metrics"; }
# The sum of the samples of meter $2 (name and labels as written, e.g. 'warmline_calls_ended_total{outcome="answered"') in the exposition $1.
metric() { awk -v m="$2" 'index($0, m) == 1 { v += $NF } END { printf "%d", v }' "$1"; }

stat_now() { awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i } END { print $c }' "$out/$1"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # utime + stime of the process
hz=$(getconf CLK_TCK)
udp_counter() { awk -v f="$1" '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c[f] }' /proc/net/snmp; }
# "drops queued_bytes" summed over the UDP sockets bound to ports [lo, hi], for each "lo hi" pair given, in one
# pass over /proc/net/udp (rx_queue and drops columns); a socket listed twice (the file is read while sockets come
# and go) is counted once, by inode
socket_stats() {
  awk -v ranges="$*" 'function hex(h,  i, v) { v = 0; h = tolower(h)
      for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
    BEGIN { n = split(ranges, r, " ") / 2 }
    NR > 1 && !seen[$10]++ { split($2, a, ":"); p = hex(a[2]); split($5, q, ":");
      for (k = 1; k <= n; k++) if (p >= r[2 * k - 1] && p <= r[2 * k]) { d[k] += $NF; b[k] += hex(q[2]) } }
    END { for (k = 1; k <= n; k++) printf "%d %d%s", d[k], b[k], (k < n ? " " : "\n") }' /proc/net/udp
}
heap_used_kb() {   # heap in use after a full GC, in KB
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }'
}
echo "starting Warmline ($jar), output in $out; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
jfr_opts=()
if [ "$jfr" = 1 ]; then jfr_opts=("-XX:StartFlightRecording=filename=$out/warmline.jfr,settings=default,dumponexit=true"); fi
[ "$realtime" -ge 0 ] && [ "$realtime" -le 99 ] || { echo "--realtime must be 0..99" >&2; exit 2; }
if [ "$realtime" != 0 ] && ! (( (16#$(awk '/^CapEff:/ { print $2 }' /proc/self/status) >> 23) & 1 )); then
  # sched(7): without CAP_SYS_NICE a thread may take SCHED_RR up to RLIMIT_RTPRIO
  prlimit --pid $$ --rtprio="$realtime:$realtime" || echo "--realtime $realtime: RLIMIT_RTPRIO not raised; Warmline will warn" >&2
fi
# bin/warmline is the documented start command: it carries the JVM options (collector, pre-touch) and execs java
WARMLINE_JAR="$jar" WARMLINE_HEAP="$heap" WARMLINE_BENCH_API_KEY="$api_key" \
WARMLINE_JAVA_OPTS="-Xlog:gc*,safepoint:file=$out/gc.log:uptime,level,tags ${jfr_opts[*]} ${WARMLINE_JAVA_OPTS:-}" \
    nice -n "$nice_level" "$root/bin/warmline" --config "$out/warmline.yaml" >"$out/warmline.log" 2>&1 &
wpid=$!; pids+=("$wpid")
for _ in $(seq 1200); do grep -q "Warmline ready" "$out/warmline.log" && break; kill -0 "$wpid" || break; sleep 0.1; done
grep -q "Warmline ready" "$out/warmline.log" || { echo "Warmline did not start:" >&2; tail -20 "$out/warmline.log" >&2; exit 1; }
heap_idle=$(heap_used_kb "$wpid")

common=(-nostdin -buff_size 4194304 -timeout "${run_timeout}s" -trace_err -trace_screen -trace_stat -fd 1 -max_recv_loops 10000 -max_sched_loops 10000)
(cd "$out" && exec nice -n "$sipp_nice" sipp -sf "$here/bench/$uas_scenario" -i 127.0.0.1 -p "$uas_sip" -bind_local -mi 127.0.0.1 -mp "$uas_rtp" \
    "${uas_extra[@]}" \
    -rtp_threadtasks "$rtp_tasks" -m "$calls" -stf uas-stat.csv -error_file uas-errors.log -screen_file uas-screen.log \
    "${common[@]}" >uas-stdout.log 2>&1) &
uas_pid=$!; pids+=("$uas_pid")
for _ in $(seq 100); do ss -Hlun "sport = :$uas_sip" | grep -q . && break; sleep 0.1; done

host_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }   # ticks all cores were busy
in0=$(udp_counter InDatagrams); rcvbuf_err0=$(udp_counter RcvbufErrors)
read -r uac_drops0 _ < <(socket_stats "$uac_rtp" "$uac_rtp"); read -r uas_drops0 _ < <(socket_stats "$uas_rtp" "$uas_rtp")
(cd "$out" && exec nice -n "$sipp_nice" sipp "127.0.0.1:$sip" -sf "$here/bench/$uac_scenario" -i 127.0.0.1 -p "$uac_sip" -bind_local \
    -mi 127.0.0.1 -mp "$uac_rtp" -rtp_threadtasks "$rtp_tasks" -s 1000 "${uac_extra[@]}" -d "$call_ms" \
    -r "$rate" -l "$calls" -m "$calls" -stf uac-stat.csv -error_file uac-errors.log -screen_file uac-screen.log \
    "${common[@]}" >uac-stdout.log 2>&1) &
uac_pid=$!; pids+=("$uac_pid")

# Once a second: CPU ticks of the three processes and receive-buffer drops / queues, until the UAC exits (cpu.log).
sample() {
  echo "time warmline_ticks uac_ticks uas_ticks uac_media_drops uac_media_queued_bytes uas_media_drops uas_media_queued_bytes warmline_rtp_drops warmline_rtp_queued_bytes host_rcvbuf_errors warmline_sip_drops warmline_sip_queued_bytes uac_sip_drops uac_sip_queued_bytes uas_sip_drops uas_sip_queued_bytes warmline_user_ticks warmline_system_ticks" >"$out/cpu.log"
  while kill -0 "$uac_pid" 2>/dev/null; do
    echo "$(date +%s.%N) $(cpu_ticks "$wpid") $(cpu_ticks "$uac_pid") $(cpu_ticks "$uas_pid")" \
         "$(socket_stats "$uac_rtp" "$uac_rtp" "$uas_rtp" "$uas_rtp" 40000 59999) $(udp_counter RcvbufErrors)" \
         "$(socket_stats "$sip" "$sip" "$uac_sip" "$uac_sip" "$uas_sip" "$uas_sip")" \
         "$(awk '{print $14, $15}' "/proc/$wpid/stat" 2>/dev/null || echo 0 0)" >>"$out/cpu.log"
    sleep 1
  done
}
sample &
sampler_pid=$!; pids+=("$sampler_pid")
busy0=$(host_busy); wt0=$(cpu_ticks "$wpid"); bt0=$(date +%s.%N)

plateau=""
if [ "$mode" = hold ]; then
  # All calls are up from the end of the ramp until the first one ends (call_ms after it started).
  window_start=$((ramp_s + 3)); window_len=$(( call_ms / 1000 - ramp_s - 8 ))
  if [ "$window_len" -ge 10 ]; then
    sleep "$window_start"
    if [ "$sched" = 1 ]; then
      perf sched record -a -o "$out/sched.perf" -- sleep "$(( window_len < 20 ? window_len : 20 ))" >"$out/perf.log" 2>&1 &
      pids+=("$!")
    fi
    cw0=$(cpu_ticks "$wpid"); cs0=$(( $(cpu_ticks "$uac_pid") + $(cpu_ticks "$uas_pid") )); t0=$(date +%s.%N)
    read -r pu0 ps0 < <(awk '{print $14, $15}' "/proc/$wpid/stat")
    sleep "$window_len"
    cw1=$(cpu_ticks "$wpid"); cs1=$(( $(cpu_ticks "$uac_pid") + $(cpu_ticks "$uas_pid") )); t1=$(date +%s.%N)
    read -r pu1 ps1 < <(awk '{print $14, $15}' "/proc/$wpid/stat")
    read -r w_drops _ < <(socket_stats 40000 59999)
    up=$(stat_now uac-stat.csv CurrentCall)
    # /metrics with every call up: five scrapes, each sampling every live bridge and leg on its loop.
    scrapes=""
    for _ in 1 2 3 4 5; do scrapes="$scrapes $(scrape "$out/metrics-plateau.txt")"; done
    metrics_plateau=$(echo "$scrapes" | awk -v act="$(metric "$out/metrics-plateau.txt" warmline_calls_active)" \
        -v br="$(metric "$out/metrics-plateau.txt" warmline_media_bridges_active)" '{
          for (i = 1; i <= NF; i += 2) { t = $i * 1000; if (!mn || t < mn) mn = t; if (t > mx) mx = t; sum += t; b = $(i + 1) }
          printf "  GET /metrics with the calls up: 5 scrapes, %.1f ms mean (%.1f..%.1f), %d bytes; it read %d calls active, %d bridges", sum / 5, mn, mx, b, act, br }')
    heap_hold=$(heap_used_kb "$wpid")
    plateau=$(awk -v cw="$((cw1 - cw0))" -v cs="$((cs1 - cs0))" -v hz="$hz" -v t0="$t0" -v t1="$t1" -v n="$calls" \
        -v hh="$heap_hold" -v hi="$heap_idle" -v up="$up" -v pu="$((pu1 - pu0))" -v ps="$((ps1 - ps0))" 'BEGIN {
          wall = t1 - t0; w = 100 * cw / hz / wall; s = 100 * cs / hz / wall;
          printf "plateau: %d calls set up, %d of them up (SIPp UAC CurrentCall) at the end of the %.1f s sample\n", n, up, wall;
          printf "  Warmline CPU %.1f %% of one core (%.2f %% per 100 concurrent calls, %.2f ms of CPU per call per second; user %.1f %%, system %.1f %%)\n", w, w * 100 / n, 10 * w / n, 100 * pu / hz / wall, 100 * ps / hz / wall;
          printf "  SIPp CPU (UAC + UAS) %.1f %%; Warmline / SIPp = %.2f\n", s, (s > 0 ? w / s : 0);
          printf "  heap after GC: %d KB idle, %d KB with the calls up: %.1f KB per call\n", hi, hh, (hh - hi) / n }')
    plateau="$plateau
$metrics_plateau
  receive-buffer drops so far on Warmline's RTP sockets: $w_drops"
  else
    plateau="plateau: too short to sample (ramp ${ramp_s}s vs call ${call_ms}ms); use a longer --talk-ms or a higher --rate"
  fi
fi

set +e
wait "$uac_pid"; uac_rc=$?
busy1=$(host_busy); wt1=$(cpu_ticks "$wpid"); bt1=$(date +%s.%N)
# The media loops' scheduling as the kernel has it (they live until Warmline stops).
loops_sched=$(for task in /proc/"$wpid"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      warmline-call*|webrtc-port*)
        chrt -p "${task##*/}" 2>/dev/null | awk -F': ' '/policy/ { p = $2 } /priority/ { print p " " $2 }' ;;
    esac
  done | sort | uniq -c | awk '{ printf "%s%d x %s %s", (NR > 1 ? ", " : ""), $1, $2, $3 }')
wait "$uas_pid"; uas_rc=$?
# Every call has ended: the node's own counters, to set beside SIPp's and the log's.
scrape "$out/metrics-end.txt" >/dev/null || true
if [ "$jfr" = 1 ]; then
  jcmd "$wpid" JFR.dump filename="$out/warmline.jfr" >/dev/null
  java "$here/bench/Stalls.java" "$out/warmline.jfr" >"$out/stalls.txt" 2>&1
fi
if [ "$sched" = 1 ] && [ -s "$out/sched.perf" ]; then
  perf script -i "$out/sched.perf" -F comm,pid,tid,cpu,time,event,trace 2>/dev/null >"$out/sched.txt"
  java "$here/bench/SchedWaits.java" "$out/sched.txt" "$wpid" 5 >"$out/sched-waits.txt" 2>&1
  rm -f "$out/sched.perf" "$out/sched.txt"
fi
wait "$sampler_pid"
set -e
in1=$(udp_counter InDatagrams); rcvbuf_err1=$(udp_counter RcvbufErrors)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

stat() { awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i } END { print $c }' "$out/$1"; }
ok=$(stat uac-stat.csv 'SuccessfulCall(C)'); failed=$(stat uac-stat.csv 'FailedCall(C)')
uas_ok=$(stat uas-stat.csv 'SuccessfulCall(C)'); uas_failed=$(stat uas-stat.csv 'FailedCall(C)')
uac_retrans=$(stat uac-stat.csv 'Retransmissions(C)'); uas_retrans=$(stat uas-stat.csv 'Retransmissions(C)')

{
  if [ "$opus" = 1 ]; then
    echo "mode=opus (hold, transcoded) rate=${rate}/s calls=$calls call=${call_ms}ms rtp: carrier mu-law 20 ms (rtp_stream, ${rtp_tasks} calls/thread), support line Opus pcap ($(head -c 300 "$out/opus-pcap.log" | tr -d '\n')) rcvbuf=$(sysctl -n net.core.rmem_default)"
  else
    echo "mode=$mode rate=${rate}/s calls=$calls call=${call_ms}ms rtp=A-law 20 ms (rtp_stream, ${rtp_tasks} calls/thread) rcvbuf=$(sysctl -n net.core.rmem_default)"
  fi
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(free -g | awk '/Mem:/ { print $2 }') GB, kernel $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1), options: $(tr '\0' ' ' <"/proc/$wpid/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //'); sipp: $(sipp -v 2>&1 | awk '/SIPp v/ { print $2; exit }'); WARMLINE_JAVA_OPTS=${WARMLINE_JAVA_OPTS:-}; Warmline nice level $nice_level, SIPp nice level $sipp_nice$([ "$nice_level" = "$sipp_nice" ] && echo " (equal priority)"); autogroup $(tr -s ' ' <"/proc/$$/autogroup" 2>/dev/null)"
  echo "realtime: media.realtime-priority $realtime; loops warmline-call*/webrtc-port* ran: ${loops_sched:-none found}$(grep -o 'media.realtime-priority [0-9]*: [^;]*' "$out/warmline.log" | head -1 | sed 's/^/; Warmline: /')"
  echo "UAC: exit $uac_rc, successful $ok, failed $failed, retransmissions $uac_retrans; UAS: exit $uas_rc, successful $uas_ok, failed $uas_failed, retransmissions $uas_retrans"
  # SIPp's response time 1: carrier INVITE sent -> 200 received, through Warmline and the support line (no ring time)
  awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "ResponseTime1(C)") m = i; if ($i ~ /^ResponseTimeRepartition1_/) { c[++n] = i; h[n] = substr($i, 26) } } }
    END { printf "carrier INVITE -> 200 (SIPp response time 1): mean %s; calls per bucket (ms):", $m; for (k = 1; k <= n; k++) printf " %s:%s", h[k], $c[k]; printf "\n" }' "$out/uac-stat.csv"
  awk -v hz="$hz" -v d0="$uac_drops0" 'NR == 2 { t0 = $1; w0 = $2; u0 = $3; s0 = $4; wu0 = $18; ws0 = $19 }
    NR > 1 { t = $1; w = $2; if ($3 > u) u = $3; if ($4 > s) s = $4; if ($9 > wd) wd = $9   # a SIPp that has exited reads 0
             if ($12 > ws) ws = $12; if ($14 > us) us = $14; if ($16 > ss) ss = $16; wu = $18; wsys = $19 }
    END {
      wall = t - t0; wc = (w - w0) / hz; sc = (u - u0 + s - s0) / hz;
      printf "whole run (sampled %.0f s): Warmline CPU %.1f s (%.1f %% of one core; user %.1f s, system %.1f s), SIPp UAC+UAS CPU %.1f s; Warmline / SIPp = %.2f\n", wall, wc, 100 * wc / wall, (wu - wu0) / hz, (wsys - ws0) / hz, sc, (sc > 0 ? wc / sc : 0);
      printf "receive-buffer drops on Warmline RTP sockets: up to %d at a sample (real loss); on the SIP sockets: Warmline %d, carrier UAC %d, support-line UAS %d\n", wd, ws, us, ss }' "$out/cpu.log"
  [ -n "$plateau" ] && echo "$plateau"
  m="$out/metrics-end.txt"
  echo "/metrics after the run: calls started $(metric "$m" warmline_calls_started_total), ended answered $(metric "$m" 'warmline_calls_ended_total{outcome="answered"'), other outcomes $(( $(metric "$m" warmline_calls_ended_total) - $(metric "$m" 'warmline_calls_ended_total{outcome="answered"') )); output frames due $(metric "$m" warmline_media_frames_due_total), late $(metric "$m" warmline_media_frames_late_total); SIP legs with a MOS $(metric "$m" 'warmline_leg_mos_count{kind="sip"'), of them at or under 3.6: $(metric "$m" 'warmline_leg_mos_bucket{kind="sip",le="3.6"')"
  if [ "$opus" = 1 ]; then
    # Warmline logs one "Terminated media" line per call as it ends (sipp/bench.sh waits for the BYEs).
    grep -o 'Terminated media: .*' "$out/warmline.log" | awk -v n="$calls" '{
        for (i = 1; i <= NF; i++) { if ($i == "due") due += $(i + 1); if ($i == "late" && $(i - 2) == "sent") late += $(i + 1)
          if ($i == "late-ticks") lt += $(i + 1); if ($i == "skipped") sk += $(i + 1); if ($i == "max-tick-lateness") { v = $(i + 1); if (v > mx) mx = v } }
        c++ }
      END { printf "terminated calls: %d of %d; output frames due %d, late %d (%.4f %%); late ticks %d, skipped ticks %d, worst tick %d ms late\n", c, n, due, late, (due ? 100 * late / due : 0), lt, sk, mx }'
  fi
  # Full-rate RTP: one 20 ms packet per call per direction. SIPp never reads its media sockets, so what Warmline
  # relayed to each side is that socket's drops plus what is still queued there at the last sample (832 bytes of
  # receive-buffer accounting per 172-byte RTP datagram on loopback). Linux counts InDatagrams when a process reads
  # a datagram: that is Warmline's reads (both directions) and the SIP messages.
  awk -v n="$calls" -v ms="$call_ms" -v ac0="$uac_drops0" -v as0="$uas_drops0" -v got="$((in1 - in0))" \
      -v rbe="$((rcvbuf_err1 - rcvbuf_err0))" -v f="$out/cpu.log" 'BEGIN {
    # the largest count seen: a socket reads as 0 once its SIPp has closed it
    while ((getline l < f) > 0) { split(l, c, " "); if (c[1] ~ /^[0-9.]+$/) {
      b = c[5] - ac0 + int(c[6] / 832); if (b > back) { back = b; ud = c[5] }
      g = c[7] - as0 + int(c[8] / 832); if (g > fwd) { fwd = g; sd = c[7] } } }
    per_dir = n * int(ms / 20);
    printf "RTP relayed carrier -> support line: %d of %d full-rate packets (%.1f %%); support line -> carrier: %d (%.1f %%)\n", fwd, per_dir, 100 * fwd / per_dir, back, 100 * back / per_dir;
    printf "loopback datagrams: %d read (host InDatagrams: Warmline RTP in both directions + SIP) + %d arrived at the unread SIPp media sockets = %d, full-rate RTP on the four crossings is %d (%.1f %%); host receive-buffer errors %d, of which the unread SIPp media sockets %d\n", got, fwd + back, got + fwd + back, 4 * per_dir, 100 * (got + fwd + back) / (4 * per_dir), rbe, sd - as0 + ud - ac0 }'
  # Everything else the host ran meanwhile (other users' builds; the kernel's softirq work for this test too):
  # all cores' busy time minus Warmline's and the SIPp processes' own CPU.
  awk -v n="$(nproc)" -v b="$((busy1 - busy0))" -v w="$((wt1 - wt0))" -v f="$out/cpu.log" -v hz="$hz" -v t0="$bt0" -v t1="$bt1" 'BEGIN {
    while ((getline l < f) > 0) { split(l, c, " "); if (c[1] ~ /^[0-9.]+$/) { if (!u0) { u0 = c[3]; s0 = c[4] } if (c[3] > u) u = c[3]; if (c[4] > s) s = c[4] } }
    wall = t1 - t0; o = (b - w - (u - u0) - (s - s0)) / hz;
    printf "host: %d cores, busy %.0f %% of the run on average; CPU not used by Warmline or SIPp (other processes, interrupts): %.1f core-seconds (%.0f %% of one core)\n", n, 100 * b / hz / wall / n, o, 100 * o / wall }'
  # Every stop-the-world pause (GC or not) is a safepoint: "Total" is from the request to the threads' release.
  awk '/\[safepoint *\]/ && /Total: / { t = $NF == "ns" ? $(NF - 1) : 0; n++; sum += t; if (t > mx) mx = t
      if (t > 10e6) big++; if (t > 5e6) mid++ }
    END { printf "safepoints (gc.log): %d, total %.0f ms, longest %.1f ms, %d over 5 ms, %d over 10 ms\n", n, sum / 1e6, mx / 1e6, mid, big }' "$out/gc.log"
  [ "$jfr" = 1 ] && grep -E '^(late ticks|stalls by cause|GC pauses)' "$out/stalls.txt"
  [ -s "$out/sched-waits.txt" ] && sed -n '1,6p' "$out/sched-waits.txt"
  echo "load average before: $load_before; after: $load_after"
  echo "files: $out"
} | tee "$out/report.txt"

[ "$uac_rc" = 0 ] && [ "${failed:-1}" = 0 ] && [ "${uas_failed:-1}" = 0 ]
