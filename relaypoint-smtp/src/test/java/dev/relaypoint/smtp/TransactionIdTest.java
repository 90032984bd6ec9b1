package dev.relaypoint.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionIdTest {

  @Test
  void acceptsTheRfcExampleAndKeepsItVerbatim() throws Exception {
    assertThat(TransactionId.parse("<12345@claremont.edu>").value()).isEqualTo("<12345@claremont.edu>");
    assertThat(TransactionId.parse("<A.b-c_d@x.Y>").value()).isEqualTo("<A.b-c_d@x.Y>");
  }

  @Test
  void acceptsExactlyEightyCharacters() throws Exception {
    String id = "<" + "a".repeat(73) + "@b.cd>";
    assertThat(id).hasSize(80);
    assertThat(TransactionId.parse(id).value()).isEqualTo(id);
    assertThatThrownBy(() -> TransactionId.parse("<" + "a".repeat(74) + "@b.cd>"))
        .isInstanceOf(SmtpSyntaxException.class).hasMessageContaining("80");
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345@claremont.edu", "<>", "<@x>", "<a@>", "<a@@b>", "<a@b@c>", "<a..b@c>",
      "<.a@b>", "<a.@b>", "<a b@c>", "<a@b.>", "<a(b@c>", "<a@b=c>", "<a\"@b>", "<a@b]>", "<a@b\u0001>",
      "<a@b\u00e9>", "<a/b@c>", "<a@b"})
  void rejectsBadSyntax(String text) {
    assertThatThrownBy(() -> TransactionId.parse(text)).isInstanceOf(SmtpSyntaxException.class)
        .satisfies(e -> assertThat(((SmtpSyntaxException) e).enhancedCode()).isEqualTo("5.5.4"));
  }
}
