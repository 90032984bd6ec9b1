package dev.relaypoint.mta.internal;

import dev.relaypoint.client.MessageSource;
import dev.relaypoint.store.QueuedMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A queue entry as the client's {@link MessageSource}: a fixed prefix (our Received header) followed by
 * the entry's canonical data, read with positional reads so no stream position is shared. Every open
 * yields the same octets, which RFC 1845 offsets depend on; the prefix must therefore be derived from
 * the entry alone, never from the time of the attempt.
 */
public final class EntrySource implements MessageSource {

  private final QueuedMessage message;
  private final byte[] prefix;

  public EntrySource(QueuedMessage message, byte[] prefix) {
    this.message = message;
    this.prefix = prefix.clone();
  }

  @Override
  public InputStream open() {
    return openAt(0);
  }

  @Override
  public InputStream openAt(long rawOffset) {
    if (rawOffset < prefix.length) {
      ByteArrayInputStream head = new ByteArrayInputStream(prefix, (int) rawOffset, prefix.length - (int) rawOffset);
      return new SequenceInputStream(head, new Region(message.channel(), message.dataStart(), message.size()));
    }
    long skip = Math.min(rawOffset - prefix.length, message.size());
    return new Region(message.channel(), message.dataStart() + skip, message.size() - skip);
  }

  @Override
  public String description() {
    return "queue entry " + message.queueId();
  }

  /** A bounded window of a channel, read with positional reads. */
  private static final class Region extends InputStream {
    private final FileChannel channel;
    private long position;
    private long remaining;

    Region(FileChannel channel, long position, long length) {
      this.channel = channel;
      this.position = position;
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)), position);
      if (n < 0) {
        throw new IOException("queue entry ended early");
      }
      position += n;
      remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, remaining));
      position += k;
      remaining -= k;
      return k;
    }
  }
}
