package io.emostream.launcher.acted;

import io.emostream.audio.G711;
import io.emostream.audio.Resampler;
import io.emostream.audio.SampleDecoder;
import io.emostream.audio.wav.WavReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The acted evaluation set ({@code evaluation/acted/set.txt}): parsed, and rendered into WAV files with flite. Every
 * turn's place in its file is known, so an event can be matched to the turn it came from.
 */
public final class ActedSet {
    /** A speaking style: how far pitch, pitch range, tempo and level move from the voice's calm delivery. */
    record Style(double pitch, double range, double stretch, double gainDb) {
    }

    /**
     * Written with the set, before any tuning: a calm delivery is flite's own, normalised to a -26 dBFS speech level;
     * the others move pitch, its spread, duration and level in the directions the literature reports for each
     * (Juslin &amp; Laukka 2003).
     */
    static final Map<String, Style> STYLES = Map.of(
            "calm", new Style(1.0, 1.0, 1.0, 0),
            "warm", new Style(1.06, 1.4, 1.0, 1),
            "quiet", new Style(1.0, 1.0, 1.0, -10),
            "tense", new Style(1.15, 1.8, 0.92, 4),
            "shout", new Style(1.4, 2.8, 0.8, 9),
            "excited", new Style(1.3, 2.6, 0.88, 5),
            "sad", new Style(0.88, 0.4, 1.3, -6),
            "flat", new Style(0.95, 0.25, 1.15, -3));

    /** Each voice's calm pitch and pitch spread, in Hz (flite's settings int_f0_target_mean and _stddev). */
    static final Map<String, double[]> VOICES = Map.of(
            "kal", new double[] {105, 12}, "awb", new double[] {110, 12},
            "rms", new double[] {110, 15}, "slt", new double[] {185, 20});

    static final Set<String> FAMILIES = Set.of("calm", "pleased", "upset", "down", "anxious");
    private static final double SPEECH_LEVEL_DBFS = -26;

    /** One turn as written, and (once rendered) where it lies in its file. */
    public static final class Turn {
        public final String role;
        public final String style;
        public final double gapSeconds;
        public final String family;
        public final boolean mismatch;
        public final List<String> categories;
        public final List<String> alerts;
        public final String text;
        public int channel;
        public long startMs;
        public long endMs;

        Turn(String role, String style, double gapSeconds, String family, boolean mismatch, List<String> categories,
             List<String> alerts, String text) {
            this.role = role;
            this.style = style;
            this.gapSeconds = gapSeconds;
            this.family = family;
            this.mismatch = mismatch;
            this.categories = categories;
            this.alerts = alerts;
            this.text = text;
        }
    }

    /** One call or podcast excerpt. */
    public static final class Item {
        public final String name;
        public final boolean heldOut;
        public final boolean stereo;
        public final double lineDb;
        public final Map<String, String> voices = new LinkedHashMap<>();
        public final List<Turn> turns = new ArrayList<>();

        Item(String name, boolean heldOut, boolean stereo, double lineDb) {
            this.name = name;
            this.heldOut = heldOut;
            this.stereo = stereo;
            this.lineDb = lineDb;
        }

        int sampleRate() {
            return stereo ? 8000 : 16000;
        }

        /** The roles in channel order, as {@code --roles} takes them for a stereo call. */
        public List<String> roles() {
            return List.copyOf(voices.keySet());
        }
    }

    private ActedSet() {
    }

