// `portal retention --dry-run | --apply | --holds`: what the retention rules delete
// (docs/retention.md). --dry-run lists the cases due and writes nothing; --apply deletes them
// as the daily job does, and is safe beside running servers (each case is claimed in the store).
import { randomBytes } from 'node:crypto'
import { createAuditLog } from '../audit'
import { systemClock } from '../deps'
import { deletionDay } from '../domain/retention'
import { createRetentionService, type RetentionMode } from '../retention/service'
import { EXIT_OK, EXIT_UNUSABLE, type Command } from './command'
import { withStore } from './with-store'

const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) }
const MODES: Record<string, RetentionMode | 'holds'> = {
  '--dry-run': 'dry-run',
  '--apply': 'apply',
  '--holds': 'holds',
}

export const retentionCommand: Command = {
  name: 'retention',
  usage: '--dry-run | --apply | --holds',
  summary:
    'list (--dry-run) or delete (--apply) cases past their retention term; --holds lists holds',
  run(args, io) {
    const mode = args.length === 1 ? MODES[args[0] ?? ''] : undefined
    if (!mode) {
      io.err(`portal: usage: portal retention ${retentionCommand.usage}`)
      return Promise.resolve(EXIT_UNUSABLE)
    }
    return withStore(io, async (store, config) => {
      if (mode === 'holds') {
        const holds = await store.retention.listHolds()
        for (const h of holds) {
          io.out(`${h.caseId}\tset ${deletionDay(h.setAt)} by ${h.setBy}\t${h.reason}`)
        }
        io.out(`${holds.length} case(s) under a legal hold`)
        return EXIT_OK
      }
      const service = createRetentionService({
        store,
        audit: createAuditLog({ store, clock: systemClock }),
        clock: systemClock,
        random,
        config,
      })
      const r = await service.run(mode)
      for (const l of r.lines) {
        const name = l.registrationNo ?? l.caseId
        io.out(`${l.action}\t${name}\t${l.key || '-'}\tdue ${l.deleteOn}`)
      }
      const verb = mode === 'apply' ? 'deleted' : 'would delete'
      io.out(
        `${verb} ${r.deleted} case(s); held ${r.held}; busy ${r.busy}` +
          (mode === 'apply' ? `; finished ${r.finished} interrupted` : '') +
          (mode === 'dry-run' ? ' (dry run: nothing written)' : '')
      )
      return EXIT_OK
    })
  },
}
