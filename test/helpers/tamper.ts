// A hostile server, played on the test database directly: what it can do without any key.
import { join } from 'node:path'
import Database from 'better-sqlite3'

/** Deletes the items after `keep` and lowers the case's lastSeq to match, as if never written. */
export function cutThreadTail(dir: string, caseId: string, keep: number): void {
  const db = new Database(join(dir, 'portal.sqlite'))
  try {
    db.prepare('DELETE FROM case_items WHERE case_id = ? AND seq > ?').run(caseId, keep)
    db.prepare('UPDATE cases SET last_seq = ? WHERE id = ?').run(keep, caseId)
  } finally {
    db.close()
  }
}
