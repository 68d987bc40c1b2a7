import { verifyAuditChain } from '../audit/verify'
import { EXIT_OK, EXIT_PROBLEM, type Command } from './command'
import { withStore } from './with-store'

export const auditVerifyCommand: Command = {
  name: 'audit:verify',
  summary: 'check that the audit trail is complete and unaltered (exit 1 if not)',
  run(_args, io) {
    return withStore(io, async (store) => {
      const result = await verifyAuditChain(store)
      if (!result.ok) {
        io.out(`audit chain BROKEN at entry #${result.seq}: ${result.reason}`)
        return EXIT_PROBLEM
      }
      io.out(`audit chain OK: ${result.count} entries`)
      if (result.count > 0) {
        // Kept outside the database (a report, an auditor's note), it shows a cut-off tail later.
        io.out(`last hash: ${result.lastHash}`)
      } else {
        // An empty trail is more often a wrong DATA_DIR or MONGODB_URI than a new installation.
        io.err(
          'note: the audit trail is empty; check that DATA_DIR / MONGODB_URI point at the data'
        )
      }
      return EXIT_OK
    })
  },
}
