package dev.relaypoint.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relaypoint.app.ConfigException;
import dev.relaypoint.client.Destination;
import dev.relaypoint.client.TlsMode;
import dev.relaypoint.client.TlsPolicy;
import dev.relaypoint.mta.LocalDelivery;
import dev.relaypoint.mta.Route;
import dev.relaypoint.server.CheckpointQuotas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir
  Path dir;

  /** Flags as the serve command would pass them; all unset unless a test sets them. */
  private static class Flags implements ServeSettings.Flags {
    String listen;
    List<String> domains;
    String maxMessageSize;
    boolean noCheckpoint;
    String minFreeSpace;
    Integer maxPerClient;
    String localDelivery;
    List<String> routes;

    @Override public String listen() { return listen; }
    @Override public Path dataDir() { return null; }
    @Override public String hostname() { return "mx.test"; }
    @Override public List<String> domains() { return domains; }
    @Override public String maxMessageSize() { return maxMessageSize; }
    @Override public String checkpointRetention() { return null; }
    @Override public String checkpointInterval() { return null; }
    @Override public String checkpointBytes() { return null; }
    @Override public boolean noCheckpoint() { return noCheckpoint; }
    @Override public String checkpointMinFreeSpace() { return minFreeSpace; }
    @Override public Integer checkpointMaxPerClient() { return maxPerClient; }
    @Override public String localDelivery() { return localDelivery; }
    @Override public List<String> routes() { return routes; }
  }

  @Test
  void sizesAndDurations() {
    assertThat(Sizes.parseSize("1048576")).isEqualTo(1L << 20);
    assertThat(Sizes.parseSize("512K")).isEqualTo(512L << 10);
    assertThat(Sizes.parseSize("64M")).isEqualTo(64L << 20);
    assertThat(Sizes.parseSize("2g")).isEqualTo(2L << 30);
    assertThat(Sizes.parseSize("3GiB")).isEqualTo(3L << 30);
    assertThatThrownBy(() -> Sizes.parseSize("12Q")).hasMessageContaining("not a size: '12Q'");
    assertThatThrownBy(() -> Sizes.parseSize("99999999999999999T")).hasMessageContaining("too large");
    assertThat(Sizes.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Sizes.parseDuration("48h")).isEqualTo(Duration.ofHours(48));
    assertThat(Sizes.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
    assertThatThrownBy(() -> Sizes.parseDuration("soon")).hasMessageContaining("not a duration");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    ServeSettings s = ServeSettings.resolve(ConfigFile.EMPTY, new Flags());
    assertThat(s.server().listen().getPort()).isEqualTo(2525);
    assertThat(s.server().listen().getAddress().isLoopbackAddress()).isTrue();
    assertThat(s.server().localDomains()).containsExactly("localhost");
    assertThat(s.server().maxMessageSize()).isEqualTo(64L << 20);
    assertThat(s.checkpointPolicy().retention()).isEqualTo(Duration.ofHours(48));
    assertThat(s.checkpointPolicy().unauthenticatedRetention()).isEqualTo(Duration.ofHours(1));
    assertThat(s.server().checkpointQuotas()).isEqualTo(CheckpointQuotas.DEFAULT);
    assertThat(CheckpointQuotas.DEFAULT).isEqualTo(new CheckpointQuotas(16, 1L << 30, 10L << 30, 1L << 30, 0, 32, 64));
    assertThat(s.dataDir()).isEqualTo(Path.of("relaypoint-data"));
    assertThat(s.relay().localDelivery()).isEqualTo(LocalDelivery.MAILDIR);
  }

  @Test
  void localDeliveryFromYamlTomlAndTheFlag() throws IOException {
    Path yaml = Files.writeString(dir.resolve("d.yaml"), "local-delivery: discard\n");
    Path toml = Files.writeString(dir.resolve("d.toml"), "local-delivery = \"Discard\"\n");
    for (Path file : List.of(yaml, toml)) {
      assertThat(ServeSettings.resolve(ConfigFile.read(file), new Flags()).relay().localDelivery()).as(file.toString())
          .isEqualTo(LocalDelivery.DISCARD);
    }
    Flags flags = new Flags();
    flags.localDelivery = "maildir";
    assertThat(ServeSettings.resolve(ConfigFile.read(yaml), flags).relay().localDelivery()).as("the flag wins")
        .isEqualTo(LocalDelivery.MAILDIR);
  }

  @Test
  void badLocalDeliveryIsNamedPrecisely() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "local-delivery: mbox\n");
    assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.read(file), new Flags()))
        .isInstanceOf(ConfigException.class).hasMessage("local-delivery: must be maildir or discard, not 'mbox'");
    Flags flags = new Flags();
    flags.localDelivery = "";
    assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.EMPTY, flags))
        .isInstanceOf(ConfigException.class).hasMessage("local-delivery: must be maildir or discard, not ''");
    Path list = Files.writeString(dir.resolve("list.yaml"), "local-delivery: [discard]\n");
    assertThatThrownBy(() -> ConfigFile.read(list)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("setting 'local-delivery' has a value of the wrong type");
  }

  /** A discard route changes where mail goes; who may relay still follows the local domains alone. */
  @Test
  void aStaticRouteToDiscardFromTheFileOrTheFlag() throws IOException {
    Path yaml = Files.writeString(dir.resolve("routes.yaml"), String.join("\n",
        "domains: [local.test]", "routes:", "  example.org: discard", "  example.com: 10.0.0.5:25", ""));
    Flags flags = new Flags();
    flags.routes = List.of("example.net=DISCARD", "example.com=discard:2526");
    ServeSettings s = ServeSettings.resolve(ConfigFile.read(yaml), flags);
    assertThat(s.relay().routes()).hasSize(3)
        .containsEntry("example.org", new Route.Discard())
        .containsEntry("example.net", new Route.Discard())
        .containsEntry("example.com", new Route.Remote(Destination.server("discard", 2526)));
    assertThat(s.server().localDomains()).containsExactly("local.test");
    assertThat(s.relay().localDomains()).containsExactly("local.test");
    assertThat(s.relay().localDelivery()).isEqualTo(LocalDelivery.MAILDIR);

    flags.routes = List.of("discard");
    assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.EMPTY, flags)).isInstanceOf(ConfigException.class)
        .hasMessage("--route must be DOMAIN=HOST:PORT or DOMAIN=discard, not 'discard'");
    assertThatThrownBy(() -> resolve("routes:\n  example.org: discard\nrelay-tls:\n  routes:\n    example.org: required\n"))
        .isInstanceOf(ConfigException.class).hasMessage("relay-tls.routes: example.org is discarded, not relayed");
  }

  @Test
  void checkpointQuotasFromYamlTomlAndFlags() throws IOException {
    Path yaml = Files.writeString(dir.resolve("q.yaml"), String.join("\n",
        "checkpoint-retention-unauthenticated: 2h", "checkpoint-max-per-client: 4",
        "checkpoint-max-bytes-per-client: 256M", "checkpoint-max-total-bytes: 4G",
        "checkpoint-min-free-space: 5%", ""));
    Path toml = Files.writeString(dir.resolve("q.toml"), String.join("\n",
        "checkpoint-retention-unauthenticated = \"2h\"", "checkpoint-max-per-client = 4",
        "checkpoint-max-bytes-per-client = \"256M\"", "checkpoint-max-total-bytes = \"4G\"",
        "checkpoint-min-free-space = \"5%\"", ""));
    for (Path file : List.of(yaml, toml)) {
      ServeSettings s = ServeSettings.resolve(ConfigFile.read(file), new Flags());
      assertThat(s.checkpointPolicy().unauthenticatedRetention()).as(file.toString()).isEqualTo(Duration.ofHours(2));
      assertThat(s.server().checkpointQuotas()).isEqualTo(new CheckpointQuotas(4, 256L << 20, 4L << 30, 0, 5, 32, 64));
    }
    Flags flags = new Flags();
    flags.minFreeSpace = "2G";
    flags.maxPerClient = 9;
    CheckpointQuotas q = ServeSettings.resolve(ConfigFile.read(yaml), flags).server().checkpointQuotas();
    assertThat(q.minFreeBytes()).as("a size replaces the percentage").isEqualTo(2L << 30);
    assertThat(q.minFreePercent()).isZero();
    assertThat(q.maxOpenPerClient()).isEqualTo(9);
  }

  /** A retention shorter than the unauthenticated default applies to everyone; a longer one for guests is an error. */
  @Test
  void theUnauthenticatedRetentionFollowsAShorterRetention() throws IOException {
    Path shorter = Files.writeString(dir.resolve("s.yaml"), "checkpoint-retention: 30m\n");
    assertThat(ServeSettings.resolve(ConfigFile.read(shorter), new Flags()).checkpointPolicy().unauthenticatedRetention())
        .isEqualTo(Duration.ofMinutes(30));
    Path longer = Files.writeString(dir.resolve("l.yaml"),
        "checkpoint-retention: 2h\ncheckpoint-retention-unauthenticated: 3h\n");
    assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.read(longer), new Flags()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unauthenticated").hasMessageNotContaining("\n");
  }

  @Test
  void badQuotaValuesNameTheirSetting() throws IOException {
    for (String line : List.of("checkpoint-max-per-client: 0", "checkpoint-max-bytes-per-client: -5",
        "checkpoint-max-total-bytes: lots", "checkpoint-min-free-space: 100%", "checkpoint-min-free-space: x%")) {
      Path file = Files.writeString(dir.resolve("bad.yaml"), line + "\n");
      String key = line.substring(0, line.indexOf(':'));
      assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.read(file), new Flags())).as(line)
          .isInstanceOf(ConfigException.class).hasMessageStartingWith(key);
    }
  }

  @Test
  void flagsWinOverTheFileAndYamlAndTomlAgree() throws IOException {
    Path yaml = Files.writeString(dir.resolve("r.yaml"), String.join("\n",
        "listen: 127.0.0.1:2600", "domains: [example.org, example.net]", "max-message-size: 1G",
        "checkpoint-retention: 2h", "local-parts:", "  example.org: [ann, bob]", ""));
    Path toml = Files.writeString(dir.resolve("r.toml"), String.join("\n",
        "listen = \"127.0.0.1:2600\"", "domains = [\"example.org\", \"example.net\"]", "max-message-size = \"1G\"",
        "checkpoint-retention = \"2h\"", "[local-parts]", "\"example.org\" = [\"ann\", \"bob\"]", ""));
    for (Path file : List.of(yaml, toml)) {
      Flags flags = new Flags();
      flags.maxMessageSize = "2G";
      ServeSettings s = ServeSettings.resolve(ConfigFile.read(file), flags);
      assertThat(s.server().listen().getPort()).as(file.toString()).isEqualTo(2600);
      assertThat(s.server().localDomains()).containsExactly("example.org", "example.net");
      assertThat(s.server().localParts()).containsEntry("example.org", java.util.Set.of("ann", "bob"));
      assertThat(s.server().maxMessageSize()).isEqualTo(2L << 30);
      assertThat(s.checkpointPolicy().retention()).isEqualTo(Duration.ofHours(2));
    }
  }

  @Test
  void mistakesAreNamedPrecisely() throws IOException {
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "listn: 127.0.0.1:25\n");
    assertThatThrownBy(() -> ConfigFile.read(typo)).hasMessageContaining("unknown setting 'listn'");
    Path ini = Files.writeString(dir.resolve("r.ini"), "x=1\n");
    assertThatThrownBy(() -> ConfigFile.read(ini)).hasMessageContaining("name it .yaml, .yml or .toml");
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "domains: [a, b\n");
    assertThatThrownBy(() -> ConfigFile.read(broken)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("broken.yaml").hasMessageNotContaining("\n");
    Flags flags = new Flags();
    flags.listen = "localhost";
    assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.EMPTY, flags)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--listen must be HOST:PORT");
    flags.listen = "127.0.0.1:70000";
    assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.EMPTY, flags)).hasMessageContaining("0-65535");
    Flags size = new Flags();
    size.maxMessageSize = "lots";
    assertThatThrownBy(() -> ServeSettings.resolve(ConfigFile.EMPTY, size)).hasMessageContaining("max-message-size");
  }

  @Test
  void relayTlsIsOpportunisticUnlessASmarthostOrRouteIsMadeRequired() throws IOException {
    ServeSettings plain = ServeSettings.resolve(ConfigFile.EMPTY, new Flags());
    assertThat(plain.relay().tls()).isEqualTo(TlsPolicy.opportunistic());
    assertThat(plain.relay().destinationTls()).isEmpty();

    Path ca = Files.writeString(dir.resolve("ca.pem"), "not checked here\n");
    Path yaml = Files.writeString(dir.resolve("tls.yaml"), String.join("\n",
        "smarthost: mail.example.net:587", "routes:", "  Example.org: 10.0.0.5:25", "relay-tls:",
        "  smarthost: required", "  routes:", "    example.org: required", "  ca-file: " + ca, ""));
    ServeSettings s = ServeSettings.resolve(ConfigFile.read(yaml), new Flags());
    assertThat(s.relay().tls().mode()).as("MX delivery").isEqualTo(TlsMode.OPPORTUNISTIC);
    assertThat(s.relay().destinationTls()).hasSize(2)
        .containsEntry(Destination.server("mail.example.net", 587), TlsPolicy.required().trusting(ca))
        .containsEntry(Destination.server("10.0.0.5", 25), TlsPolicy.required().trusting(ca));
  }

  @Test
  void relayTlsMistakesAreConfigErrors() throws IOException {
    assertThatThrownBy(() -> resolve("relay-tls:\n  mode: sometimes\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("relay-tls.mode: TLS mode must be none, opportunistic or required");
    assertThatThrownBy(() -> resolve("relay-tls:\n  smarthost: required\n"))
        .hasMessageContaining("relay-tls.smarthost: no smarthost is set");
    assertThatThrownBy(() -> resolve("relay-tls:\n  routes:\n    example.org: required\n"))
        .hasMessageContaining("relay-tls.routes: no route for example.org");
    assertThatThrownBy(() -> resolve("relay-tls:\n  ca-file: " + dir.resolve("none.pem") + "\n"))
        .hasMessageContaining("relay-tls.ca-file: cannot read");
    assertThatThrownBy(() -> resolve("routes:\n  a.test: 10.0.0.1:25\n  b.test: 10.0.0.1:25\n"
        + "relay-tls:\n  routes:\n    a.test: required\n    b.test: none\n"))
        .hasMessageContaining("is given both required and none");
  }

  private ServeSettings resolve(String yaml) throws IOException {
    return ServeSettings.resolve(ConfigFile.read(Files.writeString(dir.resolve("t.yaml"), yaml)), new Flags());
  }
}
