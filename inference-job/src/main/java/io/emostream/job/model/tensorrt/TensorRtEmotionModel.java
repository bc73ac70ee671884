package io.emostream.job.model.tensorrt;

import io.emostream.job.model.EmotionEstimate;
import io.emostream.job.model.EmotionModel;
import io.emostream.job.model.LabelSet;
import io.emostream.job.model.ModelInput;
import io.emostream.job.model.RunsOnGpu;
import io.emostream.job.model.onnx.CardOutputs;
import io.emostream.job.model.onnx.ModelCard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A speech-emotion classifier compiled to a TensorRT engine, described by the same {@link ModelCard} as its ONNX
 * model ({@code "engine": "model.engine"}, or {@code "file"} naming the engine), run in-process on an NVIDIA GPU.
 * The engine is deserialised once per GPU in the TaskManager and shared by its subtasks ({@link TensorRt#engine});
 * each subtask runs on an execution context of its own, with its own CUDA stream and pinned buffers. Batches are cut
 * into runs the engine's optimisation profiles accept ({@link RunPlanner}), and the outputs are read as the card
 * says ({@link CardOutputs}), exactly as for ONNX.
 */
public final class TensorRtEmotionModel implements EmotionModel, RunsOnGpu {
    private final ModelCard card;
    private final TensorRt tensorRt;
    private final LabelSet labels;
    private final CardOutputs cardOutputs;
    private int device;
    private SharedEngine engine;
    private EngineContext context;
    private EngineLayout layout;
    private String id;

    /**
     * Reads DIR's card, checks that it names an engine, and loads TensorRT: a bad card, a missing engine or a machine
     * without TensorRT or GPU is one sentence, before anything runs.
     */
    public static TensorRtEmotionModel create(Path directory) {
        ModelCard card = ModelCard.read(directory, "engine");
        if (card.file().getFileName().toString().endsWith(".onnx")) {
            throw new IllegalArgumentException(directory.resolve(ModelCard.FILE_NAME) + " names the ONNX model " + card.file()
                    + ", not a TensorRT engine; build one with bin/emotion build-engine --onnx " + card.file() + " --out DIR,"
                    + " or use onnx:" + directory + ".");
        }
        if (card.logMel() != null) {
            throw new IllegalArgumentException(directory.resolve(ModelCard.FILE_NAME) + ": input.kind is log-mel, which"
                    + " tensorrt:DIR does not take yet; run the model with onnx:" + directory + " and \"provider\": \"tensorrt\""
                    + " (ONNX Runtime's TensorRT execution provider) instead.");
        }
        return new TensorRtEmotionModel(card, TensorRtLibraries.load("tensorrt:" + directory, ", or use onnx:" + directory));
    }

    TensorRtEmotionModel(ModelCard card, TensorRt tensorRt) {
        this.card = card;
        this.tensorRt = tensorRt;
        this.labels = new LabelSet(card.name(), card.labels());
        this.cardOutputs = new CardOutputs(card);
    }

    @Override
    public String id() {
        return id != null ? id : "tensorrt:" + card.name();
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
    public void useGpu(int device) {
        this.device = device;
    }

    @Override
    public void open() throws IOException {
        engine = tensorRt.engine(card.file(), device);
        try {
            layout = EngineLayout.of(card, engine.description());
        } catch (IllegalArgumentException e) {
            close();
            throw e;
        }
        context = engine.context();
        id = "tensorrt:" + card.name() + "@sha256:" + card.fileSha256().substring(0, 12);
    }

    @Override
    public List<EmotionEstimate> estimate(List<ModelInput> batch) {
        int[] lengths = batch.stream().mapToInt(u -> Math.max(1, Math.min(u.samples().length, card.maxSamples()))).toArray();
        EmotionEstimate[] results = new EmotionEstimate[batch.size()];
        for (Run run : RunPlanner.plan(lengths, layout.mask() != null, layout.limits())) {
            int n = run.utterances().size();
            List<float[]> audio = new ArrayList<>(n);
            int[] used = new int[n];
            for (int k = 0; k < n; k++) {
                audio.add(batch.get(run.utterances().get(k)).samples());
                used[k] = Math.min(audio.get(k).length, lengths[run.utterances().get(k)]);
            }
            long[] shape = {run.rows(), run.length()};
            float[][] scores;
            float[][] dims = null;
            try (EngineContext.EngineRun engineRun = context.claim()) {
                TensorCodec.writeAudio(engineRun.input(layout.waveform().name(), shape), layout.waveform().type(), audio,
                        run.rows(), run.length());
                if (layout.mask() != null) {
                    TensorCodec.writeMask(engineRun.input(layout.mask().name(), shape), layout.mask().type(), used,
                            run.rows(), run.length());
                }
                engineRun.execute();
                scores = read(engineRun, layout.scores(), n);
                if (layout.dimensions() != null) {
                    dims = read(engineRun, layout.dimensions(), n);
                }
            }
            for (int k = 0; k < n; k++) {
                results[run.utterances().get(k)] = cardOutputs.estimate(id(), scores[k], dims == null ? null : dims[k]);
            }
        }
        return List.of(results);
    }

    /** The first n rows of a [rows, columns] output, checked against the card where the engine left the size open. */
    private float[][] read(EngineContext.EngineRun engineRun, TensorSpec output, int n) {
        long[] shape = engineRun.outputShape(output.name());
        boolean classes = output == layout.scores();
        int columns = classes ? card.labels().size() : Math.max(card.arousalIndex(), card.valenceIndex()) + 1;
        if (shape.length != 2 || shape[0] < n || shape[1] < columns || (classes && shape[1] != columns)) {
            throw new IllegalStateException("The engine " + card.file() + " gave its " + output.name() + " output the shape "
                    + Arrays.toString(shape) + " for " + n + " utterances, where the card expects [" + n + ", "
                    + (classes ? "" : "at least ") + columns + "]; check the card against the model.");
        }
        return TensorCodec.readRows(engineRun.output(output.name()), output.type(), n, (int) shape[1]);
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
            context = null;
        }
    }
}
