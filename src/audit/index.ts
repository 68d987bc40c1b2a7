export { canonicalJson } from './canonical'
export {
  AuditInputError,
  auditEntryHash,
  createAuditLog,
  GENESIS_HASH,
  type AuditDetails,
  type AuditLog,
  type AuditLogDeps,
  type AuditRecordInput,
} from './log'
export {
  verifyAuditChain,
  type AuditChainProblem,
  type AuditVerification,
  type VerifyOptions,
} from './verify'
