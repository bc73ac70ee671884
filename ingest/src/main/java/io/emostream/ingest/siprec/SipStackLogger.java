package io.emostream.ingest.siprec;

import gov.nist.core.ServerLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's logging through SLF4J, so that the stack needs neither log4j 1.2 (its default) nor log files: named
 * by class in the stack's {@code STACK_LOGGER} and {@code SERVER_LOGGER} properties. Messages on the wire are
 * logged at TRACE on {@code io.emostream.ingest.siprec.sip}.
 */
public final class SipStackLogger implements StackLogger, ServerLogger {
    private static final Logger STACK = LoggerFactory.getLogger("gov.nist.javax.sip");
    private static final Logger WIRE = LoggerFactory.getLogger("io.emostream.ingest.siprec.sip");

    // The stack's own log files, line counts and switches are not used: SLF4J's configuration decides.

    @Override
    public void logStackTrace() {
    }

    @Override
    public void logStackTrace(int traceLevel) {
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        STACK.debug("SIP stack exception", ex);
    }

    @Override
    public void logDebug(String message) {
        STACK.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        STACK.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        STACK.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        STACK.error(message);
    }

    @Override
    public void logError(String message) {
        STACK.error(message);
    }

    @Override
    public void logError(String message, Exception ex) {
        STACK.error(message, ex);
    }

    /** At debug: the stack warns on every start that TLS is not configured, though we do not use its TLS. */
    @Override
    public void logWarning(String message) {
        STACK.debug(message);
    }

    @Override
    public void logInfo(String message) {
        STACK.info(message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return STACK.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        return switch (level) {
            case TRACE_FATAL, TRACE_ERROR -> STACK.isErrorEnabled();
            case TRACE_WARN -> STACK.isDebugEnabled();
            case TRACE_INFO -> STACK.isInfoEnabled();
            case TRACE_DEBUG -> STACK.isDebugEnabled();
            case TRACE_NONE -> false;
            default -> STACK.isTraceEnabled();
        };
    }

    @Override
    public void disableLogging() {
    }

    @Override
    public void enableLogging() {
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
    }

    @Override
    public String getLoggerName() {
        return STACK.getName();
    }

    // ServerLogger: the SIP messages the stack sends and receives.

    @Override
    public void closeLogFile() {
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        logMessage(message, from, to, null, sender, time);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        if (WIRE.isTraceEnabled()) {
            WIRE.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
        }
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        logMessage(message, from, to, status, sender, 0);
    }

    @Override
    public void logException(Exception ex) {
        STACK.debug("SIP stack exception", ex);
    }

    @Override
    public void setSipStack(SipStack sipStack) {
    }
}
