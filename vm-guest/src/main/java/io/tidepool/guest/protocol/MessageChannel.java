package io.tidepool.guest.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tidepool.api.codec.ResourceJson;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link GuestMessage}s over a Unix domain socket, one JSON object per line. Sending is safe from
 * several threads; receiving belongs to one thread. Works on blocking channels and on non-blocking
 * ones driven by a selector alike: {@link #receive} takes what has arrived and returns the complete
 * messages in it, none when a line is still partial.
 */
public final class MessageChannel implements AutoCloseable {
    /** No message comes near this; a longer line is a broken or hostile peer. */
    static final int MAX_LINE_BYTES = 64 << 10;
    private static final ObjectWriter WRITER = ResourceJson.mapper().writerFor(GuestMessage.class);
    private static final ObjectReader READER = ResourceJson.mapper().readerFor(GuestMessage.class);

    private final SocketChannel channel;
    private final ByteBuffer incoming = ByteBuffer.allocate(MAX_LINE_BYTES);

    public MessageChannel(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to a host agent's socket, blocking. */
    public static MessageChannel connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new MessageChannel(channel);
    }

    public SocketChannel channel() {
        return channel;
    }

    public void send(GuestMessage message) throws IOException {
        byte[] json = WRITER.writeValueAsBytes(message);
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        synchronized (this) {
            // Messages are far smaller than a socket buffer: on a non-blocking channel this loop
            // only turns when the peer has stopped reading, and then briefly.
            while (line.hasRemaining()) {
                if (channel.write(line) == 0) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * The complete messages that have arrived: on a blocking channel it waits for some bytes first.
     *
     * @throws EOFException when the peer closed the connection
     * @throws IOException  on a line that is not a message, or longer than any message
     */
    public List<GuestMessage> receive() throws IOException {
        if (channel.read(incoming) < 0) {
            throw new EOFException("the peer closed the connection");
        }
        List<GuestMessage> messages = new ArrayList<>(1);
        incoming.flip();
        int start = 0;
        for (int i = 0; i < incoming.limit(); i++) {
            if (incoming.get(i) == '\n') {
                messages.add(decode(incoming.array(), start, i - start));
                start = i + 1;
            }
        }
        incoming.position(start);
        incoming.compact();
        if (!incoming.hasRemaining()) {
            throw new IOException("a line longer than " + MAX_LINE_BYTES + " bytes: not a guest message");
        }
        return messages;
    }

    private static GuestMessage decode(byte[] bytes, int offset, int length) throws IOException {
        try {
            return READER.readValue(bytes, offset, length);
        } catch (JsonProcessingException e) {
            throw new IOException("not a guest message: " + e.getOriginalMessage() + ": "
                    + new String(bytes, offset, Math.min(length, 200), StandardCharsets.UTF_8), e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
