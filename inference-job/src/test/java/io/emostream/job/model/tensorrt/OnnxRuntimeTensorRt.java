package io.emostream.job.model.tensorrt;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link TensorRt} interface on ONNX Runtime, on the CPU: a real runtime behind the same named buffers, shapes
 * and optimisation profile, so that the TensorRT backend's batching, padding, encoding and output reading are
 * checked here, where there is no GPU. Like TensorRT, it refuses a shape outside the profile; it records the shape
 * of every run it executes. The "engine" file is the ONNX model itself.
 */
final class OnnxRuntimeTensorRt implements TensorRt {
    private final ShapeRange profile;
    final List<long[]> runs = new ArrayList<>();

    /** @param profile the range the waveform (and mask) accept, as an engine's optimisation profile would */
    OnnxRuntimeTensorRt(ShapeRange profile) {
        this.profile = profile;
    }

    @Override
    public String version() {
        return "onnxruntime";
    }

    @Override
    public int devices() {
        return 1;
    }

    @Override
    public SharedEngine engine(Path file, int device) {
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("OnnxRuntime");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try {
            OrtSession session = environment.createSession(file.toString(), new OrtSession.SessionOptions());
            List<TensorSpec> tensors = new ArrayList<>();
            Map<String, ShapeRange> ranges = new LinkedHashMap<>();
            for (NodeInfo node : session.getInputInfo().values()) {
                tensors.add(spec(node, true));
                ranges.put(node.getName(), profile);
            }
            for (NodeInfo node : session.getOutputInfo().values()) {
                tensors.add(spec(node, false));
            }
            EngineDescription description = new EngineDescription(tensors, List.of(ranges));
            return new OrtEngine(environment, session, description);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TensorSpec spec(NodeInfo node, boolean input) {
        TensorInfo info = (TensorInfo) node.getInfo();
        TensorType type = switch (info.type) {
            case FLOAT -> TensorType.FLOAT;
            case INT64 -> TensorType.INT64;
            case INT32 -> TensorType.INT32;
            default -> throw new IllegalStateException("no test mapping for " + info.type);
        };
        return new TensorSpec(node.getName(), input, type, info.getShape());
    }

    @Override
    public void build(EngineBuild build) {
        throw new UnsupportedOperationException("ONNX Runtime builds no TensorRT engines");
    }

    private final class OrtEngine implements SharedEngine, EngineContext {
        private final OrtEnvironment environment;
        private final OrtSession session;
        private final EngineDescription description;

        OrtEngine(OrtEnvironment environment, OrtSession session, EngineDescription description) {
            this.environment = environment;
            this.session = session;
            this.description = description;
        }

        @Override
        public EngineDescription description() {
            return description;
        }

        @Override
        public EngineContext context() {
            return this;
        }

        @Override
        public EngineRun claim() {
            return new OrtRun();
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        private final class OrtRun implements EngineRun {
            private final Map<String, ByteBuffer> inputs = new LinkedHashMap<>();
            private final Map<String, long[]> shapes = new LinkedHashMap<>();
            private final Map<String, ByteBuffer> outputs = new LinkedHashMap<>();

            @Override
            public ByteBuffer input(String name, long[] shape) {
                for (int d = 0; d < shape.length; d++) {
                    if (shape[d] < profile.min()[d] || shape[d] > profile.max()[d]) {
                        throw new IllegalStateException("shape " + Arrays.toString(shape) + " is outside the profile");
                    }
                }
                TensorSpec spec = description.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
                // Filled with garbage first: the backend must write its padding, not rely on zeroed memory.
                ByteBuffer buffer = ByteBuffer.allocateDirect((int) spec.type().bytes(TensorSpec.elements(shape)))
                        .order(ByteOrder.LITTLE_ENDIAN);
                while (buffer.hasRemaining()) {
                    buffer.put((byte) 0x5a);
                }
                buffer.clear();
                inputs.put(name, buffer);
                shapes.put(name, shape.clone());
                return buffer;
            }

            @Override
            public void execute() {
                runs.add(shapes.values().iterator().next());
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (TensorSpec spec : description.tensors()) {
                        if (spec.input()) {
                            OnnxJavaType type = spec.type() == TensorType.INT64 ? OnnxJavaType.INT64 : OnnxJavaType.FLOAT;
                            feed.put(spec.name(), OnnxTensor.createTensor(environment, inputs.get(spec.name()), shapes.get(spec.name()), type));
                        }
                    }
                    try (OrtSession.Result result = session.run(feed)) {
                        for (var output : result) {
                            float[][] rows = (float[][]) output.getValue().getValue();
                            ByteBuffer buffer = ByteBuffer.allocateDirect(rows.length * rows[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
                            for (float[] row : rows) {
                                buffer.asFloatBuffer().put(row);
                                buffer.position(buffer.position() + row.length * 4);
                            }
                            buffer.clear();
                            outputs.put(output.getKey(), buffer);
                            shapes.put(output.getKey(), new long[] {rows.length, rows[0].length});
                        }
                    }
                } catch (OrtException e) {
                    throw new IllegalStateException(e);
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }

            @Override
            public long[] outputShape(String name) {
                return shapes.get(name);
            }

            @Override
            public ByteBuffer output(String name) {
                return outputs.get(name);
            }

            @Override
            public void close() {
            }
        }
    }
}
