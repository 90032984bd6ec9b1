package dev.relaypoint.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
    @JsonProperty("max-message-size") String maxMessageSize,
    @JsonProperty("max-line-length") Integer maxLineLength,
    @JsonProperty("max-recipients") Integer maxRecipients,
    @JsonProperty("max-connections") Integer maxConnections,
    @JsonProperty("idle-timeout") String idleTimeout,
    Boolean checkpoint,
    @JsonProperty("checkpoint-retention") String checkpointRetention,
    @JsonProperty("checkpoint-interval") String checkpointInterval,
    @JsonProperty("checkpoint-bytes") String checkpointBytes,
    @JsonProperty("checkpoint-bind-address") Boolean checkpointBindAddress,
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
    @JsonProperty("destination-concurrency") Integer destinationConcurrency) {

  public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Reads the file; the message of the exception says exactly what is wrong and where. */
  public static ConfigFile read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper;
    if (name.endsWith(".toml")) {
      mapper = new TomlMapper();
    } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      mapper = new ObjectMapper(new YAMLFactory());
    } else {
      throw new IOException(file + ": unknown config format; name it .yaml, .yml or .toml");
    }
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    if (!Files.isReadable(file)) {
      throw new IOException(file + ": cannot read the config file");
    }
    try {
      ConfigFile config = mapper.readValue(file.toFile(), ConfigFile.class);
      return config == null ? EMPTY : config;
    } catch (UnrecognizedPropertyException e) {
      throw new IOException(file + ": unknown setting '" + e.getPropertyName() + "'", e);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    }
  }
}
