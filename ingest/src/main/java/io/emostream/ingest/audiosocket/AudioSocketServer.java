package io.emostream.ingest.audiosocket;

import io.emostream.ingest.live.LiveCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Asterisk AudioSocket server on one TCP port: Asterisk's {@code AudioSocket()} application or
 * {@code AudioSocket/} channel connects once per call and streams that channel's audio. Every call on the port gets
 * the port's role. A thread per connection reads with blocking reads, at most {@link
 * io.emostream.ingest.live.LiveLimits#maxCalls()} at once; connections from addresses outside the allow-list are
 * closed unread.
 */
public final class AudioSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AudioSocketServer.class);
    private static final int BACKLOG = 128;

    private final AudioSocketSettings settings;
    private final LiveCalls calls;
    private final ServerSocket listener;
    private final Semaphore slots;
    private final ExecutorService readers;
    private final Set<AudioSocketConnection> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private AudioSocketServer(AudioSocketSettings settings, LiveCalls calls, ServerSocket listener) {
        this.settings = settings;
        this.calls = calls;
        this.listener = listener;
        this.slots = new Semaphore(calls.limits().maxCalls());
        AtomicInteger count = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "audiosocket-" + port() + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::accept, "audiosocket-" + port() + "-accept");
        acceptor.setDaemon(true);
    }

    /** Starts listening; fails with one sentence if the port cannot be bound. */
    public static AudioSocketServer start(AudioSocketSettings settings, LiveCalls calls) {
        ServerSocket listener = null;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(settings.host(), settings.port()), BACKLOG);
        } catch (IOException e) {
            closeQuietly(listener);
            throw new IllegalStateException("Cannot listen for AudioSocket on " + settings.host() + ":" + settings.port()
                    + " (" + e.getMessage() + "); choose another port with --audiosocket.", e);
        }
        AudioSocketServer server = new AudioSocketServer(settings, calls, listener);
        server.acceptor.start();
        return server;
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return listener.getLocalPort();
    }

    /** Stops accepting, ends every open call with what it has received, and closes the connections. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        open.forEach(AudioSocketConnection::close);
        readers.shutdown();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            readers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    // Out of file descriptors, say: pause rather than spin, then keep serving.
                    LOG.warn("AudioSocket port {} could not accept a connection: {}", port(), e.getMessage());
                    pause();
                }
                continue;
            }
            String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
            if (!settings.allowList().allows(socket.getInetAddress())) {
                LOG.warn("AudioSocket connection from {} to port {} refused: the address is not in the allow-list {}",
                        peer, port(), settings.allowList());
                closeQuietly(socket);
            } else if (!slots.tryAcquire()) {
                LOG.warn("AudioSocket connection from {} to port {} refused: {} connections are open, the limit of calls"
                        + " at once", peer, port(), calls.limits().maxCalls());
                try {
                    // A fresh socket's send buffer is empty: this write does not block.
                    socket.getOutputStream().write(AudioSocketMessage.HANGUP_BYTES);
                } catch (IOException e) {
                    // Gone already.
                }
                closeQuietly(socket);
            } else {
                serve(new AudioSocketConnection(socket, peer, settings.role(), calls));
            }
        }
    }

    private void serve(AudioSocketConnection connection) {
        open.add(connection);
        try {
            readers.execute(() -> {
                try {
                    connection.run();
                } finally {
                    open.remove(connection);
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            open.remove(connection);
            slots.release();
            connection.close();
            return;
        }
        // close() may have gone through the open connections just before this one was added.
        if (closed) {
            connection.close();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is all that is left to do.
        }
    }
}
