#!/usr/bin/env bash
# Checks the scenarios in this directory against each other, SIPp to SIPp over loopback, with no Warmline in between:
# every UAC scenario meets the UAS scenario it is written for, and the header checks of the support-line scenarios
# are shown to fail when a conversation header is missing or differs.
#
#   sipp/selftest.sh [CASE...]     run only the named cases (default: all)
#   WARMLINE_PCAP=FILE             the pcap to play (default: ../shared/vectors/sipp-pcap/g711a.pcap)
#
# Exit code 0 when every case gives the expected SIPp exit codes. Uses UDP ports 25060, 25080 and 26000-27003 on
# 127.0.0.1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
pcap=${WARMLINE_PCAP:-$here/../../shared/vectors/sipp-pcap/g711a.pcap}
only=" $* "
[ -r "$pcap" ] || { echo "pcap not found: $pcap" >&2; exit 2; }
out=$(mktemp -d /tmp/warmline-sipp-selftest.XXXXXX)
failures=0

# run NAME EXPECTED_UAS_RC EXPECTED_UAC_RC UAS_SCENARIO "UAS ARGS" UAC_SCENARIO "UAC ARGS"
run() {
  local name=$1 want_uas=$2 want_uac=$3 uas=$4 uas_args=$5 uac=$6 uac_args=$7 dir=$out/$1
  [ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || return 0
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  (cd "$dir" && exec timeout 30 sipp -sf "$here/$uas" -i 127.0.0.1 -p 25080 -mi 127.0.0.1 -mp 26000 -rtp_echo -m 1 \
      -nostdin -timeout 15 -timeout_error -trace_err -error_file uas.err -trace_logs -log_file uas.log \
      -trace_screen -screen_file uas.screen $uas_args >uas.out 2>&1) &
  local uas_pid=$!
  # The UAS must be listening before the INVITE goes out; SIPp has no readiness signal, so poll its socket.
  for _ in $(seq 50); do ss -Hlun 'sport = :25080' | grep -q . && break; sleep 0.1; done
  # shellcheck disable=SC2086
  (cd "$dir" && exec timeout 30 sipp 127.0.0.1:25080 -sf "$here/$uac" -i 127.0.0.1 -p 25060 -mi 127.0.0.1 -mp 27000 \
      -s 1000 -m 1 -key pcap "$pcap" -nostdin -timeout 15 -timeout_error -trace_err -error_file uac.err \
      -trace_screen -screen_file uac.screen $uac_args >uac.out 2>&1)
  local uac_rc=$?
  wait "$uas_pid"
  local uas_rc=$?
  if [ "$uas_rc" = "$want_uas" ] && [ "$uac_rc" = "$want_uac" ]; then
    printf 'ok    %-34s uas=%s uac=%s\n' "$name" "$uas_rc" "$uac_rc"
  else
    printf 'FAIL  %-34s uas=%s (want %s) uac=%s (want %s)  logs: %s\n' "$name" "$uas_rc" "$want_uas" "$uac_rc" "$want_uac" "$dir"
    failures=$((failures + 1))
  fi
}

ids="-set conv c-42 -set uui 632d3432"
run echo-pcap                  0 0 uas-echo.xml           "$ids"                     uac-pcap.xml     "-d 1000 $ids"
run echo-pcma-offer            0 0 uas-echo.xml           ""                         uac-pcap.xml     "-d 500 -set offer pcma $ids"
run echo-conv-differs          1 0 uas-echo.xml           "-set conv c-43"           uac-pcap.xml     "-d 200 $ids"
run echo-uui-differs           1 0 uas-echo.xml           "-set uui 632d3433"        uac-pcap.xml     "-d 200 $ids"
run echo-conv-missing          1 0 uas-echo.xml           ""                         uac-pcap.xml     "-d 200 -set uui 632d3432"
run echo-uui-missing           1 0 uas-echo.xml           ""                         uac-pcap.xml     "-d 200 -set conv c-42"
run echo-uui-not-hex           1 0 uas-echo.xml           ""                         uac-pcap.xml     "-d 200 -set conv c-42 -set uui c-42"
run pcmu-only-rejects-pcma     1 1 uas-echo-pcmu-only.xml ""                         uac-pcap.xml     "-d 200 -set offer pcma $ids"
run pcmu-only-answer-no-pcma   0 1 uas-echo-pcmu-only.xml ""                         uac-pcap.xml     "-d 200 $ids"
run uas-hangs-up               0 0 uas-bye.xml            "-d 1000 $ids"             uac-wait-bye.xml "$ids"
run busy                       0 0 uas-486.xml            "$ids"                     uac-expect-486.xml "$ids"
run cancel                     0 0 uas-ring.xml           "$ids"                     uac-cancel.xml   "-d 300 $ids"
run digest                     0 0 uas-digest.xml         "-key auth_user warmline -key auth_password s3cret $ids" \
                                                          selftest/uac-digest.xml "-d 200 -au warmline -ap s3cret $ids"
run digest-wrong-password      1 1 uas-digest.xml         "-key auth_user warmline -key auth_password s3cret $ids" \
                                                          selftest/uac-digest.xml "-d 200 -au warmline -ap wrong $ids"
run forbidden                  0 0 selftest/uas-reject-403.xml "" uac-expect-403.xml ""
run unavailable                0 0 selftest/uas-reject-503.xml "" uac-expect-503.xml ""
run expect-486-gets-403        0 1 selftest/uas-reject-403.xml "" uac-expect-486.xml ""
run hold                       0 0 uas-held.xml           "$ids"                     uac-hold.xml     "-d 300 $ids"
run hold-inactive              0 0 uas-held.xml           "-set hold inactive $ids"  uac-hold.xml     "-d 300 -set hold inactive $ids"
run held-wrong-direction       1 0 uas-held.xml           "-set hold inactive $ids"  uac-hold.xml     "-d 300 $ids"
run held-without-reinvite      1 0 uas-held.xml           "$ids"                     uac-pcap.xml     "-d 300 $ids"
run hold-slow-answer           0 0 uas-held.xml           "-set answer_delay 600 $ids" uac-hold.xml   "-d 300 $ids"
run support-line-holds         0 0 uas-hold.xml           "-d 300 $ids"              uac-held.xml     "-d 300 $ids"
run support-line-holds-inactive 0 0 uas-hold.xml          "-d 300 -set hold inactive $ids" uac-held.xml "-d 300 -set hold inactive $ids"
run caller-held-wrong-direction 0 1 uas-hold.xml          "-d 300 $ids"              uac-held.xml     "-d 300 -set hold inactive $ids"
run codec-change               0 0 selftest/uas-reinvite.xml ""                      uac-codec-change.xml "-d 300 -key pcap_pcmu $pcap $ids"
run codec-change-answer-pcma   0 1 selftest/uas-reinvite.xml "-set force_pt 8"       uac-codec-change.xml "-d 300 -key pcap_pcmu $pcap $ids"
run session-timer              0 0 selftest/uas-reinvite.xml ""                      uac-session-timer.xml "-d 300 $ids"
run session-timer-missing      0 1 selftest/uas-reinvite.xml "-set no_timer 1"       uac-session-timer.xml "-d 300 $ids"
run early-media                0 0 uas-early-media.xml    "-d 500 -key pcap $pcap $ids" uac-early-media.xml "-d 200 $ids"
run early-media-missing        0 1 uas-echo.xml           "$ids"                     uac-early-media.xml "-d 200 $ids"
run ivr-plays-prompt          0 0 uas-ivr.xml            "-key prompt $pcap -d 1000 $ids" uac-wait-bye.xml "$ids"
run silent-caller-gets-bye     0 0 uas-bye.xml            "-d 500 $ids"              uac-silent.xml   "$ids"

if [ "$failures" = 0 ]; then echo "all scenario self-tests passed"; rm -rf "$out"; else echo "$failures failed"; fi
[ "$failures" = 0 ]
