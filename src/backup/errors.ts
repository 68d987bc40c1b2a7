// What can be wrong with a backup or a restore, each with a stable code (tests and the CLI tell
// them apart) and a message an operator can act on.
export type BackupErrorCode =
  /** The file is not a portal backup at all (no magic line). */
  | 'not-a-backup'
  /** The secret key does not open this backup: it was made for another BACKUP_PUBLIC_KEY. */
  | 'wrong-key'
  /** A chunk or record was altered, reordered or does not add up. */
  | 'damaged'
  /** The file ends early (cut off in transfer, or the backup never finished). */
  | 'truncated'
  /** A version or engine this build does not know. */
  | 'unsupported'
  /** A backup of one engine offered to a store of the other. */
  | 'wrong-engine'
  /** The store already holds data and --force was not given. */
  | 'not-empty'

export class BackupError extends Error {
  override readonly name = 'BackupError'
  constructor(
    readonly code: BackupErrorCode,
    message: string
  ) {
    super(message)
  }
}
