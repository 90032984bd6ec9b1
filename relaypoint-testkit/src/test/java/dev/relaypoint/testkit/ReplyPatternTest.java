package dev.relaypoint.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyPatternTest {

    private static Optional<Map<String, String>> match(String expected, String actual) {
        return ReplyPattern.match(expected, actual, Map.of());
    }

    @Test
    void exactAndGlob() {
        assertThat(match("250 2.0.0 Ok", "250 2.0.0 Ok")).isPresent();
        assertThat(match("250 2.0.0 Ok", "250 2.0.0 Ok!")).isEmpty();
        assertThat(match("250 *queued*", "250 2.0.0 Ok: queued as X")).isPresent();
        assertThat(match("250 *", "250")).isPresent();
    }

    @Test
    void codeAndSeparatorMustMatch() {
        assertThat(match("250-SIZE *", "250 SIZE 10")).isEmpty();
        assertThat(match("250 *", "251 x")).isEmpty();
        assertThat(match("250", "250 anything")).isPresent();
        assertThat(match("250", "250-continued")).isEmpty();
    }

    @Test
    void enhancedCodeIsOptionalInTheScriptButMustMatchWhenGiven() {
        assertThat(match("250 Ok", "250 2.1.0 Ok")).isPresent();
        assertThat(match("250 2.1.0 Ok", "250 2.1.5 Ok")).isEmpty();
        assertThat(match("550 5.7.1 *", "550 5.7.1 Relay denied")).isPresent();
    }

    @Test
    void capturesAndBoundVariables() {
        assertThat(match("250 2.0.0 Ok: queued as {qid}", "250 2.0.0 Ok: queued as 4Fx9Q"))
                .contains(Map.of("qid", "4Fx9Q"));
        assertThat(ReplyPattern.match("250 2.0.0 Ok: queued as {qid}", "250 2.0.0 Ok: queued as 4Fx9Q",
                Map.of("qid", "OTHER"))).isEmpty();
        assertThat(match("355 {off} of {off}", "355 10 of 10")).contains(Map.of("off", "10"));
        assertThat(match("355 {off} of {off}", "355 10 of 11")).isEmpty();
    }

    @Test
    void escapedMetacharactersAndRegexCharsAreLiteral() {
        assertThat(match("250 a\\*b", "250 a*b")).isPresent();
        assertThat(match("250 a\\*b", "250 axb")).isEmpty();
        assertThat(match("250 {not a var} (x)+.", "250 {not a var} (x)+.")).isPresent();
    }

    @Test
    void substituteReplacesBoundAndRejectsUnbound() {
        assertThat(ReplyPattern.substitute("MAIL FROM:<{f}> {x y}", Map.of("f", "a@b"))).isEqualTo("MAIL FROM:<a@b> {x y}");
        assertThatThrownBy(() -> ReplyPattern.substitute("{nope}", Map.of()))
                .hasMessageContaining("{nope} is not bound");
    }
}
