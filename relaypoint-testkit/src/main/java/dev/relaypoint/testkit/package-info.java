/**
 * Test support shared by every Relaypoint module's tests (main scope, so other modules depend on it with
 * {@code <scope>test</scope>}).
 *
 * <ul>
 *   <li>{@link dev.relaypoint.testkit.FaultProxy}: TCP proxy that cuts, stalls, fragments, delays and injects at
 *       exact byte offsets (SECURITY-TESTS.md §6.4), configured per connection by
 *       {@link dev.relaypoint.testkit.FaultPlan}.</li>
 *   <li>{@link dev.relaypoint.testkit.DialogScript} and {@link dev.relaypoint.testkit.DialogRunner}: golden
 *       {@code .dialog} files (SECURITY-TESTS.md §5.1, chasquid-style), format documented on
 *       {@code DialogScript} and in the module README.</li>
 *   <li>{@link dev.relaypoint.testkit.SmtpTestClient}: a raw blocking client with strict CRLF reply reading;
 *       {@link dev.relaypoint.testkit.TestMessages}: deterministic messages, dot-stuffing and SHA-256.</li>
 * </ul>
 *
 * <p>Everything binds or connects to 127.0.0.1 with ephemeral ports, and uses platform threads (Java 17). Failures
 * are reported as {@link java.lang.AssertionError}, so the kit does not depend on a test framework.
 */
package dev.relaypoint.testkit;
