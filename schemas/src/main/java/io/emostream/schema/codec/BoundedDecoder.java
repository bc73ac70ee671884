package io.emostream.schema.codec;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro's binary decoder over one record's bytes, refusing a length or count that the bytes left cannot hold. Avro
 * itself allocates what a length says before it reads (up to 2 GiB for a string, 16 GiB for an array's slots), so a
 * few forged bytes could otherwise exhaust the heap.
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;

    /** @param in a decoder over a byte array: its input stream tells how many bytes are left */
    BoundedDecoder(BinaryDecoder in) {
        this.in = in;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(readLengthPrefixed("a string"));
    }

    @Override
    public String readString() throws IOException {
        return new String(readLengthPrefixed("a string"), StandardCharsets.UTF_8);
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readLengthPrefixed("a bytes field"));
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length(in.readLong(), "a string"));
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length(in.readLong(), "a bytes field"));
    }

    @Override
    public long readArrayStart() throws IOException {
        return items("an array");
    }

    @Override
    public long arrayNext() throws IOException {
        return items("an array");
    }

    @Override
    public long readMapStart() throws IOException {
        return items("a map");
    }

    @Override
    public long mapNext() throws IOException {
        return items("a map");
    }

    private byte[] readLengthPrefixed(String what) throws IOException {
        byte[] bytes = new byte[length(in.readLong(), what)];
        in.readFixed(bytes, 0, bytes.length);
        return bytes;
    }

    private int length(long length, String what) throws IOException {
        int left = bytesLeft();
        if (length < 0 || length > left) {
            throw new EOFException(what + " says it has " + length + " bytes where " + left + " are left");
        }
        return (int) length;
    }

    /** The item count in front of the next block of an array or map, read here as Avro would check it too late. */
    private long items(String what) throws IOException {
        long count = in.readLong();
        if (count < 0) {
            in.readLong(); // the block's size in bytes, which follows a negative count
            count = -count;
        }
        // Every item of an emostream array or map takes at least a byte, so a count above the bytes left is forged.
        int left = bytesLeft();
        if (count < 0 || count > left) {
            throw new EOFException(what + " says it has " + count + " items where " + left + " bytes are left");
        }
        return count;
    }

    private int bytesLeft() throws IOException {
        return in.inputStream().available();
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
