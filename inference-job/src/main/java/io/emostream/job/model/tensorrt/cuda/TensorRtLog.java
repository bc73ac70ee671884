package io.emostream.job.model.tensorrt.cuda;

import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT's log, into emostream's (SLF4J, logger {@code io.emostream.job.model.tensorrt}). One for the JVM: TensorRT
 * keeps a pointer to it for as long as its runtimes and builders live. The last error per thread is kept, because
 * TensorRT reports failures as a null or false and says why only in its log.
 */
final class TensorRtLog extends ILogger {
    static final TensorRtLog INSTANCE = new TensorRtLog();
    private static final Logger LOG = LoggerFactory.getLogger("io.emostream.job.model.tensorrt");

    private final ThreadLocal<String> lastError = new ThreadLocal<>();

    private TensorRtLog() {
    }

    @Override
    public void log(Severity severity, String message) {
        // JavaCPP hands callbacks an enum object of its own making: intern() gives the constant a switch can match.
        switch (severity.intern()) {
            case kINTERNAL_ERROR, kERROR -> {
                lastError.set(message);
                LOG.error("TensorRT: {}", message);
            }
            case kWARNING -> LOG.warn("TensorRT: {}", message);
            case kINFO -> LOG.debug("TensorRT: {}", message);
            default -> LOG.trace("TensorRT: {}", message);
        }
    }

    /** The last error TensorRT logged on this thread (and forgets it), or a placeholder when it logged none. */
    String takeLastError() {
        String error = lastError.get();
        lastError.remove();
        return error != null ? error : "TensorRT logged no error";
    }
}
