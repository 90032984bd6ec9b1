/**
 * A resumable SMTP client (RFC 1845 checkpoint/restart). Entry point: {@link dev.relaypoint.client.SmtpClient}.
 *
 * <h2>Design decisions</h2>
 * <ul>
 *   <li><b>Blocking sockets, one thread per send.</b> A send is a long sequential dialogue with at most
 *       one connection open at a time; blocking I/O keeps it readable. Socket writes cannot time out in
 *       Java, so a shared watchdog closes a socket whose write blocks longer than the data-block timeout.</li>
 *   <li><b>Canonical form first.</b> The message is read through a CRLF normaliser (bare LF, bare CR and
 *       CRLF all become CRLF; a final CRLF is added if missing) and only then counted, hashed, skipped and
 *       dot-stuffed. RFC 1845 offsets count exactly these octets, so the client can always regenerate the
 *       octets after a server's offset (RFC 1845 §3, last paragraph). The client never emits a bare CR or LF.</li>
 *   <li><b>Never trust a 355.</b> The offset must be digits, at most the message size, and at a line start
 *       (the octet before it is LF); a 355 to a MAIL without TRANSID is an error. A violation fails the
 *       attempt and that address is then sent the whole message without TRANSID.</li>
 *   <li><b>TRANSID</b> is {@code <128 random bits in hex@transid-domain>}, never the Message-ID, chosen once
 *       per send and persisted; the EHLO name is persisted with it, and both are identical on every attempt.</li>
 *   <li><b>Pipelining</b> (RFC 2920) is used for MAIL+RCPT only when MAIL carries no TRANSID: a MAIL that
 *       may be answered 355 is always sent alone. DATA is never pipelined, so a 354 never arrives for a
 *       transaction without accepted recipients.</li>
 *   <li><b>Where to retry.</b> Every attempt re-resolves the destination; the address that last got past
 *       MAIL (it may hold the checkpoint) goes first if still listed, then the rest in MX order. A failure
 *       before MAIL is accepted (refused connection, bad greeting, 4xx to EHLO or MAIL) moves straight on to
 *       the next address; a break after it ends the attempt, and the next one starts after the
 *       {@link dev.relaypoint.client.RetryPolicy} delay (RFC 1845 §3 ¶10–11).</li>
 *   <li><b>Send state</b> (TRANSID, EHLO name, destination, envelope, message SHA-256 and size, last
 *       address, RCPT replies) is written crash-safely before the first byte, updated when the address or
 *       the RCPT replies change, and deleted after a 250 or a permanent refusal. It is kept after
 *       {@link dev.relaypoint.client.GaveUpException}, so the same send run again resumes.</li>
 *   <li><b>STARTTLS</b> ({@link dev.relaypoint.client.TlsPolicy}, opportunistic by default): after EHLO, if
 *       offered; whatever the server sent after its 220 is dropped unread; then EHLO again with the same
 *       name, and only that EHLO's capabilities count. TLS 1.3/1.2. Required mode fails closed before MAIL and
 *       is never retried in plaintext; an opportunistic handshake failure reconnects in plaintext.</li>
 *   <li><b>Per-recipient failures.</b> Some recipients refused: the message goes to the others and the result
 *       reports each status. 4xx recipients are not retried by the client (the MTA queue's job).</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Duplicates remain possible where RFC 1845 cannot help: a lost final reply from a server without
 * CHECKPOINT, or from a server that cannot be reached again while another MX accepts (RFC 1845 §3 ¶11
 * forbids waiting for it). No AUTH, BDAT/CHUNKING or SMTPUTF8 yet. An 8-bit message sent to a
 * server without 8BITMIME is sent as is.
 */
package dev.relaypoint.client;
