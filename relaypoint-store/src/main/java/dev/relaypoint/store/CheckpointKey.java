package dev.relaypoint.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The globally unique key of an RFC 1845 transaction: the client's EHLO name and its TRANSID, both
 * compared exactly and case-sensitively (NOTES.md items 9, 10, 21). The TRANSID is opaque: it is never
 * parsed or case-folded here, and it reaches the file system only through {@link #fileName()}.
 */
public record CheckpointKey(String heloName, String transactionId) {

  public CheckpointKey {
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(transactionId, "transactionId");
  }

  /** A file-system-safe name: hex SHA-256 of the two parts, separated by a NUL that neither may contain. */
  public String fileName() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(heloName.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(transactionId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
