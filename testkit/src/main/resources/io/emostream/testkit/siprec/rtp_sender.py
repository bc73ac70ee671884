#!/usr/bin/env python3
"""Sends the channels of a WAV file as RTP streams, one per port: SIPp's exec action starts it with the ports the
recording server answered. Channel c of the file goes to the c-th port, in 20 ms packets with real sequence numbers
and timestamps (started near their wraparound, so that both wrap during the call). Packets can be dropped or sent
out of order to exercise the server's loss and reorder handling, the sequence numbers and timestamps re-based in
the middle of the call under the same SSRC (as an SBC does after a transfer), and a second sender can butt in with
noise of its own. Standard library only."""
import argparse
import socket
import struct
import sys
import time


def wav_channels(path):
    """The raw sample bytes of each channel of a PCM, mu-law or A-law WAV file, the sample size and the rate."""
    data = open(path, "rb").read()
    pos, channels, width, rate = 12, 0, 0, 0
    while pos + 8 <= len(data):
        chunk, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if chunk == b"fmt ":
            channels = struct.unpack("<H", data[pos + 10:pos + 12])[0]
            rate = struct.unpack("<I", data[pos + 12:pos + 16])[0]
            width = struct.unpack("<H", data[pos + 22:pos + 24])[0] // 8
        elif chunk == b"data":
            frames = data[pos + 8:pos + 8 + size]
            frame = channels * width
            return [b"".join(frames[i + c * width:i + (c + 1) * width] for i in range(0, len(frames) - frame + 1, frame))
                    for c in range(channels)], width, rate
        pos += 8 + size + (size & 1)
    sys.exit("no data chunk in " + path)


def indexes(text):
    """'0:5,1:7' -> {(0, 5), (1, 7)}: channel and packet index."""
    return {tuple(int(x) for x in item.split(":")) for item in text.split(",") if item}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wav", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--ports", required=True, help="one port per channel, comma-separated")
    parser.add_argument("--pt", type=int, default=0, help="RTP payload type")
    parser.add_argument("--interval-ms", type=float, default=20.0, help="time between packets of a stream")
    parser.add_argument("--drop", default="", help="channel:packet pairs never sent")
    parser.add_argument("--swap", default="", help="channel:packet pairs sent after the packet that follows them")
    parser.add_argument("--rebase", type=int, default=-1,
                        help="from this packet on, sequence numbers and timestamps jump back (same SSRC, marker bit)")
    parser.add_argument("--intruder", type=int, default=-1,
                        help="from this packet on, another socket sends noise packets (own SSRC) to every port")
    args = parser.parse_args()

    channels, width, rate = wav_channels(args.wav)
    samples = rate // 50
    chunk = samples * width
    ports = [int(p) for p in args.ports.split(",")]
    drop, swap = indexes(args.drop), indexes(args.swap)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    streams = []
    for c, port in enumerate(ports):
        audio = channels[c]
        packets = []
        for i in range(0, len(audio) // chunk):
            rebased = 0 <= args.rebase <= i
            # 40000 ahead is 25536 behind on the 16-bit circle; the timestamps go back by as much on theirs.
            seq = (65500 + i + (40000 if rebased else 0)) & 0xFFFF
            ts = (0xFFFFF000 + i * samples + (0x90000000 if rebased else 0)) & 0xFFFFFFFF
            marker = i == 0 or i == args.rebase
            header = struct.pack("!BBHII", 0x80, args.pt | (0x80 if marker else 0), seq, ts, 0x1000 + c)
            payload = audio[i * chunk:(i + 1) * chunk]
            if width == 2:
                # L16 goes in network byte order.
                payload = b"".join(payload[j + 1:j + 2] + payload[j:j + 1] for j in range(0, len(payload), 2))
            packets.append((i, header + payload))
        order = []
        held = None
        for i, packet in packets:
            if (c, i) in drop:
                continue
            if (c, i) in swap:
                held = packet
                continue
            order.append(packet)
            if held is not None:
                order.append(held)
                held = None
        streams.append((port, order))

    intruder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for n in range(max(len(order) for _, order in streams)):
        for port, order in streams:
            if n < len(order):
                sock.sendto(order[n], (args.host, port))
                if 0 <= args.intruder <= n:
                    noise = struct.pack("!BBHII", 0x80, args.pt, n & 0xFFFF, n * samples, 0xBAD) + b"\x55" * chunk
                    intruder.sendto(noise, (args.host, port))
        time.sleep(args.interval_ms / 1000.0)


if __name__ == "__main__":
    main()
