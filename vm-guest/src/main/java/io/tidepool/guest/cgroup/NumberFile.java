package io.tidepool.guest.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A cgroup file holding one number, such as {@code memory.usage_in_bytes}, kept open and read from
 * its start each time: a read then costs one pread, a few microseconds, which is what lets the guest
 * watch memory every few milliseconds. Not thread-safe.
 */
public final class NumberFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64);

    public NumberFile(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** The number now; "max" (v2's unlimited) reads as {@link Long#MAX_VALUE}. */
    public long read() throws IOException {
        buffer.clear();
        int length = 0;
        int read;
        while ((read = channel.read(buffer, length)) > 0) {
            length += read;
            if (!buffer.hasRemaining()) {
                throw new IOException(path + " holds more than a number");
            }
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            byte b = buffer.get(i);
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
            } else if (b == 'm' && i == 0) {
                return Long.MAX_VALUE;
            } else if (b == '\n') {
                break;
            } else {
                throw new IOException(path + " does not hold a number: " + new String(buffer.array(), 0, length).trim());
            }
        }
        if (length == 0) {
            throw new IOException(path + " is empty");
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
