package io.emostream.job.asr;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperJNI;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whisper.cpp model loaded once per subtask through whisper-jni (whisper.cpp 1.7.1, natives bundled), shared by
 * the recognition threads: each gets its own {@link WhisperRecognizer} with its own decoding state.
 *
 * <p>whisper.cpp aborts the process on some malformed files and loads a truncated one as an empty model, so the
 * file's header is checked here first and a bad file gets one sentence instead.
 */
public final class WhisperModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhisperModel.class);
    /** "ggml" read as a little-endian int: the first four bytes of every whisper.cpp model file. */
    private static final int GGML_MAGIC = 0x67676d6c;
    private static final int HEADER_INTS = 12;
    private static final String HOW_TO_GET_ONE = "download a ggml model (for example ggml-base.en.bin from the whisper.cpp"
            + " project's model page) and give its path as whisper:PATH";
    private static boolean libraryLoaded;

    private final Path file;
    private final WhisperJNI whisper;
    private final WhisperContext context;

    private WhisperModel(Path file, WhisperJNI whisper, WhisperContext context) {
        this.file = file;
        this.whisper = whisper;
        this.context = context;
    }

    /** Checks the file, then loads it; a bad file throws an {@link IllegalArgumentException} saying what to do. */
    public static WhisperModel load(Path file) throws IOException {
        check(file);
        loadLibrary();
        WhisperJNI whisper = new WhisperJNI();
        WhisperContext context = whisper.init(file);
        if (context == null) {
            throw new IllegalArgumentException("whisper.cpp could not load the model file " + file
                    + " (its log, at debug level under " + WhisperModel.class.getName() + ", says why); " + HOW_TO_GET_ONE + ".");
        }
        LOG.info("Loaded whisper model {} ({} MB, {})", file, Files.size(file) / (1024 * 1024),
                whisper.isMultilingual(context) ? "multilingual, told to expect English" : "English only");
        return new WhisperModel(file, whisper, context);
    }

    /**
     * Throws an {@link IllegalArgumentException} with one sentence when the file is missing, unreadable, not a
     * whisper.cpp model, or shorter than its own header says the model must be.
     */
    public static void check(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("The whisper model file " + file + " does not exist; " + HOW_TO_GET_ONE + ".");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("The whisper model file " + file + " is not a readable file; " + HOW_TO_GET_ONE + ".");
        }
        byte[] start;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            start = in.readNBytes(4 * HEADER_INTS);
        } catch (IOException e) {
            throw new IllegalArgumentException("The whisper model file " + file + " could not be read (" + e.getMessage() + ").", e);
        }
        ByteBuffer header = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
        if (start.length < 4 || header.getInt(0) != GGML_MAGIC) {
            throw new IllegalArgumentException(file + " is not a whisper.cpp ggml model (it does not start with 'ggml'); "
                    + HOW_TO_GET_ONE + ".");
        }
        long minimum = start.length < 4 * HEADER_INTS ? Long.MAX_VALUE : minimumSize(header);
        if (size < minimum) {
            throw new IllegalArgumentException("The whisper model file " + file + " is incomplete: it holds " + size
                    + " bytes, less than its header says the model needs; download it again.");
        }
    }

    /**
     * A floor on the file size from the header: both positional embeddings (always 32-bit) and the token embedding
     * at 2 bits per weight, below any quantisation whisper.cpp offers. Impossible dimensions give no floor at all.
     */
    private static long minimumSize(ByteBuffer header) {
        int vocab = header.getInt(4);
        int audioContext = header.getInt(8);
        int audioState = header.getInt(12);
        int textContext = header.getInt(24);
        int textState = header.getInt(28);
        if (vocab <= 0 || audioContext <= 0 || audioState <= 0 || textContext <= 0 || textState <= 0) {
            return Long.MAX_VALUE;
        }
        return 4L * audioContext * audioState + 4L * textContext * textState + (long) vocab * textState / 4;
    }

    private static synchronized void loadLibrary() throws IOException {
        if (!libraryLoaded) {
            WhisperJNI.loadLibrary(message -> LOG.debug(message.strip()));
            WhisperJNI.setLibraryLogger(message -> LOG.debug(message.strip()));
            libraryLoaded = true;
        }
    }

    /** A recogniser with its own decoding state; one per thread. */
    public WhisperRecognizer newRecognizer() {
        return new WhisperRecognizer(whisper, context, whisper.initState(context));
    }

    public Path file() {
        return file;
    }

    /** Frees the model; every recogniser made from it must be closed first. */
    @Override
    public void close() {
        whisper.free(context);
    }
}
