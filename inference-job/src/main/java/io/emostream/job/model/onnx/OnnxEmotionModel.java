package io.emostream.job.model.onnx;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LabelSet;
import io.emostream.job.model.ModelInput;
import io.emostream.job.model.logmel.LogMel;
import io.emostream.job.model.logmel.LogMelSettings;
import io.emostream.job.model.onnx.ModelCard.Layout;
import io.emostream.job.model.onnx.ModelCard.Padding;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A speech-emotion classifier exported to ONNX, described by a {@link ModelCard}, run with ONNX Runtime's Java API
 * (the native library DJL wraps; used directly here for the inputs' declared types and shapes) on the card's
 * execution provider. It takes the waveform or log-mel features computed here ({@link LogMel}). One session per
 * operator; batches are padded to their longest utterance and masked when the model takes a mask, padded to the
 * model's length when it has a fixed number of frames, and otherwise grouped by length so that padding never changes
 * a result.
 * The outputs are read as the card says ({@link CardOutputs}).
 */
public final class OnnxEmotionModel implements EmotionModel {
    private final ModelCard card;
    private final LabelSet labels;
    private final CardOutputs cardOutputs;
    private OrtEnvironment environment;
    private OrtSession session;
    private boolean maskIsLong;
    /** The log-mel front end, for a log-mel input. */
    private LogMel logMel;
    /** The number of frames a log-mel input must have, when the model fixes it (Whisper's 3000), or 0. */
    private int fixedFrames;
    private String id;

    public OnnxEmotionModel(ModelCard card) {
        this.card = card;
        this.labels = new LabelSet(card.name(), card.labels());
        this.cardOutputs = new CardOutputs(card);
    }

    @Override
    public String id() {
        return id != null ? id : "onnx:" + card.name();
    }

    @Override
    public LabelSet labels() {
        return labels;
    }

    @Override
    public int maxBatchSize() {
        return card.maxBatchSize();
    }

    @Override
    public void open() throws OrtException, IOException {
        // DJL's engine (Silero VAD runs on it) creates ONNX Runtime's process-wide environment with its own
        // settings and fails if one exists already; so it always goes first, whichever operator opens first.
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("OnnxRuntime");
        environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             ExecutionProvider.Release provider = card.provider().addTo(options, card.cardFile())) {
            // Parallelism comes from Flink subtasks; more threads per session would only fight them for cores.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(card.file().toString(), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime could not load " + card.file() + " (" + e.getMessage() + ").", e);
        }
        check();
        logMel = card.logMel() == null ? null : new LogMel(card.logMel().features());
        id = "onnx:" + card.name() + "@sha256:" + card.fileSha256().substring(0, 12);
    }

    /** The card must match the model: names, ranks and, where fixed, the number of classes. */
    private void check() throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        requireName("input.name", card.input(), inputs.keySet());
        if (card.logMel() == null) {
            requireRank("input " + card.input(), inputs.get(card.input()), 2, "[batch, samples]");
        } else {
            checkLogMel(requireRank("input " + card.input(), inputs.get(card.input()), 3,
                    "[batch, frames, mels] or [batch, mels, frames]"));
        }
        if (card.mask() != null) {
            requireName("input.mask", card.mask(), inputs.keySet());
            requireRank("input " + card.mask(), inputs.get(card.mask()), 2, card.logMel() == null ? "[batch, samples]" : "[batch, frames]");
            maskIsLong = ((TensorInfo) inputs.get(card.mask()).getInfo()).type == OnnxJavaType.INT64;
        }
        requireName("output.name", card.output(), outputs.keySet());
        long[] shape = requireRank("output " + card.output(), outputs.get(card.output()), 2, "[batch, labels]");
        if (shape[1] > 0 && shape[1] != card.labels().size()) {
            throw new IllegalArgumentException(card.cardFile() + " lists " + card.labels().size()
                    + " labels, but the model's " + card.output() + " output has " + shape[1] + " classes.");
        }
        if (card.dimensions() != null) {
            requireName("dimensions.name", card.dimensions(), outputs.keySet());
            long[] dims = requireRank("output " + card.dimensions(), outputs.get(card.dimensions()), 2, "[batch, n]");
            int needed = Math.max(card.arousalIndex(), card.valenceIndex()) + 1;
            if (dims[1] > 0 && dims[1] < needed) {
                throw new IllegalArgumentException(card.cardFile() + ": dimensions index "
                        + (needed - 1) + " is outside the model's " + card.dimensions() + " output of " + dims[1] + ".");
            }
        }
    }

    /** The mel axis must hold melBins where the model fixes it; a fixed frame axis fixes every batch's length. */
    private void checkLogMel(long[] shape) {
        boolean melsFirst = card.logMel().layout() == Layout.MELS_FIRST;
        long mels = shape[melsFirst ? 1 : 2];
        long frames = shape[melsFirst ? 2 : 1];
        int melBins = card.logMel().features().melBins();
        if (mels > 0 && mels != melBins) {
            throw new IllegalArgumentException(card.cardFile() + ": input.melBins is " + melBins + ", but the model's "
                    + card.input() + " input has " + mels + " on its mel axis (" + Arrays.toString(shape) + " read as "
                    + LogMelSettings.cardName(card.logMel().layout()) + "); set melBins or layout to match the model.");
        }
        fixedFrames = frames > 0 ? (int) frames : 0;
    }

    private void requireName(String field, String name, Set<String> names) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException(card.cardFile() + ": " + field + " '" + name
                    + "' is not in the model, which has " + names + ".");
        }
    }

    private long[] requireRank(String what, NodeInfo node, int rank, String expected) {
        long[] shape = ((TensorInfo) node.getInfo()).getShape();
        if (shape.length != rank) {
            throw new IllegalArgumentException(card.cardFile() + ": the model's " + what + " has " + shape.length
                    + " dimensions; emostream needs " + expected + ".");
        }
        return shape;
    }

    @Override
    public List<EmotionEstimate> estimate(List<ModelInput> batch) throws OrtException {
        EmotionEstimate[] results = new EmotionEstimate[batch.size()];
        // Without a mask, padding would change what the model hears: only same-length utterances share a run, unless
        // the model fixes its number of frames and so is always given padding.
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            int length = Math.min(batch.get(i).samples().length, card.maxSamples());
            boolean framesSuffice = logMel != null && card.logMel().padding() == Padding.FEATURES;
            int key = card.mask() != null || fixedFrames > 0 ? 0 : framesSuffice ? logMel.frames(atLeastOneFrame(length)) : length;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : groups.values()) {
            for (int from = 0; from < group.size(); from += card.maxBatchSize()) {
                List<Integer> run = group.subList(from, Math.min(group.size(), from + card.maxBatchSize()));
                List<EmotionEstimate> estimates = run(run.stream().map(batch::get).toList());
                for (int k = 0; k < run.size(); k++) {
                    results[run.get(k)] = estimates.get(k);
                }
            }
        }
        return List.of(results);
    }

    /**
     * One run's input: the tensor's values and shape, and per utterance how many of its {@code steps} time steps
     * (samples or frames) are its own rather than padding.
     */
    private record Batch(float[] values, long[] shape, int steps, int[] valid) {
    }

    /** The waveforms, cut to the card's maximum and padded with zeros to the longest. */
    private Batch waveforms(List<ModelInput> inputs) {
        int n = inputs.size();
        int length = Math.max(1, inputs.stream().mapToInt(u -> Math.min(u.samples().length, card.maxSamples())).max().orElse(1));
        float[] waveform = new float[n * length];
        int[] valid = new int[n];
        for (int b = 0; b < n; b++) {
            float[] samples = inputs.get(b).samples();
            valid[b] = Math.min(samples.length, length);
            System.arraycopy(samples, 0, waveform, b * length, valid[b]);
        }
        return new Batch(waveform, new long[] {n, length}, length, valid);
    }

    /**
     * Log-mel features of the waveforms cut to the card's maximum, over as many frames as the model fixes or the
     * longest has, padded as the card says and laid out as it says.
     */
    private Batch logMels(List<ModelInput> inputs) {
        int n = inputs.size();
        int melBins = logMel.settings().melBins();
        boolean silence = card.logMel().padding() == Padding.SILENCE;
        int[] lengths = new int[n];
        for (int b = 0; b < n; b++) {
            lengths[b] = Math.min(inputs.get(b).samples().length, card.maxSamples());
        }
        float[][][] features = new float[n][][];
        int[] valid = new int[n];
        int frames;
        if (silence) {
            // Whisper's way: the waveform padded with zeros to the batch's length (or the model's), features over all.
            int samples = fixedFrames > 0 ? logMel.samplesFor(fixedFrames) : atLeastOneFrame(Arrays.stream(lengths).max().orElse(0));
            frames = fixedFrames > 0 ? fixedFrames : logMel.frames(samples);
            for (int b = 0; b < n; b++) {
                int used = Math.min(lengths[b], samples);
                float[] padded = new float[samples];
                System.arraycopy(inputs.get(b).samples(), 0, padded, 0, used);
                features[b] = logMel.compute(padded, samples);
                valid[b] = Math.min(frames, Math.max(1, logMel.frames(used)));
            }
        } else {
            for (int b = 0; b < n; b++) {
                int length = atLeastOneFrame(lengths[b]);
                features[b] = logMel.compute(Arrays.copyOf(inputs.get(b).samples(), length), length);
                valid[b] = fixedFrames > 0 ? Math.min(fixedFrames, features[b].length) : features[b].length;
            }
            frames = fixedFrames > 0 ? fixedFrames : Arrays.stream(valid).max().orElse(1);
        }
        float[] values = new float[n * frames * melBins];
        boolean melsFirst = card.logMel().layout() == Layout.MELS_FIRST;
        for (int b = 0; b < n; b++) {
            for (int t = 0; t < frames; t++) {
                for (int m = 0; m < melBins; m++) {
                    float value = silence || t < valid[b] ? features[b][t][m] : card.logMel().padValue();
                    values[melsFirst ? (b * melBins + m) * frames + t : (b * frames + t) * melBins + m] = value;
                }
            }
        }
        long[] shape = melsFirst ? new long[] {n, melBins, frames} : new long[] {n, frames, melBins};
        return new Batch(values, shape, frames, valid);
    }

    /** Utterances shorter than one frame are padded with silence to one, so that every utterance has features. */
    private int atLeastOneFrame(int samples) {
        return Math.max(samples, logMel.samplesFor(1));
    }

    /** 1 for each utterance's own time steps, 0 for padding, as the int64 or float the model declares. */
    private OnnxTensor mask(Batch batch) throws OrtException {
        int n = batch.valid().length;
        long[] shape = {n, batch.steps()};
        if (maskIsLong) {
            long[] mask = new long[n * batch.steps()];
            for (int b = 0; b < n; b++) {
                Arrays.fill(mask, b * batch.steps(), b * batch.steps() + batch.valid()[b], 1L);
            }
            return OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        }
        float[] mask = new float[n * batch.steps()];
        for (int b = 0; b < n; b++) {
            Arrays.fill(mask, b * batch.steps(), b * batch.steps() + batch.valid()[b], 1f);
        }
        return OnnxTensor.createTensor(environment, FloatBuffer.wrap(mask), shape);
    }

    private List<EmotionEstimate> run(List<ModelInput> inputs) throws OrtException {
        int n = inputs.size();
        Batch batch = logMel == null ? waveforms(inputs) : logMels(inputs);
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            feed.put(card.input(), OnnxTensor.createTensor(environment, FloatBuffer.wrap(batch.values()), batch.shape()));
            if (card.mask() != null) {
                feed.put(card.mask(), mask(batch));
            }
            Set<String> wanted = card.dimensions() == null ? Set.of(card.output()) : Set.of(card.output(), card.dimensions());
            try (OrtSession.Result result = session.run(feed, wanted)) {
                float[][] scores = (float[][]) result.get(card.output()).orElseThrow().getValue();
                float[][] dims = card.dimensions() == null ? null : (float[][]) result.get(card.dimensions()).orElseThrow().getValue();
                List<EmotionEstimate> estimates = new ArrayList<>(n);
                for (int b = 0; b < n; b++) {
                    estimates.add(cardOutputs.estimate(id(), scores[b], dims == null ? null : dims[b]));
                }
                return estimates;
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("The ONNX session of " + card.name() + " did not close", e);
            }
        }
    }
}
