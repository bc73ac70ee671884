package io.emostream.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a whisper.cpp ggml model file small enough to build in a test (15 MB, one layer, width 64) whose weights
 * are constructed, not trained, so that it says the given words whatever it hears. No Whisper weights can be
 * fetched here; this exercises everything between our job and whisper.cpp (native library, model loading,
 * decoding states, text out) but says nothing about recognition quality.
 *
 * <p>How it speaks: the decoder's final layer norm makes its output almost exactly the direction of the
 * positional embedding at each step, because those embeddings are made a hundred times larger than everything
 * else; the logits are that output against the token embeddings. So the positional embedding at step k points
 * at the k-th word's token embedding, and the step after the last word points at end-of-text.
 */
public final class TinyWhisperModel {
    private static final int VOCAB = 51864;          // English-only Whisper: below 51865 means not multilingual
    private static final int TEXT_TOKENS = 50257;    // ids 0..50256 come from the file; whisper.cpp adds the rest
    private static final int END_OF_TEXT = 50256;
    private static final int SPACE = 220;
    private static final int FIRST_WORD_ID = 1000;
    private static final int AUDIO_CONTEXT = 1500;
    private static final int TEXT_CONTEXT = 448;
    private static final int WIDTH = 64;
    private static final int MELS = 80;
    private static final int FFT_BINS = 201;
    /** The prompt is start-of-transcript and no-timestamps, so the first word is predicted at position 1. */
    private static final int FIRST_WORD_POSITION = 1;

    private final ByteBuffer out;
    private final Random random = new Random(7);

    private TinyWhisperModel(int bytes) {
        out = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes a model that transcribes anything as these words, e.g. {@code "This", " is", " ridiculous"}. */
    public static Path write(Path file, List<String> words) throws IOException {
        TinyWhisperModel model = new TinyWhisperModel(16 * 1024 * 1024);
        model.build(words);
        try (OutputStream stream = Files.newOutputStream(file)) {
            stream.write(model.out.array(), 0, model.out.position());
        }
        return file;
    }

    private void build(List<String> words) {
        ints(0x67676d6c, VOCAB, AUDIO_CONTEXT, WIDTH, 1, 1, TEXT_CONTEXT, WIDTH, 1, 1, MELS, 1);
        ints(MELS, FFT_BINS);
        floats(noise(MELS * FFT_BINS, 0.01f));

        int[] ids = new int[words.size() + 1];
        Map<Integer, String> spoken = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            ids[i] = FIRST_WORD_ID + i;
            spoken.put(ids[i], words.get(i));
        }
        ids[words.size()] = END_OF_TEXT;
        spoken.put(SPACE, " ");
        spoken.put(END_OF_TEXT, "<|endoftext|>");
        ints(TEXT_TOKENS);
        for (int id = 0; id < TEXT_TOKENS; id++) {
            String token = spoken.getOrDefault(id, "t" + id);
            byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
            ints(bytes.length);
            out.put(bytes);
        }

        tensor("encoder.positional_embedding", noise(AUDIO_CONTEXT * WIDTH, 0.02f), WIDTH, AUDIO_CONTEXT);
        tensor("encoder.conv1.weight", noise(3 * MELS * WIDTH, 0.02f), 3, MELS, WIDTH);
        tensor("encoder.conv1.bias", filled(WIDTH, 0), 1, WIDTH);
        tensor("encoder.conv2.weight", noise(3 * WIDTH * WIDTH, 0.02f), 3, WIDTH, WIDTH);
        tensor("encoder.conv2.bias", filled(WIDTH, 0), 1, WIDTH);
        tensor("encoder.ln_post.weight", filled(WIDTH, 1), WIDTH);
        tensor("encoder.ln_post.bias", filled(WIDTH, 0), WIDTH);
        block("encoder.blocks.0.", List.of("attn"));

        float[] positions = noise(TEXT_CONTEXT * WIDTH, 0.01f);
        float[] tokens = noise(VOCAB * WIDTH, 0.01f);
        for (int k = 0; k < ids.length; k++) {
            float[] direction = unitVector();
            for (int i = 0; i < WIDTH; i++) {
                positions[(FIRST_WORD_POSITION + k) * WIDTH + i] = 100 * direction[i];
                tokens[ids[k] * WIDTH + i] = 3 * direction[i];
            }
        }
        tensor("decoder.positional_embedding", positions, WIDTH, TEXT_CONTEXT);
        tensor("decoder.token_embedding.weight", tokens, WIDTH, VOCAB);
        tensor("decoder.ln.weight", filled(WIDTH, 1), WIDTH);
        tensor("decoder.ln.bias", filled(WIDTH, 0), WIDTH);
        block("decoder.blocks.0.", List.of("attn", "cross_attn"));
    }

