package dev.relaypoint.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.relaypoint.app.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of {@code relaypoint serve --config FILE}, in YAML ({@code .yaml}, {@code .yml}) or TOML
 * ({@code .toml}). Keys are the long flag names; every key is optional and a flag given on the command
 * line wins over the file. Unknown keys are an error, so a typo never passes silently.
 */
public record ConfigFile(
    String listen,
    @JsonProperty("data-dir") String dataDir,
    String hostname,
    List<String> domains,
    @JsonProperty("local-parts") Map<String, List<String>> localParts,
    @JsonProperty("local-delivery") String localDelivery,
    @JsonProperty("max-message-size") String maxMessageSize,
    @JsonProperty("max-line-length") Integer maxLineLength,
    @JsonProperty("max-recipients") Integer maxRecipients,
    @JsonProperty("max-connections") Integer maxConnections,
    @JsonProperty("idle-timeout") String idleTimeout,
    @JsonProperty("data-timeout") String dataTimeout,
    @JsonProperty("max-connections-per-client") Integer maxConnectionsPerClient,
    @JsonProperty("max-errors") Integer maxErrors,
    @JsonProperty("greeting-delay") String greetingDelay,
    Boolean checkpoint,
    @JsonProperty("checkpoint-retention") String checkpointRetention,
    @JsonProperty("checkpoint-interval") String checkpointInterval,
    @JsonProperty("checkpoint-bytes") String checkpointBytes,
    @JsonProperty("checkpoint-bind-address") Boolean checkpointBindAddress,
    @JsonProperty("checkpoint-retention-unauthenticated") String checkpointRetentionUnauthenticated,
    @JsonProperty("checkpoint-max-per-client") Integer checkpointMaxPerClient,
    @JsonProperty("checkpoint-max-bytes-per-client") String checkpointMaxBytesPerClient,
    @JsonProperty("checkpoint-max-total-bytes") String checkpointMaxTotalBytes,
    @JsonProperty("checkpoint-min-free-space") String checkpointMinFreeSpace,
    @JsonProperty("trusted-networks") List<String> trustedNetworks,
    Map<String, String> routes,
    String smarthost,
    @JsonProperty("dns-server") String dnsServer,
    @JsonProperty("mx-port") Integer mxPort,
    @JsonProperty("retry-min-delay") String retryMinDelay,
    @JsonProperty("retry-max-delay") String retryMaxDelay,
    @JsonProperty("retry-jitter") Double retryJitter,
    @JsonProperty("max-queue-lifetime") String maxQueueLifetime,
    @JsonProperty("reconnect-attempts") Integer reconnectAttempts,
    @JsonProperty("reconnect-delay") String reconnectDelay,
    @JsonProperty("max-active") Integer maxActive,
    @JsonProperty("destination-concurrency") Integer destinationConcurrency,
    Tls tls,
    Auth auth,
    @JsonProperty("relay-tls") RelayTls relayTls) {

  /** The {@code tls} section: STARTTLS with PEM files, or a self-signed certificate when none is given. */
  public record Tls(
      Boolean enabled,
      String certificate,
      String key,
      @JsonProperty("implicit-listen") String implicitListen) {}

  /**
   * The {@code relay-tls} section: STARTTLS when the relay delivers. {@code mode} for MX delivery and as
   * the default (opportunistic); {@code smarthost} and {@code routes} (domain to mode) override it for
   * those destinations; {@code ca-file} and {@code insecure} say how {@code required} authenticates.
   */
  public record RelayTls(
      String mode,
      String smarthost,
      Map<String, String> routes,
      @JsonProperty("ca-file") String caFile,
      Boolean insecure) {}

  /** The {@code auth} section: the user file, AUTH without TLS, a submission listener needing AUTH. */
  public record Auth(
      String users,
      @JsonProperty("without-tls") Boolean withoutTls,
      @JsonProperty("submission-listen") String submissionListen) {}

  public static final ConfigFile EMPTY = new ConfigFile(
      null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null);

  /**
   * Reads the file; the message of the exception says exactly what is wrong and where. A file that
   * cannot be read is an {@link IOException}; a file whose content is wrong (unknown format or key,
   * bad syntax, a value of the wrong type) is a {@link ConfigException}, a usage error like a bad flag.
   */
  public static ConfigFile read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper;
    if (name.endsWith(".toml")) {
      mapper = new TomlMapper();
    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      mapper = new ObjectMapper(new YAMLFactory());
    } else {
      throw new ConfigException(file + ": unknown config format; name it .yaml, .yml or .toml");
    }
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    if (!Files.isReadable(file)) {
      throw new IOException(file + ": cannot read the config file");
    }
    try {
      ConfigFile config = mapper.readValue(file.toFile(), ConfigFile.class);
      return config == null ? EMPTY : config;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(file + ": unknown setting '" + e.getPropertyName() + "'" + line(e));
    } catch (MismatchedInputException e) {
      throw new ConfigException(file + ": setting '" + setting(e) + "' has a value of the wrong type" + line(e));
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + ": " + oneLine(e.getOriginalMessage()) + line(e));
    }
  }

  /**
   * The parser's message on one line: SnakeYAML's spans several, with a source snippet and a caret; keep the
   * unindented lines ("while parsing a flow sequence", "expected ',' or ']', but got <stream end>").
   */
  static String oneLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    List<String> lines = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
    return lines.isEmpty() ? message.strip().replaceAll("\\s+", " ") : String.join(": ", lines);
  }

  private static String line(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  private static String setting(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(top level)" : path.toString();
  }
}
