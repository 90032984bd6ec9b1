package dev.relaypoint.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The users who may AUTH: a text file of {@code name:bcrypt-hash} lines (bcrypt from BouncyCastle,
 * 16-byte random salt, cost {@value #DEFAULT_COST} by default), owner-only, rewritten atomically. The
 * server re-reads it when it changes, so {@code relaypoint user add} takes effect without a restart.
 */
public final class UserFile implements Authenticator {

  public static final int DEFAULT_COST = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final int cost;
  private final String dummyHash;
  private Map<String, String> users = Map.of();
  private FileTime loadedAt;

  public UserFile(Path file) {
    this(file, DEFAULT_COST);
  }

  /** {@code cost} is the bcrypt work factor (4–31); tests use a low one. */
  public UserFile(Path file, int cost) {
    this.file = file;
    this.cost = cost;
    this.dummyHash = hash("no such user".toCharArray(), cost);
  }

  @Override
  public boolean authenticate(String user, char[] password) {
    Optional<String> stored = Optional.ofNullable(current().get(user));
    // An unknown user costs one bcrypt too (the same time as a wrong password), then fails.
    boolean match = OpenBSDBCrypt.checkPassword(stored.orElse(dummyHash), password);
    return match && stored.isPresent();
  }

  /** Adds the user or replaces the password. Names are case-sensitive; no ':' or control characters. */
  public synchronized void put(String user, char[] password) throws IOException {
    if (user.isEmpty() || user.length() > 255 || !user.chars().allMatch(c -> c > ' ' && c != ':' && c != 127)) {
      throw new IllegalArgumentException("a user name is 1-255 printable characters without ':' or spaces");
    }
    if (password.length == 0) {
      throw new IllegalArgumentException("the password must not be empty");
    }
    Map<String, String> all = new TreeMap<>(read());
    all.put(user, hash(password, cost));
    write(all);
  }

  /** Removes the user; false if there was none. */
  public synchronized boolean remove(String user) throws IOException {
    Map<String, String> all = new TreeMap<>(read());
    if (all.remove(user) == null) {
      return false;
    }
    write(all);
    return true;
  }

  /** The user names, sorted. */
  public synchronized Iterable<String> names() throws IOException {
    return new TreeMap<>(read()).keySet();
  }

  private synchronized Map<String, String> current() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!modified.equals(loadedAt)) {
        users = read();
        loadedAt = modified;
      }
    } catch (NoSuchFileException e) {
      users = Map.of();
      loadedAt = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the user file " + file, e);
    }
    return users;
  }

  private Map<String, String> read() throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    Map<String, String> all = new TreeMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (!line.isBlank() && !line.startsWith("#") && colon > 0) {
        all.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return all;
  }

  private void write(Map<String, String> all) throws IOException {
    StringBuilder text = new StringBuilder("# Relaypoint users: name:bcrypt-hash (manage with relaypoint user)\n");
    all.forEach((name, hash) -> text.append(name).append(':').append(hash).append('\n'));
    OwnerOnlyFiles.write(file, text.toString());
  }

  private static String hash(char[] password, int cost) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate(password, salt, cost);
  }
}
