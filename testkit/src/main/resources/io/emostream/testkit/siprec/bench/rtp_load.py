#!/usr/bin/env python3
"""Load for the SIPREC benchmark: follows a file to which SIPp's exec action appends "PORT1 PORT2" for each call it
sets up, and sends the two channels of a WAV file to each pair as 20 ms RTP packets (looping the file) for
--call-seconds, all calls from one socket on one 20 ms clock. Prints what it sent when no call is left and the file
has been quiet for --quiet-seconds. Standard library only."""
import argparse
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from rtp_sender import wav_channels  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wav", required=True)
    parser.add_argument("--ports-file", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--pt", type=int, default=0)
    parser.add_argument("--call-seconds", type=float, required=True)
    parser.add_argument("--quiet-seconds", type=float, default=10.0)
    args = parser.parse_args()

    channels, width, rate = wav_channels(args.wav)
    samples = rate // 50
    chunk = samples * width
    packets_per_channel = len(channels[0]) // chunk
    packets_per_call = int(args.call_seconds * 50)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    open(args.ports_file, "a").close()
    follow = open(args.ports_file)
    calls = []  # [ports, next packet index]
    sent = 0
    calls_seen = 0
    last_input = time.monotonic()
    tick = time.monotonic()
    worst_lag = 0.0
    while True:
        for line in follow.readlines():
            ports = [int(p) for p in line.split()]
            if len(ports) == 2:
                calls.append([ports, 0])
                calls_seen += 1
                last_input = time.monotonic()
        for call in calls:
            ports, i = call
            n = i % packets_per_channel
            for c, port in enumerate(ports):
                header = struct.pack("!BBHII", 0x80, args.pt, i & 0xFFFF, (i * samples) & 0xFFFFFFFF, 0x2000 + c)
                sock.sendto(header + channels[c][n * chunk:(n + 1) * chunk], (args.host, port))
                sent += 1
            call[1] = i + 1
        calls = [call for call in calls if call[1] < packets_per_call]
        if not calls and calls_seen and time.monotonic() - last_input > args.quiet_seconds:
            break
        tick += 0.02
        delay = tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif calls:
            worst_lag = max(worst_lag, -delay)
    # A sender that falls behind its 20 ms clock no longer sends in real time: the lag says whether it kept up.
    print("calls %d, packets sent %d, sender's worst lag behind real time %.0f ms" % (calls_seen, sent, worst_lag * 1000),
          flush=True)


if __name__ == "__main__":
    main()
