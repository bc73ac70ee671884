#!/usr/bin/env bash
# make-decode-inputs.sh [DIR]: the inputs of `bin/emotion bench decode` (docs/benchmarks.md, "Decoding media files"):
# 60 s of stereo speech at 44.1 and 48 kHz, encoded as MP3 128 kbit/s, AAC 128 kbit/s (.m4a) and Opus 96 kbit/s, with
# Debian's ffmpeg command (apt-get install -y ffmpeg). Written to DIR (default: a new temporary folder), whose path is
# printed last; they are a few MB, so they are made when needed, not kept in the repository.
#
# The speech is the synthetic voices of fixtures/audio, one after another, looped to 60 s: the left channel in one
# order, the right in another, so the two channels differ as two speakers' would. Opus is always decoded at 48 kHz,
# so it is made from the 48 kHz source only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v ffmpeg >/dev/null 2>&1; then
    echo "error: 'ffmpeg' not found - install it with: apt-get install -y ffmpeg" >&2
    exit 1
fi
out="${1:-$(mktemp -d)}"
mkdir -p "$out"

FF="ffmpeg -nostdin -hide_banner -loglevel error -y"
OUT_FLAGS="-map_metadata -1 -fflags +bitexact -flags:a +bitexact"
audio="$root/fixtures/audio"
voices=(podcast-mono-16k.wav speech-22k05-mono-f32.wav speech-48k-mono-s24.wav pipe-espeak-22k.wav speech-44k1-stereo-s16.wav)

for rate in 44100 48000; do
    inputs=() filter=""
    for i in "${!voices[@]}"; do
        inputs+=(-i "$audio/${voices[$i]}")
        # Each voice as mono at the target rate, twice: once for each channel's sequence.
        filter+="[$i:a]pan=mono|c0=c0,aresample=$rate,aformat=sample_fmts=s16,asplit=2[l$i][r$i];"
    done
    filter+="[l0][l1][l2][l3][l4]concat=n=5:v=0:a=1[left];[r3][r4][r0][r1][r2]concat=n=5:v=0:a=1[right];"
    filter+="[left][right]join=inputs=2:channel_layout=stereo[out]"
    $FF "${inputs[@]}" -filter_complex "$filter" -map "[out]" "$out/sequence-$rate.wav"
    $FF -stream_loop -1 -i "$out/sequence-$rate.wav" -t 60 -c:a pcm_s16le "$out/speech-60s-$rate.wav"
    rm "$out/sequence-$rate.wav"
    $FF -i "$out/speech-60s-$rate.wav" -c:a libmp3lame -b:a 128k $OUT_FLAGS "$out/speech-60s-$rate-128k.mp3"
    $FF -i "$out/speech-60s-$rate.wav" -c:a aac -b:a 128k -movflags +faststart $OUT_FLAGS "$out/speech-60s-$rate-128k.m4a"
done
# Constrained VBR: left free, libopus spends about 160 kbit/s on these synthetic voices.
$FF -i "$out/speech-60s-48000.wav" -c:a libopus -b:a 96k -vbr constrained $OUT_FLAGS "$out/speech-60s-48000-96k.opus"
rm "$out"/speech-60s-*.wav

ls -l "$out"
echo "$out"