    public static List<Item> read(Path file) throws IOException {
        List<Item> items = new ArrayList<>();
        Item item = null;
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] words = text.split("\\s+");
            String where = file + ":" + number + ": ";
            if (words[0].equals("item")) {
                double lineDb = words.length > 4 ? Double.parseDouble(words[4].substring("line=".length())) : 0;
                item = new Item(words[1], words[2].equals("held-out"), words[3].equals("stereo-8k-mulaw"), lineDb);
                if (!Set.of("tuning", "held-out").contains(words[2])) {
                    throw new IllegalArgumentException(where + "the split is tuning or held-out");
                }
                items.add(item);
            } else if (words[0].equals("voices")) {
                for (int i = 1; i < words.length; i++) {
                    String[] roleVoice = words[i].split("=");
                    if (!VOICES.containsKey(roleVoice[1])) {
                        throw new IllegalArgumentException(where + "unknown voice " + roleVoice[1]);
                    }
                    item.voices.put(roleVoice[0], roleVoice[1]);
                }
            } else {
                String[] parts = text.split("\\|", 3);
                String[] head = parts[0].strip().split("\\s+");
                String[] expect = parts[1].strip().split("\\s+");
                if (!item.voices.containsKey(head[0]) || !STYLES.containsKey(head[1]) || !FAMILIES.contains(expect[0])) {
                    throw new IllegalArgumentException(where + "unknown role, style or family");
                }
                boolean mismatch = false;
                List<String> categories = new ArrayList<>();
                List<String> alerts = new ArrayList<>();
                for (int i = 1; i < expect.length; i++) {
                    if (expect[i].equals("mismatch")) {
                        mismatch = true;
                    } else if (expect[i].startsWith("cat:")) {
                        categories.add(expect[i].substring(4));
                    } else if (expect[i].startsWith("alert:")) {
                        alerts.add(expect[i].substring(6));
                    } else {
                        throw new IllegalArgumentException(where + "unknown flag " + expect[i]);
                    }
                }
                item.turns.add(new Turn(head[0], head[1], Double.parseDouble(head[2]), expect[0], mismatch,
                        List.copyOf(categories), List.copyOf(alerts), parts[2].strip()));
            }
        }
        return items;
    }

    /**
     * Renders an item into {@code dir/NAME.wav} (stereo 8 kHz μ-law, one role per channel, or mono 16 kHz PCM) and
     * records where each turn lies.
     */
    public static Path render(Item item, Path dir) throws IOException, InterruptedException {
        int rate = item.sampleRate();
        List<float[]> channels = new ArrayList<>();
        int channelCount = item.stereo ? item.voices.size() : 1;
        float[][] buffers = new float[channelCount][rate * 600];
        int cursor = rate * 3 / 10;
        int previousStart = 0;
        List<String> roles = item.roles();
        for (Turn turn : item.turns) {
            float[] speech = speak(item.voices.get(turn.role), STYLES.get(turn.style), turn.text, rate, item.lineDb, dir);
            int start = Math.max(previousStart + rate / 2, cursor + (int) Math.round(turn.gapSeconds * rate));
            turn.channel = item.stereo ? roles.indexOf(turn.role) : 0;
            float[] target = buffers[turn.channel];
            for (int i = 0; i < speech.length; i++) {
                target[start + i] += speech[i];
            }
            turn.startMs = start * 1000L / rate;
            turn.endMs = (start + speech.length) * 1000L / rate;
            previousStart = start;
            cursor = Math.max(cursor, start + speech.length);
        }
        int frames = cursor + rate / 2;
        for (float[] buffer : buffers) {
            channels.add(buffer);
        }
        Path wav = dir.resolve(item.name + ".wav");
        Files.write(wav, item.stereo ? mulawWav(channels, frames, rate) : pcmWav(channels.get(0), frames, rate));
        return wav;
    }

    /** One turn by flite, trimmed, at the file's rate, at the style's level. */
    private static float[] speak(String voice, Style style, String text, int rate, double lineDb, Path dir)
            throws IOException, InterruptedException {
        double[] calm = VOICES.get(voice);
        Path raw = Files.createTempFile(dir, "turn-", ".wav");
        List<String> command = List.of("flite", "-voice", voice,
                "--setf", "int_f0_target_mean=" + calm[0] * style.pitch(),
                "--setf", "int_f0_target_stddev=" + calm[1] * style.range(),
                "--setf", "duration_stretch=" + style.stretch(), "-t", text, "-o", raw.toString());
        Process flite = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(flite.getInputStream().readAllBytes());
        if (flite.waitFor() != 0) {
            throw new IOException("flite failed: " + output);
        }
        float[] samples;
        int sourceRate;
        try (InputStream in = Files.newInputStream(raw)) {
            WavReader reader = WavReader.open(in);
            sourceRate = reader.format().sampleRate();
            ByteArrayOutputStream pcm = new ByteArrayOutputStream();
            byte[][] read;
            while ((read = reader.readChannels(4096)) != null) {
                pcm.writeBytes(read[0]);
            }
            samples = SampleDecoder.toFloat(pcm.toByteArray(), reader.format().encoding());
        }
        Files.delete(raw);
        if (sourceRate != rate) {
            Resampler resampler = new Resampler(sourceRate, rate);
            float[] body = resampler.process(samples);
            float[] tail = resampler.flush();
            samples = new float[body.length + tail.length];
            System.arraycopy(body, 0, samples, 0, body.length);
            System.arraycopy(tail, 0, samples, body.length, tail.length);
        }
        samples = trim(samples, rate);
        double rms = Math.sqrt(sumOfSquares(samples) / samples.length);
        double gain = Math.pow(10, (SPEECH_LEVEL_DBFS + style.gainDb() + lineDb) / 20) / rms;
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) Math.max(-0.999, Math.min(0.999, samples[i] * gain));
        }
        return samples;
    }

    /** Leading and trailing silence cut at 1 % of the peak (flite pads its output). */
    private static float[] trim(float[] samples, int rate) {
        float peak = 0;
        for (float s : samples) {
            peak = Math.max(peak, Math.abs(s));
        }
        int first = 0;
        while (first < samples.length && Math.abs(samples[first]) < 0.01f * peak) {
            first++;
        }
        int last = samples.length - 1;
        while (last > first && Math.abs(samples[last]) < 0.01f * peak) {
            last--;
        }
        int pad = rate / 50;
        first = Math.max(0, first - pad);
        last = Math.min(samples.length - 1, last + pad);
        float[] trimmed = new float[last - first + 1];
        System.arraycopy(samples, first, trimmed, 0, trimmed.length);
        return trimmed;
    }

    private static double sumOfSquares(float[] samples) {
        double sum = 0;
        for (float s : samples) {
            sum += s * s;
        }
        return sum;
    }

    private static byte[] mulawWav(List<float[]> channels, int frames, int rate) {
        ByteBuffer wav = header(frames * channels.size(), 7, channels.size(), rate, 8);
        for (int i = 0; i < frames; i++) {
            for (float[] channel : channels) {
                wav.put(G711.linearToUlaw((short) Math.round(channel[i] * 32767)));
            }
        }
        return wav.array();
    }

    private static byte[] pcmWav(float[] channel, int frames, int rate) {
        ByteBuffer wav = header(frames * 2, 1, 1, rate, 16);
        for (int i = 0; i < frames; i++) {
            wav.putShort((short) Math.round(Math.max(-1, Math.min(1, channel[i])) * 32767));
        }
        return wav.array();
    }

    private static ByteBuffer header(int dataBytes, int formatTag, int channels, int rate, int bits) {
        ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) formatTag).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        wav.put("data".getBytes()).putInt(dataBytes);
        return wav;
    }
}
