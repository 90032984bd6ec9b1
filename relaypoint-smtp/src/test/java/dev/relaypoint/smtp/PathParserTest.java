package dev.relaypoint.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathParserTest {

  @Test
  void parsesMailWithParametersInOrder() throws Exception {
    MailArguments args = PathParser.parseMail("FROM:<ned@ymir.claremont.edu> TRANSID=<12345@claremont.edu> size=100");
    assertThat(args.mailbox()).hasValue(new Mailbox("ned", "ymir.claremont.edu"));
    assertThat(args.parameters()).containsExactly(
        Map.entry("TRANSID", "<12345@claremont.edu>"), Map.entry("SIZE", "100"));
  }

  @Test
  void nullReversePathAndPostmaster() throws Exception {
    assertThat(PathParser.parseMail("FROM:<>").mailbox()).isEmpty();
    assertThat(PathParser.parseRcpt("TO:<Postmaster>").postmaster()).isTrue();
    assertThat(PathParser.parseMail("from: <a@b>").pathText()).isEqualTo("a@b");
  }

  @Test
  void dropsSourceRoutesSoPolicySeesTheFinalMailbox() throws Exception {
    assertThat(PathParser.parseRcpt("TO:<@relay.example,@b.example:user@external.example>").mailbox())
        .hasValue(new Mailbox("user", "external.example"));
  }

  @Test
  void quotedLocalPartKeepsItsQuotes() throws Exception {
    Mailbox m = PathParser.parseRcpt("TO:<\"relaytest@external\"@local.test>").mailbox().orElseThrow();
    assertThat(m.localPart()).isEqualTo("\"relaytest@external\"");
    assertThat(m.isDotAtom()).isFalse();
    assertThat(m.domain()).isEqualTo("local.test");
  }

  @Test
  void addressLiterals() throws Exception {
    assertThat(PathParser.parseRcpt("TO:<a@[127.0.0.1]>").mailbox().orElseThrow().domain()).isEqualTo("[127.0.0.1]");
    assertThat(PathParser.parseRcpt("TO:<a@[IPv6:::1]>").mailbox()).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TO:a@b", "TO:<a@b", "TO:<>", "TO:<a>", "TO:<a@-b>", "TO:<a b@c>", "TO:<a@b>x=1",
      "TO:<a@b> =1", "TO:<a@b> X=", "TO:<a@b> X=1 x=2", "TO:<a@b> X=a=b", "FROM:<a@b>", "TO:<a@[999.1.1.1]>",
      "TO:<a@b\u00e9.com>", "TO:<@x:>"})
  void rejectsBadSyntax(String arg) {
    assertThatThrownBy(() -> PathParser.parseRcpt(arg)).isInstanceOf(SmtpSyntaxException.class);
  }

  @Test
  void enforcesLengthLimits() {
    assertThatThrownBy(() -> PathParser.parseRcpt("TO:<" + "a".repeat(65) + "@b.c>"))
        .hasMessageContaining("local part longer");
    assertThatThrownBy(() -> PathParser.parseRcpt("TO:<a@" + "b".repeat(60) + "." + "c".repeat(200) + ">"))
        .isInstanceOf(SmtpSyntaxException.class);
  }
}
