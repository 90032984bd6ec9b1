/**
 * The queue manager and delivery agents: routing, local Maildir delivery (or discard), remote delivery
 * through the resumable client, retries and bounces. Entry point: {@link dev.relaypoint.mta.QueueManager}.
 *
 * <h2>Queue semantics (written down once, like maddy's queue.go)</h2>
 * <ul>
 *   <li><b>States are directories</b> (Postfix): a committed entry is in {@code incoming} (new),
 *       {@code active} (an attempt may run), {@code deferred} (waiting for its next attempt time) or
 *       {@code hold} (parked by an operator). Only the scheduler thread decides which entries
 *       enter {@code active}; their delivery threads do the moves side by side (each a rename and two
 *       directory fsyncs, shared through group commit) while the scheduler waits for them, so no
 *       operator request runs in between. Only the attempt that owns an active entry moves it out. At start, entries left
 *       in {@code active} by a crash go back to {@code incoming}: their status says what to resume.</li>
 *   <li><b>Per-recipient status</b> lives in an atomic status file beside the entry (queued, deferred
 *       with the last reply, delivered, bounced). Recipients are independent: one attempt may deliver
 *       some, defer some and bounce others. The entry is removed when every recipient is delivered or
 *       bounced.</li>
 *   <li><b>TRANSID before the first byte.</b> Recipients are grouped by route; each remote group gets a
 *       TRANSID that is written to the status file before the client connects. A relay killed mid-transfer
 *       restarts with the same TRANSID and EHLO name, so the receiver answers {@code 355} and only the rest
 *       travels (RFC 1845 §3). The TRANSID is dropped once its transaction got a final reply (250 or a
 *       refusal): a later retry of a 4xx recipient is a new transaction, since the receiver would otherwise
 *       treat it as the completed one.</li>
 *   <li><b>Same octets on every attempt.</b> The relay prepends its {@code Received} header, derived
 *       from the entry only (never the time of the attempt), so offsets from an earlier attempt stay
 *       valid.</li>
 *   <li><b>Fair, bounded active set.</b> At most {@code maxActive} entries are active; the scheduler
 *       alternates one from {@code incoming} and one due from {@code deferred}, so a backlog of
 *       deferred mail never starves new mail or the reverse. At most {@code destinationLimit} deliveries
 *       run to one destination; a delivery thread waits up to a second for a slot, then a group whose
 *       destination is still busy is postponed (one second, no attempt counted).</li>
 *   <li><b>Retries</b> follow {@link dev.relaypoint.mta.RetrySchedule} (exponential backoff with
 *       jitter, chasquid's nextDelay). Inside one attempt the client itself reconnects a few times after
 *       a break (RFC 1845 §3 ¶10: wait, re-resolve, try the original address first). After
 *       {@code maxLifetime} the remaining recipients bounce with 4.4.7.</li>
 *   <li><b>Bounces</b> are RFC 3464 reports with the original headers only, queued with the null
 *       reverse-path, one per message once all its recipients are settled; never for a message that
 *       itself has the null reverse-path. A crash between queueing the bounce and removing the entry
 *       sends the bounce twice (at-least-once, as in Postfix); never zero times.</li>
 *   <li><b>Local delivery is idempotent</b>: the Maildir file name is {@code <qid>.<rcpt-index>.<host>},
 *       so an attempt repeated after a crash finds the file and does not deliver twice.</li>
 *   <li><b>Discard</b> ({@link dev.relaypoint.mta.LocalDelivery#DISCARD} for the local domains, or a
 *       static route to {@code discard}) is Postfix's {@code discard:} transport: the mail was accepted
 *       as durably as any (250 after the commit), goes through the active set like any entry, and its
 *       recipients are marked delivered ({@code 250 2.0.0 discarded}) without Maildir or network. It is
 *       idempotent too, so a discard group writes no status of its own: the entry is removed right after
 *       (or the attempt's final status write records it), and a crash in between discards again.
 *       Discarding changes where accepted mail goes, never who may relay: that is decided by the
 *       server on its local domains alone.</li>
 *   <li><b>Operator requests</b> ({@code relaypoint queue}) reach a running manager as files in
 *       {@code queue/control/} ({@link dev.relaypoint.mta.ControlFiles}), polled every
 *       {@code pollInterval}; no network admin port.</li>
 *   <li><b>Scanning incoming</b>: new entries are announced by the store's commit listener; a periodic
 *       scan only picks up entries older than two seconds, so the manager never takes an entry whose
 *       checkpoint journal has not yet recorded its completion.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * A duplicate is still possible where RFC 1845 cannot help (a lost final reply from a receiver without
 * CHECKPOINT). Routing is per domain; there is no per-domain transport table beyond static routes (to a
 * server, or discard) and the smarthost, no TLS to the next hop yet, and no DSN extension
 * (NOTIFY/RET/ENVID) on the wire.
 */
package dev.relaypoint.mta;
