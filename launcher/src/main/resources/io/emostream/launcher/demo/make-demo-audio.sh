#!/usr/bin/env bash
# make-demo-audio.sh - (re)generate the sample calls that `bin/emotion demo` replays, in this folder.
#
# Needs: flite (voices kal, awb, rms, slt) and sox; `apt-get install -y flite sox`.
# Deterministic: flite is deterministic for a given version and sox runs with -D -R.
# All speech is synthetic (flite); nothing was recorded from a person.
#
# Each file is stereo, one speaker per channel, taking turns: while one speaks, the other channel is silent.
# Prosody is set per turn with flite's intonation and duration settings, and loudness with sox, so that the
# cue-based estimator has something to measure: the escalating customer gets higher, wider-ranging pitch,
# faster speech and more level with every turn.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for tool in flite sox; do
    command -v "$tool" >/dev/null || { echo "error: '$tool' not found - install it with: apt-get install -y $tool" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOX="sox -D -R -V1"
RATE=8000

# turn VOICE F0_MEAN F0_STDDEV STRETCH GAIN_DB TEXT -> appends a turn to the current conversation
# (channel of VOICE speaks, the other channel is silent for as long), followed by a pause.
n=0
turn() {
    local voice=$1 f0=$2 sd=$3 stretch=$4 gain=$5 text=$6
    n=$((n + 1))
    flite -voice "$voice" --setf int_f0_target_mean="$f0" --setf int_f0_target_stddev="$sd" \
        --setf duration_stretch="$stretch" -t "$text" -o "$tmp/raw$n.wav"
    $SOX "$tmp/raw$n.wav" -r "$RATE" -b 16 -c 1 "$tmp/say$n.wav" \
        silence 1 0.02 0.3% reverse silence 1 0.02 0.3% reverse gain "$gain" pad 0 "$PAUSE"
    local len
    len=$(soxi -s "$tmp/say$n.wav")
    $SOX -r "$RATE" -c 1 -n -b 16 "$tmp/quiet$n.wav" trim 0 "${len}s"
    if [ "$voice" = "$LEFT" ]; then
        left+=("$tmp/say$n.wav"); right+=("$tmp/quiet$n.wav")
    else
        left+=("$tmp/quiet$n.wav"); right+=("$tmp/say$n.wav")
    fi
}
conversation() { LEFT=$1; RATE=$2; PAUSE=$3; left=(); right=(); }
write() { # write OUT [sox output options]
    local out=$1; shift
    $SOX "${left[@]}" "$tmp/left.wav"
    $SOX "${right[@]}" "$tmp/right.wav"
    $SOX -M "$tmp/left.wav" "$tmp/right.wav" "$@" "$out"
}

# 1. A customer call that escalates: agent (kal, left) stays calm, customer (slt, right) does not.
conversation kal 8000 0.7
turn kal 105 12 1.0 0  "Thank you for calling, this is Sam. How can I help you today?"
turn slt 185 15 1.05 -8 "Hi. I was charged twice for my order last week."
turn kal 105 12 1.0 0  "I am sorry to hear that. Let me look into it for you."
turn slt 205 25 0.95 -5 "I already called about this on Monday. Nobody fixed it."
turn kal 100 10 1.0 0  "I understand. I can see the two payments here."
turn slt 230 40 0.85 -2 "This is ridiculous. I want my money back today."
turn kal 100 10 1.05 0 "I will raise a refund request right now."
turn slt 255 55 0.8 0   "No. I am sick of waiting. This is unacceptable and I am furious."
turn kal 100 10 1.05 0 "I hear you. The refund is on its way, you will get an email."
turn slt 270 60 0.75 2  "You people are useless. Cancel my account. Cancel everything now."
write call-escalating.wav -e u-law -b 8

# 2. A calm call: agent (kal, left), customer (awb, right).
conversation kal 8000 0.8
turn kal 105 12 1.0 0  "Good morning, this is Sam. How can I help?"
turn awb 110 12 1.05 -4 "Hello. I would like to change the address on my account."
turn kal 105 12 1.0 0  "Of course. What is the new address?"
turn awb 110 10 1.05 -4 "It is twelve Park Lane, in Cambridge."
turn kal 105 12 1.0 0  "Thank you. That is updated now."
turn awb 115 15 1.0 -4  "That was quick. Thanks a lot, have a good day."
turn kal 105 12 1.0 0  "You too. Goodbye."
write call-calm.wav -e u-law -b 8

# 3. A podcast excerpt: host (rms, left), guest (slt, right), 16 kHz PCM.
conversation rms 16000 0.6
turn rms 110 20 1.0 0  "Welcome back to the show. Today my guest builds robots that cook."
turn slt 200 35 0.95 0  "Thanks for having me. I love talking about this."
turn rms 115 25 1.0 0  "So what was the first dish your robot made?"
turn slt 230 50 0.85 2  "Pancakes! And it was a disaster. There was batter on the ceiling!"
turn rms 125 35 0.95 0 "That is amazing. Did you try again?"
turn slt 190 25 1.0 0   "Of course. Now it makes breakfast for the whole lab every Friday."
write podcast-excerpt.wav -b 16 -e signed-integer
