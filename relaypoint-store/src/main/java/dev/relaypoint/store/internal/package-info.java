/**
 * The file-system store behind {@link dev.relaypoint.store.FileStore}. Not API. Every durability
 * decision is written here once.
 *
 * <h2>Layout (dirs 0700, files 0600)</h2>
 * <pre>
 * dataDir/queue/tmp/                  the layout before part files; emptied at start-up, else unused
 * dataDir/queue/spare/&lt;n&gt;, d&lt;n&gt;      recycled empty files and checkpoint dirs (below); emptied at start-up
 * dataDir/queue/incoming/.&lt;qid&gt;.part message being received or committed (plain, or TRANSID before its
 *                                     first checkpoint); invisible to every scanner
 * dataDir/queue/incoming/&lt;qid&gt;        committed entry, not yet attempted (commits land here)
 * dataDir/queue/active/&lt;qid&gt;          owned by the queue manager, an attempt may be running
 * dataDir/queue/deferred/&lt;qid&gt;        waiting for the next attempt time in its status file
 * dataDir/queue/hold/&lt;qid&gt;            parked by an operator
 * dataDir/queue/done/&lt;qid&gt;            delivered, kept as its TRANSID transaction's completion record
 * dataDir/queue/status/&lt;qid&gt;          per-recipient delivery status: one STATUS record, replaced atomically
 * dataDir/queue/control/               requests from the queue CLI to a running queue manager
 * dataDir/checkpoints/&lt;h&gt;/message     checkpointed message being received (same format as an entry)
 * dataDir/checkpoints/&lt;h&gt;/journal     append-only OPEN, PROGRESS*, COMPLETED?
 * dataDir/corrupt/                     quarantine: invalid entries and checkpoint dirs, for a human
 * </pre>
 * {@code <h>} is {@link dev.relaypoint.store.CheckpointKey#fileName()} (SHA-256 hex), so the
 * attacker-chosen TRANSID never reaches a path. Queue ids ({@link QueueIds}) sort by time.
 *
 * <h2>Recycled files</h2>
 * Removing a queue entry, or a checkpoint's journal, renames the file into {@code queue/spare/}
 * instead of deleting it; once the removal's directory force is done (a deleted checkpoint's files: at
 * once, see "Deleting a key's state") the file is truncated to zero and the next part file, checkpoint
 * message or journal is that file renamed into place ({@link SparePool}, at most 1,024 held). A
 * deleted checkpoint's emptied {@code <h>} directory is recycled the same way (renamed into
 * {@code spare/d<n>}, renamed back as the next transaction's {@code <h>}). Why: ext4 allocates an
 * inode by scanning the group's bitmap, and without a journal it also skips every inode freed in the
 * last minutes, reading each one's inode block to tell; a queue that creates and deletes a file per
 * message spent most of its CPU there (perf on the bench machine: about half of all CPU in
 * {@code __ext4_new_inode}/{@code recently_deleted} and the directory lock it holds meanwhile).
 * Durability is unchanged: a spare renamed to a new name is made durable by the same directory force
 * as a created file; a retired queue entry is truncated only after its removal is durable, so a crash
 * that undoes the removal brings the file back whole (as an unforced delete would); nothing in
 * {@code spare/} is ever read, and start-up deletes it all.
 *
 * <h2>Records</h2>
 * Every record is {@code type(1) length(4) payload crc32c(4) end(1)}, the CRC over type, length and
 * payload; payloads are capped at 1 MiB ({@link Records}, {@link RecordReader}, a pure function over
 * bytes). A message file is FILE_HEADER(magic, version, qid), ENVELOPE, TRANSACTION(key name, owner)
 * if it was received with TRANSID, DATA_START, then the raw canonical octets (so delivery can
 * {@code transferTo}), then a fixed-size TRAILER(size, crc32c).
 *
 * <h2>Owners and usage</h2>
 * OPEN ends with the owner (an opaque key from the server and an authenticated flag); an OPEN
 * without it, written before owners existed, is read with {@code CheckpointOwner.derivedFrom}. The
 * owner picks the retention of an interrupted transaction. {@link UsageLedger} counts the open
 * (not completed) checkpoints and their message-file bytes per owner in memory: {@link FileLease}
 * and {@link MeteredWriter} (a wrapper, so the writers' commit path knows nothing of it) and the
 * {@link Reaper} tell it of every change, and {@link Recovery} rebuilds it as it settles each checkpoint.
 *
 * <h2>Commit protocols (all forces on the one {@link Committer} thread)</h2>
 * Plain (one round): the message is written as {@code incoming/.<qid>.part} (every scanner lists only
 * names that are queue ids, so nobody sees it). Commit: append trailer; ONE committer request forces
 * the file and then incoming/ (the part file's directory entry); rename {@code .part} to {@code <qid>}
 * without another fsync; complete (250 may be sent); notify. Why this keeps "250 means durable": the
 * entry's bytes and its directory entry are durable before the stage completes, and recovery turns a
 * complete part file into {@code <qid>}; the rename only makes it visible. A crash that loses the
 * unforced rename leaves the part file, which recovery publishes again; the removal after delivery
 * forces incoming/, so a delivered entry's part file never comes back (Queue states, below).
 * <br>Checkpoint (taken when the policy says, never blocking the writer): the first one renames the
 * part file to {@code <h>/message} (next section); ONE round forces the message and, if the journal
 * is missing, the journal created in place with OPEN plus {@code <h>}, {@code checkpoints/} and
 * incoming/; then append PROGRESS(line-aligned size known when the checkpoint was
 * triggered); force journal. So a PROGRESS never names bytes that are not on disk. A journal with no
 * whole first record (empty, or OPEN cut short) is a creation a crash interrupted: "no journal".
 * Suspend first truncates the message after its last line end, so a suspended file never ends in
 * something shaped like a trailer.
 * <br>Checkpointed commit. Rule: {@code <h>/message} with a valid trailer means the client sent the
 * final dot and it was made durable; it counts as COMPLETED (qid from its header) in recovery and in
 * {@link CheckpointInspector}. A resend after a lost reply then gets 355 total and 250 with that qid,
 * so counting a complete but maybe unacknowledged message as completed is still exactly once.
 * Commit: append trailer; ONE round forces the message (and, if missing, the journal created with
 * OPEN, {@code <h>} and {@code checkpoints/}); complete: 250 may be sent. Then in the background
 * ({@link CheckpointPublish}, callbacks on the writer's tail, tracked in {@link Publishing}):
 * rename message to {@code incoming/.<qid>.part}; append COMPLETED; ONE round forces the journal,
 * incoming/ and {@code <h>}; rename the part file to {@code <qid>} without a force; notify. The
 * entry gets its visible name only after COMPLETED is durable, so neither the listener nor the
 * queue manager's periodic scan can deliver and delete it while the tombstone could still be lost.
 * {@code state()}, {@code begin()}, {@code resume()}, {@code delete()} and the reaper wait for a
 * key's background steps; if those failed the inspector finishes them first. The journal stays
 * as the tombstone that makes a resent final dot idempotent, until {@code delete()} or retention.
 * <br>States a crash can leave after the commit round, and what recovery does (same code as the
 * background steps, each skipped when already done): (1) complete message in {@code <h>}, no
 * COMPLETED: publish it. (2) part file in incoming/, COMPLETED or not: publish (append COMPLETED
 * if missing). (3) COMPLETED durable but the rename to the part file lost: publish. (4) entry
 * {@code <qid>} in any state dir without COMPLETED (the rename reached the disk, COMPLETED did not;
 * or recovery's part pass published it): append COMPLETED. (5) COMPLETED, no message, no entry:
 * completed and already delivered.
 * <br>Group commit: the committer drains all pending requests, forces the batch's distinct files
 * and distinct directories, each once for the batch, all concurrently (a pool of at most 8 threads,
 * {@link ParallelForces}: ext4 joins concurrent fsyncs into one journal commit), waits for all, then
 * completes the batch on the committer thread. Inside one request the order of its forces does not
 * matter: nothing is promised until all are done, and every protocol above already treats a durable
 * name with torn contents (a crash mid-round) as never written ({@link Committer}). A failed force
 * fails exactly the requests that named that file or directory.
 * Steps that follow a force run as callbacks on the committer thread and must not block.
 *
 * <h2>Transactions that never reach a checkpoint</h2>
 * Most TRANSID messages are small and end before the policy's first checkpoint. Such a transaction
 * is written as a tagged part file ({@code incoming/.<qid>.part} with a TRANSACTION record) and
 * committed exactly as a plain message: one round forces the file and incoming/, the rename makes it
 * visible. Its queue entry is then its completion record: {@link QueuedCompletions} remembers key to
 * queue id (plus what a tombstone needs) in memory, learns of it before the rename, answers
 * {@code state()} with Completed, and is rebuilt at start-up from the tags of all valid entries
 * whose key has no journal. Why: the journal layout costs a key directory, a journal created and
 * forced, and a second round to move the message and force COMPLETED: about five fsyncs per message
 * against one, which made TRANSID 16-40% slower than plain mail for 1 KiB messages (bench/README).
 * <br>The rule that keeps exactly once: a remembered completion's file never goes before a durable
 * tombstone replaces it. {@code remove()} (delivered, bounced or deleted by the operator) first asks
 * the index; a key that {@code delete()} already forgot (the client showed it saw the 250) leaves as
 * any entry. If the entry is still the remembered completion of its key, it is renamed to
 * {@code queue/done/<qid>} instead, forcing both directories and incoming/ in one round, the same
 * cost as a removal (a failure leaves it queued and remembered); no scanner looks in done/. The
 * client's next MAIL, RSET or QUIT ({@code delete()}) then deletes the done file, unforced (one a
 * crash brings back is remembered again: harmless, as in the next section). Why not a tombstone at
 * once: with fast local delivery the queue manager usually removes the entry before the client's
 * next command arrives, and a tombstone costs a key directory, a journal and their forces, the very
 * cost this path avoids (measured: a quarter of the server's CPU). The reaper ({@link DoneSweeper})
 * gives a done file whose client has not come back within a minute a tombstone: {@link Tombstones}
 * writes {@code <h>/journal} with OPEN and COMPLETED (times from the commit, so retention counts
 * from there), forces it with {@code <h>} and {@code checkpoints/}, and only then deletes the file;
 * past retention it just deletes it; a done file nobody remembers goes. Meanwhile the key's
 * {@code state()}, {@code begin()} and {@code delete()} wait, and the reaper's judgment of the
 * key's directory runs under the same lock. No retention applies while the entry is queued; the
 * index holds one small record per remembered entry; done/ holds at most the last message of each
 * session that ended without QUIT, for a reaper interval plus a minute.
 * <br>The first checkpoint (or a suspend) moves the transfer into the journal layout: rename the
 * part file to {@code <h>/message}, create the journal, and one round forces the message, journal,
 * {@code <h>}, {@code checkpoints/} and incoming/. A crash before that round leaves an unfinished
 * part file or a {@code <h>} without journal, both deleted at start-up: no offset was promised yet.
 * The tag stays in the header, so a checkpointed message's entry carries it too, but its key has a
 * journal, which speaks for it. A key reused for a second transaction (RFC 1845 forbids it) is
 * remembered with the later queue id.
 *
 * <h2>Deleting a key's state</h2>
 * {@code CheckpointLease.delete()} (after its background publish steps) forgets a queued
 * completion, recycles the journal, any message and the {@code <h>} directory and forces nothing. The server deletes only once the client
 * has shown it saw the outcome (a new MAIL, RSET or QUIT), so a state a crash brings back is
 * harmless: whole (the renames undone), it answers a resend of that TRANSID as it would have before
 * and expires by retention; with its journal already emptied, it is "no journal" and removed at
 * start-up. (Forcing {@code checkpoints/} cost a committer round per transaction, and one more
 * before every QUIT's 221.)
 *
 * <h2>Queue states (Postfix's directories with fixed meanings)</h2>
 * An entry file is written once and never changed; it only moves between the state directories by
 * rename(2) followed by forcing both directories, with one exception: the queue manager's claim of a
 * new entry (incoming to active, for its first attempt) is a rename without a force. Every attempt
 * ends in a removal or a forced move, and a removal forces the entry's directory and incoming/ in
 * one round, so once a delivered entry is removed none of its names (part file, incoming, active)
 * can come back; a crash before that leaves it under one of them and it is attempted again, the
 * window every MTA has between a delivery and the removal that records it. (Forcing the claim as
 * well cost a second committer round, with its thread hand-offs, per delivered message.) Its
 * delivery status lives beside it in
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
 *       corrupt/. Delete status files whose entry is gone. After the checkpoint directories (next
 *       item): a tagged entry whose key has no journal is a remembered completion again; so is
 *       a valid file in {@code queue/done/}, which is deleted instead when its key has a journal.
 *   <li>Per checkpoint dir: no journal, or one without a whole first record: delete (no offset was
 *       ever promised). Any other invalid journal record: quarantine the whole dir, never resume it.
 *       Exception: a record cut short at the end of the journal is a torn append that was never
 *       forced; it is truncated away (everything before it stands, and every decision still rests
 *       only on forced records). Then, in this order: entry {@code <qid>} in a state dir: completed
 *       (append COMPLETED if missing). Part file {@code incoming/.<qid>.part}, or a complete message
 *       file: completed, publish it (states 1-3 above). COMPLETED present: completed. Else the
 *       message file exists with at least the promised bytes: interrupted at the last PROGRESS
 *       (truncated at resume, not at open). Else: delete if no PROGRESS was ever durable (nothing was
 *       promised; see "Known windows"), quarantine if one was. (Recovery's part pass runs first, so
 *       at open a checkpointed part file is already an entry and takes rule (4).)
 * </ol>
 * {@code CheckpointLease.state()} applies the same rules ({@link CheckpointInspector}), so a
 * commit whose background steps failed is also seen as completed, and queued, without a restart.
 *
 * <h2>Known windows</h2>
 * A plain commit whose force round fails (or a crash after the round, before the 250) reports
 * failure although the part file may survive complete (the RFC 1047 duplicate window); recovery
 * keeps it as a valid entry. A rename that fails after the round leaves an acknowledged part file
 * invisible until the next start (logged). A checkpointed commit whose round fails (no 250) may
 * still leave a complete message: the same window; a resend of that TRANSID gets 355 total and 250.
 * Residual: a crash (not a suspend) mid-transfer can leave a message file whose last bytes, sent by
 * the client, parse as a valid trailer; it would count as completed with the client's own bytes.
 * A journal whose OPEN is durable but whose message is not (a crash inside the first checkpoint's
 * round, which forces both together; or a file system that reorders metadata) promised nothing: it
 * is deleted like a transfer without a journal. Once a PROGRESS is durable its data was forced
 * before it, so a missing or short message then means damage: quarantined. {@code PowerLossTest}
 * replays every step of the commit protocols as the last one before a power loss (only forced state
 * survives) and checks these rules.
 */
package dev.relaypoint.store.internal;
