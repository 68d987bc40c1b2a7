// What both engines' migration runners share: which steps of an append-only, numbered list a
// database still needs, given the versions it has recorded. The steps themselves live with each
// engine (src/store/sqlite/migrations.ts, src/store/mongo/migrations.ts); the runners take each
// engine's own lock so that, of several instances starting at once, one migrates and the others
// wait (docs/architecture.md "Storage").

export interface Step {
  version: number
  name: string
}

export interface MigrateOptions {
  /** Stop after this version (tests build an old schema with it); default: the newest. */
  to?: number
}

/** Throws when the list is not strictly increasing from 1 (a renumbering mistake at merge). */
export function checkOrder(steps: readonly Step[]): void {
  steps.forEach((s, i) => {
    if (s.version !== i + 1) {
      throw new Error(`migration "${s.name}" has version ${s.version}, expected ${i + 1}`)
    }
  })
}

/**
 * The steps still to apply, in order. Refuses a database that records a version this build
 * does not know: it was written by newer code, and older code must not write into it.
 */
export function pendingSteps<S extends Step>(
  steps: readonly S[],
  applied: readonly number[],
  opts: MigrateOptions = {}
): S[] {
  checkOrder(steps)
  const newest = steps.at(-1)?.version ?? 0
  const highest = Math.max(0, ...applied)
  if (highest > newest) {
    throw new Error(
      `database schema version ${highest} is newer than this build knows (${newest}); refusing to open`
    )
  }
  const done = new Set(applied)
  const to = opts.to ?? newest
  return steps.filter((s) => s.version <= to && !done.has(s.version))
}
