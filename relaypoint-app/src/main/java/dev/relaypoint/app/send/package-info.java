/**
 * {@code relaypoint send}: the command line face of the resumable client. The state directory is always
 * on (default {@code ~/.local/state/relaypoint/send}), because resuming after a kill is the point; standard
 * input is spooled there first since a resumable message must be re-readable. The progress bar appears
 * only on a terminal; exit codes are in {@link dev.relaypoint.app.send.SendExitCodes}.
 */
package dev.relaypoint.app.send;
