/**
 * The file-system store behind {@link dev.relaypoint.store.FileStore}. Not API. Every durability
 * decision is written here once.
 *
 * <h2>Layout (dirs 0700, files 0600)</h2>
 * <pre>
 * dataDir/queue/tmp/&lt;qid&gt;             plain message being received; invisible to delivery
 * dataDir/queue/incoming/&lt;qid&gt;        committed entry, not yet attempted (commits land here)
 * dataDir/queue/active/&lt;qid&gt;          owned by the queue manager, an attempt may be running
 * dataDir/queue/deferred/&lt;qid&gt;        waiting for the next attempt time in its status file
 * dataDir/queue/hold/&lt;qid&gt;            parked by an operator
 * dataDir/queue/status/&lt;qid&gt;          per-recipient delivery status: one STATUS record, replaced atomically
 * dataDir/queue/control/               requests from the queue CLI to a running queue manager
 * dataDir/checkpoints/&lt;h&gt;/message     checkpointed message being received (same format as an entry)
 * dataDir/checkpoints/&lt;h&gt;/journal     append-only OPEN, PROGRESS*, COMPLETED?
 * dataDir/corrupt/                     quarantine: invalid entries and checkpoint dirs, for a human
 * </pre>
 * {@code <h>} is {@link dev.relaypoint.store.CheckpointKey#fileName()} (SHA-256 hex), so the
 * attacker-chosen TRANSID never reaches a path. Queue ids ({@link QueueIds}) sort by time.
 *
 * <h2>Records</h2>
 * Every record is {@code type(1) length(4) payload crc32c(4) end(1)}, the CRC over type, length and
 * payload; payloads are capped at 1 MiB ({@link Records}, {@link RecordReader}, a pure function over
 * bytes). A message file is FILE_HEADER(magic, version, qid), ENVELOPE, DATA_START, then the raw
 * canonical octets (so delivery can {@code transferTo}), then a fixed-size TRAILER(size, crc32c).
 *
 * <h2>Owners and usage</h2>
 * OPEN ends with the owner (an opaque key from the server and an authenticated flag); an OPEN
 * without it, written before owners existed, is read with {@code CheckpointOwner.derivedFrom}. The
 * owner picks the retention of an interrupted transaction. {@link UsageLedger} counts the open
 * (not completed) checkpoints and their message-file bytes per owner in memory: {@link FileLease}
 * and {@link MeteredWriter} (a wrapper, so the writers' commit path knows nothing of it) and the
 * {@link Reaper} tell it of every change, and {@link UsageScan} rebuilds it after recovery.
 *
 * <h2>Commit protocols (all forces on the one {@link Committer} thread)</h2>
 * Plain: append trailer; force file; rename tmp to incoming; force incoming; complete; notify.
 * <br>Checkpoint (taken when the policy says, never blocking the writer): force message; if the
 * journal is missing, create it with OPEN atomically (temp, force, rename, force {@code <h>} and
 * {@code checkpoints/}); append PROGRESS(line-aligned size known when the checkpoint was
 * triggered); force journal. So a PROGRESS never names bytes that are not on disk.
 * <br>Checkpointed commit: append trailer; force message; ensure journal with OPEN (durable before
 * the rename); rename message to {@code incoming/<qid>}; force incoming and {@code <h>}; append
 * COMPLETED(qid, size, crc32c); force journal; complete; notify. The journal stays as the
 * tombstone that makes a resent final dot idempotent, until {@code delete()} or retention.
 * <br>Group commit: the committer drains all pending requests, forces each file, then each
 * distinct directory once for the batch, then completes the batch. Steps that follow a force run as
 * callbacks on the committer thread and must not block.
 *
 * <h2>Queue states (Postfix's directories with fixed meanings)</h2>
 * An entry file is written once and never changed; it only moves between the state directories by
 * rename(2) followed by forcing both directories. Its delivery status lives beside it in
 * {@code queue/status/<qid>} (chasquid keeps it in the item, maddy in a {@code .meta}; a separate file
 * keeps the entry immutable and the CRC of its data valid), written with
 * {@link SafeFiles#writeAtomically}. Removal deletes the entry first, then the status, so a crash
 * leaves at worst an orphan status, which recovery deletes. A checkpointed commit renames into
 * {@code incoming/}; the inspector looks for the entry in every state directory, since the manager
 * may have moved it on before COMPLETED was appended.
 *
 * <h2>Recovery at open (before anything else)</h2>
 * <ol>
 *   <li>Delete everything in queue/tmp (nothing there was acknowledged).
 *   <li>Check every entry's header and trailer in every state directory; a failure goes to
 *       corrupt/. Delete status files whose entry is gone.
 *   <li>Per checkpoint dir: no journal: delete (no offset was ever promised). Any invalid journal
 *       record: quarantine the whole dir, never resume it. Exception: a record cut short at the end
 *       of the journal is a torn append that was never forced; it is truncated away (everything
 *       before it stands, and every decision still rests only on forced records). COMPLETED
 *       present: completed. Else {@code incoming/<qid>} exists: the crash came between rename and
 *       COMPLETED, so append COMPLETED now. Else the message file exists with at least the
 *       promised bytes: interrupted at the last PROGRESS (truncated at resume, not at open).
 *       Else: quarantine.
 * </ol>
 * {@code CheckpointLease.state()} applies the same rules ({@link CheckpointInspector}), so a
 * commit that failed after its rename is also seen as completed without a restart.
 *
 * <h2>Known windows</h2>
 * A plain commit whose directory force fails after the rename reports failure although the entry may
 * survive (the RFC 1047 duplicate window); recovery keeps it as a valid entry.
 */
package dev.relaypoint.store.internal;
