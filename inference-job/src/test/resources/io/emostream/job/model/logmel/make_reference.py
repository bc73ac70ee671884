#!/usr/bin/env python3
"""Reference log-mel features for LogMelTest, computed with numpy alone (no torch, torchaudio or librosa here).

Each front end is written from its library's documented algorithm, vectorised, with numpy's FFT:
torchaudio.transforms.MelSpectrogram (torch.stft + melscale_fbanks), Whisper's log_mel_spectrogram
(librosa slaney filters), and torchaudio.compliance.kaldi.fbank (snip_edges=True, dither 0).
Run from this directory: python3 make_reference.py  (writes reference.json; numpy 2.4 made the committed one).
"""
import json

import numpy as np

SR = 16000


def test_signal():
    """0.3 s: two tones, a chirp and LCG noise, silent from sample 2000 to 2800; LogMelTest builds the same."""
    n = 4800
    t = np.arange(n) / SR
    x = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 1250 * t + 0.5)
         + 0.1 * np.sin(2 * np.pi * (300 * t + 2000 * t * t)))
    state = 12345
    noise = np.empty(n)
    for i in range(n):
        state = (1103515245 * state + 12345) % (1 << 31)
        noise[i] = state / (1 << 31) - 0.5
    x = x + 0.05 * noise
    x[2000:2800] = 0
    return x.astype(np.float32).astype(np.float64)


def hz_to_mel(f, scale):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    if scale == "kaldi":
        return 1127.0 * np.log(1.0 + f / 700.0)
    logstep = np.log(6.4) / 27.0
    return np.where(f >= 1000.0, 15.0 + np.log(np.maximum(f, 1e-300) / 1000.0) / logstep, f / (200.0 / 3))


def mel_to_hz(m, scale):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    if scale == "kaldi":
        return 700.0 * (np.exp(m / 1127.0) - 1.0)
    logstep = np.log(6.4) / 27.0
    return np.where(m >= 15.0, 1000.0 * np.exp(logstep * (m - 15.0)), m * 200.0 / 3)


def melscale_fbanks(n_fft, n_mels, f_min, f_max, scale, norm):
    """torchaudio.functional.melscale_fbanks: (n_freqs, n_mels)."""
    n_freqs = n_fft // 2 + 1
    all_freqs = np.linspace(0, SR // 2, n_freqs)
    f_pts = mel_to_hz(np.linspace(hz_to_mel(f_min, scale), hz_to_mel(f_max, scale), n_mels + 2), scale)
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts[None, :] - all_freqs[:, None]
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    fb = np.maximum(0.0, np.minimum(down, up))
    if norm == "slaney":
        fb *= 2.0 / (f_pts[2:n_mels + 2] - f_pts[:n_mels])
    return fb


def kaldi_mel_banks(n_mels, padded, low, high):
    """torchaudio.compliance.kaldi.get_mel_banks, Nyquist column added: (n_mels, padded // 2 + 1)."""
    num_fft_bins = padded // 2
    mel_low, mel_high = hz_to_mel(low, "kaldi"), hz_to_mel(high, "kaldi")
    delta = (mel_high - mel_low) / (n_mels + 1)
    b = np.arange(n_mels)[:, None]
    left, center, right = mel_low + b * delta, mel_low + (b + 1) * delta, mel_low + (b + 2) * delta
    mel = hz_to_mel(SR / padded * np.arange(num_fft_bins), "kaldi")[None, :]
    up = (mel - left) / (center - left)
    down = (right - mel) / (right - center)
    banks = np.maximum(0.0, np.minimum(up, down))
    return np.pad(banks, ((0, 0), (0, 1)))


def periodic(kind, n):
    c = np.cos(2 * np.pi * np.arange(n) / n)
    return 0.5 - 0.5 * c if kind == "hann" else 0.54 - 0.46 * c


def stft_power(x, n_fft, win_length, hop, window, center, pad_mode):
    """torch.stft(..., center, pad_mode, onesided) |X|^2 as (frames, n_freqs)."""
    if center:
        x = np.pad(x, n_fft // 2, mode=pad_mode)
    w = np.zeros(n_fft)
    left = (n_fft - win_length) // 2
    w[left:left + win_length] = window
    frames = 1 + (len(x) - n_fft) // hop
    stacked = np.stack([x[t * hop:t * hop + n_fft] for t in range(frames)]) * w
    return np.abs(np.fft.rfft(stacked, axis=1)) ** 2


def torchaudio_case():
    """MelSpectrogram(n_fft=512, win_length=400, hop_length=160, f_min=50, f_max=7600, n_mels=64, power=1),
    log(x + 1e-6), then each mel bin standardised over the utterance."""
    spec = np.sqrt(stft_power(test_signal(), 512, 400, 160, periodic("hann", 400), True, "reflect"))
    mel = spec @ melscale_fbanks(512, 64, 50, 7600, "htk", None)
    x = np.log(mel + 1e-6)
    return (x - x.mean(axis=0)) / x.std(axis=0)


def torchaudio_db_case():
    """MelSpectrogram(n_fft=400, hop_length=100, n_mels=40, window_fn=hamming_window, pad_mode='constant',
    mel_scale='slaney', norm='slaney'), then AmplitudeToDB('power', top_db=80) (10 log10, amin 1e-10)."""
    spec = stft_power(test_signal(), 400, 400, 100, periodic("hamming", 400), True, "constant")
    mel = spec @ melscale_fbanks(400, 40, 0, 8000, "slaney", "slaney")
    x = 10 * np.log10(np.maximum(mel, 1e-10))
    return np.maximum(x, x.max() - 80)


def whisper_case():
    """whisper.audio.log_mel_spectrogram(audio, n_mels=80) without padding."""
    spec = stft_power(test_signal(), 400, 400, 160, periodic("hann", 400), True, "reflect")[:-1]
    mel = spec @ melscale_fbanks(400, 80, 0, 8000, "slaney", "slaney")
    x = np.log10(np.maximum(mel, 1e-10))
    x = np.maximum(x, x.max() - 8.0)
    return (x + 4.0) / 4.0


def kaldi_case():
    """torchaudio.compliance.kaldi.fbank(waveform * 32768, num_mel_bins=80) with its defaults."""
    x = test_signal() * 32768
    win, shift, padded = 400, 160, 512
    frames = 1 + (len(x) - win) // shift
    f = np.stack([x[t * shift:t * shift + win] for t in range(frames)])
    f = f - f.mean(axis=1, keepdims=True)
    previous = np.concatenate([f[:, :1], f[:, :-1]], axis=1)
    f = f - 0.97 * previous
    f = f * (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / (win - 1))) ** 0.85
    f = np.pad(f, ((0, 0), (0, padded - win)))
    spec = np.abs(np.fft.rfft(f, axis=1)) ** 2
    mel = spec @ kaldi_mel_banks(80, padded, 20, SR / 2).T
    return np.log(np.maximum(mel, np.finfo(np.float32).eps))


if __name__ == "__main__":
    cases = {"torchaudio": torchaudio_case(), "torchaudio-db": torchaudio_db_case(),
             "whisper": whisper_case(), "kaldi": kaldi_case()}
    with open("reference.json", "w") as out:
        json.dump({name: [[float("%.9g" % v) for v in row] for row in values] for name, values in cases.items()},
                  out, separators=(",", ":"))
        out.write("\n")
    for name, values in cases.items():
        print(name, values.shape, float(values.min()), float(values.max()))
