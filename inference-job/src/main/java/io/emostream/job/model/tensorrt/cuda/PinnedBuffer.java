package io.emostream.job.model.tensorrt.cuda;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;

import io.emostream.job.model.tensorrt.BufferCapacity;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One tensor's page-locked host buffer and its device twin, the same size: page-locked memory is what lets
 * {@code cudaMemcpyAsync} copy without staging and overlap with other work. Grown as {@link BufferCapacity} says,
 * freed with {@link #free()}; JavaCPP never frees CUDA allocations on its own.
 */
final class PinnedBuffer {
    private BytePointer host;
    private Pointer device;
    private long capacity;
    private long used;

    /** Makes room for this many bytes, reallocating (contents lost) when the buffer must grow. */
    void reserve(long bytes, long most) {
        long next = BufferCapacity.next(capacity, bytes, most);
        if (next != capacity) {
            free();
            host = new BytePointer();
            Cuda.check(cudaMallocHost(host, next), "cudaMallocHost(" + next + ")");
            device = new Pointer();
            Cuda.check(cudaMalloc(device, next), "cudaMalloc(" + next + ")");
            capacity = next;
        }
        used = bytes;
    }

    /** The host memory of the bytes reserved last, as a buffer Java code can fill or read. */
    ByteBuffer hostView() {
        return new BytePointer(host).position(0).capacity(used).limit(used).asByteBuffer();
    }

    BytePointer host() {
        return host;
    }

    Pointer device() {
        return device;
    }

    long used() {
        return used;
    }

    void free() {
        if (capacity > 0) {
            Cuda.check(cudaFreeHost(host), "cudaFreeHost");
            Cuda.check(cudaFree(device), "cudaFree");
            host = null;
            device = null;
            capacity = 0;
            used = 0;
        }
    }
}
