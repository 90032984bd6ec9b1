package dev.relaypoint.store.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads a payload written by {@link PayloadWriter}; every underflow or bad value is corruption. */
final class PayloadReader {

  private final ByteBuffer in;
  private final String what;

  PayloadReader(ByteBuffer in, String what) {
    this.in = in;
    this.what = what;
  }

  int getInt() throws CorruptRecordException {
    need(4);
    return in.getInt();
  }

  long getLong() throws CorruptRecordException {
    need(8);
    return in.getLong();
  }

  int getByte() throws CorruptRecordException {
    need(1);
    return in.get() & 0xff;
  }

  String getString() throws CorruptRecordException {
    int length = getInt();
    if (length < 0 || length > in.remaining()) {
      throw corrupt("string length " + length + " exceeds the payload");
    }
    ByteBuffer slice = in.slice().limit(length);
    in.position(in.position() + length);
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = dec.decode(slice);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw corrupt("invalid UTF-8 in string");
    }
  }

  Optional<String> getOptional() throws CorruptRecordException {
    int flag = getByte();
    return switch (flag) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(getString());
      default -> throw corrupt("bad optional flag " + flag);
    };
  }

  /** A count of items each at least {@code minItemBytes} long, checked against what is left. */
  int getCount(int minItemBytes) throws CorruptRecordException {
    int n = getInt();
    if (n < 0 || (long) n * minItemBytes > in.remaining()) {
      throw corrupt("impossible item count " + n);
    }
    return n;
  }

  /** Whether bytes are left: an optional field added later at the end of a payload. */
  boolean hasRemaining() {
    return in.hasRemaining();
  }

  void expectEnd() throws CorruptRecordException {
    if (in.hasRemaining()) {
      throw corrupt(in.remaining() + " trailing bytes");
    }
  }

  CorruptRecordException corrupt(String message) {
    return new CorruptRecordException(what + ": " + message);
  }

  private void need(int n) throws CorruptRecordException {
    if (in.remaining() < n) {
      throw corrupt("payload too short");
    }
  }
}
