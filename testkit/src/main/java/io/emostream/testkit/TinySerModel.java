package io.emostream.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models whose outputs are known exactly, for testing the ONNX backend. Waveform models: the
 * features are the mean energy of the waveform (over the attention mask when the model takes one), and the heads are
 * linear in it: {@code logits[l] = energy * weight[l] + bias[l]}, {@code dims = energy * dimWeight + dimBias}.
 * Log-mel models: each mel bin averaged over the frames (over the mask's frames when there is one), then
 * {@code logits = mean · weight + bias}. The protobuf is written by hand here (ONNX's own Python tools are not
 * available), following onnx.proto field numbers, opset 13.
 */
public final class TinySerModel {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private TinySerModel() {
    }

    /**
     * @param mask       name of an int64 attention-mask input, or null for none
     * @param dimensions whether to add a second output "dims" (arousal, valence)
     */
    public static Path write(Path file, float[] weight, float[] bias, String mask, boolean dimensions) throws IOException {
        int labels = weight.length;
        List<byte[]> nodes = new ArrayList<>();
        List<byte[]> initializers = new ArrayList<>();
        nodes.add(node("Mul", List.of("waveform", "waveform"), "squared"));
        if (mask != null) {
            nodes.add(node("Cast", List.of(mask), "mask_f", attributeInt("to", FLOAT)));
            nodes.add(node("Mul", List.of("squared", "mask_f"), "masked"));
            nodes.add(node("ReduceSum", List.of("masked", "axes"), "total", attributeInt("keepdims", 1)));
            nodes.add(node("ReduceSum", List.of("mask_f", "axes"), "count", attributeInt("keepdims", 1)));
            nodes.add(node("Div", List.of("total", "count"), "energy"));
            initializers.add(tensor("axes", INT64, new long[] {1}, null, new long[] {1}));
        } else {
            nodes.add(node("ReduceMean", List.of("squared"), "energy", attributeInts("axes", 1)));
        }
        nodes.add(node("MatMul", List.of("energy", "weight"), "scaled"));
        nodes.add(node("Add", List.of("scaled", "bias"), "logits"));
        initializers.add(tensor("weight", FLOAT, new long[] {1, labels}, weight, null));
        initializers.add(tensor("bias", FLOAT, new long[] {labels}, bias, null));
        List<byte[]> outputs = new ArrayList<>(List.of(valueInfo("logits", FLOAT, "batch", labels)));
        if (dimensions) {
            nodes.add(node("MatMul", List.of("energy", "dim_weight"), "dims_scaled"));
            nodes.add(node("Add", List.of("dims_scaled", "dim_bias"), "dims"));
            initializers.add(tensor("dim_weight", FLOAT, new long[] {1, 2}, new float[] {2f, -1f}, null));
            initializers.add(tensor("dim_bias", FLOAT, new long[] {2}, new float[] {-0.5f, 0.25f}, null));
            outputs.add(valueInfo("dims", FLOAT, "batch", 2));
        }
        List<byte[]> inputs = new ArrayList<>(List.of(valueInfo("waveform", FLOAT, "batch", "time")));
        if (mask != null) {
            inputs.add(valueInfo(mask, INT64, "batch", "time"));
        }
        return writeModel(file, nodes, initializers, inputs, outputs);
    }

    /**
     * A log-mel model with input "features", [batch, mels, frames] when {@code melsFirst}, else [batch, frames, mels].
     *
     * @param weight [mels][labels]
     * @param frames a fixed number of frames, or 0 for any
     * @param mask   name of an int64 [batch, frames] attention-mask input, or null for none
     */
    public static Path writeLogMel(Path file, float[][] weight, float[] bias, boolean melsFirst, int frames, String mask)
            throws IOException {
        int mels = weight.length;
        int labels = bias.length;
        long frameAxis = melsFirst ? 2 : 1;
        List<byte[]> nodes = new ArrayList<>();
        List<byte[]> initializers = new ArrayList<>();
        if (mask != null) {
            nodes.add(node("Cast", List.of(mask), "mask_f", attributeInt("to", FLOAT)));
            // [batch, frames] to [batch, 1, frames] or [batch, frames, 1], to broadcast over the mel bins
            nodes.add(node("Unsqueeze", List.of("mask_f", "mel_axis"), "mask_u"));
            nodes.add(node("Mul", List.of("features", "mask_u"), "masked"));
            nodes.add(node("ReduceSum", List.of("masked", "frame_axis"), "total", attributeInt("keepdims", 0)));
            nodes.add(node("ReduceSum", List.of("mask_f", "time_axis"), "count", attributeInt("keepdims", 1)));
            nodes.add(node("Div", List.of("total", "count"), "mean"));
            initializers.add(tensor("mel_axis", INT64, new long[] {1}, null, new long[] {melsFirst ? 1 : 2}));
            initializers.add(tensor("frame_axis", INT64, new long[] {1}, null, new long[] {frameAxis}));
            initializers.add(tensor("time_axis", INT64, new long[] {1}, null, new long[] {1}));
        } else {
            nodes.add(node("ReduceMean", List.of("features"), "mean", attributeInts("axes", frameAxis),
                    attributeInt("keepdims", 0)));
        }
        nodes.add(node("MatMul", List.of("mean", "weight"), "scaled"));
        nodes.add(node("Add", List.of("scaled", "bias"), "logits"));
        float[] flat = new float[mels * labels];
        for (int m = 0; m < mels; m++) {
            System.arraycopy(weight[m], 0, flat, m * labels, labels);
        }
        initializers.add(tensor("weight", FLOAT, new long[] {mels, labels}, flat, null));
        initializers.add(tensor("bias", FLOAT, new long[] {labels}, bias, null));
        Object time = frames > 0 ? (Object) frames : "frames";
        List<byte[]> inputs = new ArrayList<>(List.of(melsFirst ? valueInfo("features", FLOAT, "batch", mels, time)
                : valueInfo("features", FLOAT, "batch", time, mels)));
        if (mask != null) {
            inputs.add(valueInfo(mask, INT64, "batch", time));
        }
        return writeModel(file, nodes, initializers, inputs, List.of(valueInfo("logits", FLOAT, "batch", labels)));
    }

    private static Path writeModel(Path file, List<byte[]> nodes, List<byte[]> initializers, List<byte[]> inputs,
                                   List<byte[]> outputs) throws IOException {
        Proto graph = new Proto();
        nodes.forEach(n -> graph.bytes(1, n));
        graph.string(2, "tiny-ser");
        initializers.forEach(t -> graph.bytes(5, t));
        inputs.forEach(i -> graph.bytes(11, i));
        outputs.forEach(o -> graph.bytes(12, o));
        Proto opset = new Proto().string(1, "").varint(2, 13);
        Proto model = new Proto().varint(1, 7).string(2, "emostream-tests").bytes(7, graph.toByteArray()).bytes(8, opset.toByteArray());
        return Files.write(file, model.toByteArray());
    }

    private static byte[] node(String op, List<String> inputs, String output, byte[]... attributes) {
        Proto node = new Proto();
        inputs.forEach(i -> node.string(1, i));
        node.string(2, output).string(3, output + "_" + op).string(4, op);
        for (byte[] attribute : attributes) {
            node.bytes(5, attribute);
        }
        return node.toByteArray();
    }

    private static byte[] attributeInt(String name, long value) {
        return new Proto().string(1, name).varint(3, value).varint(20, 2).toByteArray();
    }

    private static byte[] attributeInts(String name, long value) {
        return new Proto().string(1, name).varint(8, value).varint(20, 7).toByteArray();
    }

    private static byte[] tensor(String name, int type, long[] dims, float[] floats, long[] longs) {
        Proto tensor = new Proto();
        for (long dim : dims) {
            tensor.varint(1, dim);
        }
        tensor.varint(2, type);
        if (floats != null) {
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            for (float value : floats) {
                int bits = Float.floatToIntBits(value);
                for (int i = 0; i < 4; i++) {
                    packed.write(bits >>> (8 * i));
                }
            }
            tensor.bytes(4, packed.toByteArray());
        }
        if (longs != null) {
            Proto packed = new Proto();
            for (long value : longs) {
                packed.rawVarint(value);
            }
            tensor.bytes(7, packed.toByteArray());
        }
        tensor.string(8, name);
        return tensor.toByteArray();
    }

    /** A tensor value: each dimension a fixed size (Integer) or a symbolic name (String). */
    private static byte[] valueInfo(String name, int type, Object... dims) {
        Proto shape = new Proto();
        for (Object dim : dims) {
            shape.bytes(1, dim instanceof Integer size ? new Proto().varint(1, size).toByteArray()
                    : new Proto().string(2, (String) dim).toByteArray());
        }
        Proto tensorType = new Proto().varint(1, type).bytes(2, shape.toByteArray());
        Proto typeProto = new Proto().bytes(1, tensorType.toByteArray());
        return new Proto().string(1, name).bytes(2, typeProto.toByteArray()).toByteArray();
    }

    /** Just enough protobuf: varints and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            rawVarint((long) field << 3);
            return rawVarint(value);
        }

        Proto bytes(int field, byte[] value) {
            rawVarint(((long) field << 3) | 2);
            rawVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto rawVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
