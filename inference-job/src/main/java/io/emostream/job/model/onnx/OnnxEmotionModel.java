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
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A speech-emotion classifier exported to ONNX, described by a {@link ModelCard}, run with ONNX Runtime's Java API
 * (the native library DJL wraps; used directly here for the inputs' declared types and shapes). One session per
 * operator; batches are padded to their longest utterance and masked when the model takes a mask, and otherwise
 * grouped by length so that padding never changes a result. The outputs are read as the card says
 * ({@link CardOutputs}).
 */
public final class OnnxEmotionModel implements EmotionModel {
    private final ModelCard card;
    private final LabelSet labels;
    private final CardOutputs cardOutputs;
    private OrtEnvironment environment;
    private OrtSession session;
    private boolean maskIsLong;
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
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Parallelism comes from Flink subtasks; more threads per session would only fight them for cores.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(card.file().toString(), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime could not load " + card.file() + " (" + e.getMessage() + ").", e);
        }
        check();
        id = "onnx:" + card.name() + "@sha256:" + card.fileSha256().substring(0, 12);
    }

    /** The card must match the model: names, ranks and, where fixed, the number of classes. */
    private void check() throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        requireName("input.name", card.input(), inputs.keySet());
        requireRank("input " + card.input(), inputs.get(card.input()), 2);
        if (card.mask() != null) {
            requireName("input.mask", card.mask(), inputs.keySet());
            maskIsLong = ((TensorInfo) inputs.get(card.mask()).getInfo()).type == OnnxJavaType.INT64;
        }
        requireName("output.name", card.output(), outputs.keySet());
        long[] shape = requireRank("output " + card.output(), outputs.get(card.output()), 2);
        if (shape[1] > 0 && shape[1] != card.labels().size()) {
            throw new IllegalArgumentException(card.directory().resolve(ModelCard.FILE_NAME) + " lists " + card.labels().size()
                    + " labels, but the model's " + card.output() + " output has " + shape[1] + " classes.");
        }
        if (card.dimensions() != null) {
            requireName("dimensions.name", card.dimensions(), outputs.keySet());
            long[] dims = requireRank("output " + card.dimensions(), outputs.get(card.dimensions()), 2);
            int needed = Math.max(card.arousalIndex(), card.valenceIndex()) + 1;
            if (dims[1] > 0 && dims[1] < needed) {
                throw new IllegalArgumentException(card.directory().resolve(ModelCard.FILE_NAME) + ": dimensions index "
                        + (needed - 1) + " is outside the model's " + card.dimensions() + " output of " + dims[1] + ".");
            }
        }
    }

    private void requireName(String field, String name, Set<String> names) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException(card.directory().resolve(ModelCard.FILE_NAME) + ": " + field + " '" + name
                    + "' is not in the model, which has " + names + ".");
        }
    }

    private long[] requireRank(String what, NodeInfo node, int rank) {
        long[] shape = ((TensorInfo) node.getInfo()).getShape();
        if (shape.length != rank) {
            throw new IllegalArgumentException(card.directory().resolve(ModelCard.FILE_NAME) + ": the model's " + what
                    + " has " + shape.length + " dimensions; emostream needs [batch, " + (rank == 2 ? "n" : "…") + "].");
        }
        return shape;
    }

    @Override
    public List<EmotionEstimate> estimate(List<ModelInput> batch) throws OrtException {
        EmotionEstimate[] results = new EmotionEstimate[batch.size()];
        // Without a mask, padding would change what the model hears: only same-length utterances share a run.
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            int length = Math.min(batch.get(i).samples().length, card.maxSamples());
            groups.computeIfAbsent(card.mask() != null ? 0 : length, k -> new ArrayList<>()).add(i);
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

    private List<EmotionEstimate> run(List<ModelInput> inputs) throws OrtException {
        int n = inputs.size();
        int length = Math.max(1, inputs.stream().mapToInt(u -> Math.min(u.samples().length, card.maxSamples())).max().orElse(1));
        float[] waveform = new float[n * length];
        long[] maskLong = card.mask() != null && maskIsLong ? new long[n * length] : null;
        float[] maskFloat = card.mask() != null && !maskIsLong ? new float[n * length] : null;
        for (int b = 0; b < n; b++) {
            float[] samples = inputs.get(b).samples();
            int used = Math.min(samples.length, length);
            System.arraycopy(samples, 0, waveform, b * length, used);
            for (int t = 0; t < used; t++) {
                if (maskLong != null) {
                    maskLong[b * length + t] = 1;
                } else if (maskFloat != null) {
                    maskFloat[b * length + t] = 1;
                }
            }
        }
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            long[] shape = {n, length};
            feed.put(card.input(), OnnxTensor.createTensor(environment, FloatBuffer.wrap(waveform), shape));
            if (maskLong != null) {
                feed.put(card.mask(), OnnxTensor.createTensor(environment, LongBuffer.wrap(maskLong), shape));
            } else if (maskFloat != null) {
                feed.put(card.mask(), OnnxTensor.createTensor(environment, FloatBuffer.wrap(maskFloat), shape));
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
