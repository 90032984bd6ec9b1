package dev.relaypoint.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/** Appends raw message octets to a message file, counting them and their CRC32C for the trailer. */
final class DataSink {

  private final FileOps ops;
  private final FileChannel channel;
  private final CRC32C crc;
  private long size;

  DataSink(FileOps ops, FileChannel channel, long size, CRC32C crcSoFar) {
    this.ops = ops;
    this.channel = channel;
    this.size = size;
    this.crc = crcSoFar;
  }

  void append(ByteBuffer data) throws IOException {
    int n = data.remaining();
    crc.update(data.duplicate());
    ops.write(channel, data);
    size += n;
  }

  /** Ends the data region; nothing may be appended after this. */
  void appendTrailer() throws IOException {
    ops.write(channel, EntryRecords.trailer(size, crc()));
  }

  long size() {
    return size;
  }

  int crc() {
    return (int) crc.getValue();
  }

  FileChannel channel() {
    return channel;
  }
}