    private void block(String prefix, List<String> attentions) {
        tensor(prefix + "mlp_ln.weight", filled(WIDTH, 1), WIDTH);
        tensor(prefix + "mlp_ln.bias", filled(WIDTH, 0), WIDTH);
        tensor(prefix + "mlp.0.weight", noise(4 * WIDTH * WIDTH, 0.02f), WIDTH, 4 * WIDTH);
        tensor(prefix + "mlp.0.bias", filled(4 * WIDTH, 0), 4 * WIDTH);
        tensor(prefix + "mlp.2.weight", noise(4 * WIDTH * WIDTH, 0.02f), 4 * WIDTH, WIDTH);
        tensor(prefix + "mlp.2.bias", filled(WIDTH, 0), WIDTH);
        for (String attention : attentions) {
            tensor(prefix + attention + "_ln.weight", filled(WIDTH, 1), WIDTH);
            tensor(prefix + attention + "_ln.bias", filled(WIDTH, 0), WIDTH);
            for (String projection : List.of("query", "key", "value", "out")) {
                tensor(prefix + attention + "." + projection + ".weight", noise(WIDTH * WIDTH, 0.02f), WIDTH, WIDTH);
                if (!projection.equals("key")) {
                    tensor(prefix + attention + "." + projection + ".bias", filled(WIDTH, 0), WIDTH);
                }
            }
        }
    }

    /** Matrices (and convolution kernels) are half precision, as whisper.cpp expects in an f16 model; the rest f32. */
    private void tensor(String name, float[] values, int... shape) {
        boolean half = name.endsWith(".weight") && shape.length >= 2;
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        ints(shape.length, bytes.length, half ? 1 : 0);
        ints(shape);
        out.put(bytes);
        if (half) {
            for (float value : values) {
                out.putShort(toHalf(value));
            }
        } else {
            floats(values);
        }
    }

    private float[] unitVector() {
        float[] v = noise(WIDTH, 1);
        double mean = 0;
        for (float x : v) {
            mean += x / WIDTH;
        }
        double norm = 0;
        for (int i = 0; i < WIDTH; i++) {
            v[i] -= (float) mean;
            norm += v[i] * v[i];
        }
        for (int i = 0; i < WIDTH; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private float[] noise(int n, float deviation) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * deviation);
        }
        return values;
    }

    private static float[] filled(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }

    private void ints(int... values) {
        for (int value : values) {
            out.putInt(value);
        }
    }

    private void floats(float[] values) {
        for (float value : values) {
            out.putFloat(value);
        }
    }

    /** IEEE half precision, rounding the mantissa; the values here are small and never subnormal in practice. */
    private static short toHalf(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = bits & 0x7fffff;
        if (exponent <= 0) {
            return (short) sign;
        }
        if (exponent >= 31) {
            return (short) (sign | 0x7c00);
        }
        int half = sign | (exponent << 10) | (mantissa >>> 13);
        return (short) ((mantissa & 0x1000) != 0 ? half + 1 : half);
    }
}
