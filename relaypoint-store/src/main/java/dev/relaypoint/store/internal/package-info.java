/**
 * The file-system store behind {@link dev.relaypoint.store.FileStore}. Not API. Every durability
 * decision is written here once.
 *
 * <h2>Layout (dirs 0700, files 0600)</h2>
 * <pre>
 * dataDir/queue/tmp/                  the layout before part files; emptied at start-up, else unused
 * dataDir/queue/incoming/.&lt;qid&gt;.part plain message being received or committed; invisible to every scanner
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
 * <h2>Commit protocols (all forces on the one {@link Committer} thread)</h2>
 * Plain (one round): the message is written as {@code incoming/.<qid>.part} (every scanner lists only
 * names that are queue ids, so nobody sees it). Commit: append trailer; ONE committer request forces
 * the file and then incoming/ (the part file's directory entry); rename {@code .part} to {@code <qid>}
 * without another fsync; complete (250 may be sent); notify. Why this keeps "250 means durable": the
 * entry's bytes and its directory entry are durable before the stage completes, and recovery turns a
 * complete part file into {@code <qid>}; the rename only makes it visible. Before anything is
 * delivered the queue manager moves the entry incoming to active, which forces both directories, so
 * the rename is durable before any delivery; a crash that loses an unforced rename leaves the part
 * file, which recovery publishes again (the entry is never delivered from a name a crash can undo).
 * <br>Checkpoint (taken when the policy says, never blocking the writer): force message; if the
 * journal is missing, create it with OPEN atomically (temp, force, rename, force {@code <h>} and
 * {@code checkpoints/}); append PROGRESS(line-aligned size known when the checkpoint was
 * triggered); force journal. So a PROGRESS never names bytes that are not on disk.
 * <br>Checkpointed commit: append trailer; force message; ensure journal with OPEN (durable before
 * the rename); rename message to {@code incoming/<qid>}; force incoming and {@code <h>}; append
 * COMPLETED(qid, size, crc32c); force journal; complete; notify. The journal stays as the
 * tombstone that makes a resent final dot idempotent, until {@code delete()} or retention.
 * <br>Group commit: the committer drains all pending requests, forces the batch's distinct files
 * concurrently (a pool of at most 8 threads, {@link ParallelForces}: ext4 joins concurrent fsyncs into
 * one journal commit), waits for all, then forces each distinct directory once for the batch (also
 * concurrently, and only for requests whose files succeeded), then completes the batch on the
 * committer thread. A failed force fails exactly the requests that named that file or directory.
 * Steps that follow a force run as callbacks on the committer thread and must not block.
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
 *   <li>Delete everything in queue/tmp (old layout; nothing there was acknowledged). Each
 *       {@code incoming/.<qid>.part}: header (naming that qid) and trailer valid: it was forced and may
 *       have been acknowledged, so rename it to {@code <qid>} (a crash between the force and the 250
 *       is the RFC 1047 window below); else it was never acknowledged: delete it (not corrupt/).
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
 * A plain commit whose force round fails (or a crash after the round, before the 250) reports
 * failure although the part file may survive complete (the RFC 1047 duplicate window); recovery
 * keeps it as a valid entry. A rename that fails after the round leaves an acknowledged part file
 * invisible until the next start (logged).
 */
package dev.relaypoint.store.internal;
