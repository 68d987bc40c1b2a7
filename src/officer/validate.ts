// The shapes the officer's browser posts to src/routes/officer-api.ts, as zod schemas checked at
// the boundary (the wire types in ./api.ts are inferred from them). Strict: a key outside the
// contract could only be a plaintext leak, and is refused as one (src/http/validate.ts).
import { z } from 'zod'
import { INTAKE_CHANNELS } from '../domain/vocab'
import { isId } from '../report/ids'
import { b64, id, key32, reporterKeys, sealedKey } from '../report/requests'

const ACCOUNT_ID = /^[A-Za-z0-9_.@-]{1,100}$/
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

export const accountId = z.string().regex(ACCOUNT_ID)

/** POST /officer/api/cases/:caseId/items. */
export const officerItemRequest = z.strictObject({
  itemId: id,
  seq: z.number().int().min(2).lt(1_000_000),
  kind: z.enum(['message', 'note', 'attachment']),
  sealed: b64(),
  /** Blobs the item's manifest refers to (must be complete uploads of this case). */
  blobIds: z.array(id).min(1).max(50).optional(),
})

/** POST /officer/api/cases/:caseId/note-key. */
export const noteKeyRequest = z.strictObject({
  notePublicKey: key32,
  /** seal(noteSecretKey, officer box key) for every officer holding a grant on the case. */
  grants: z
    .array(z.strictObject({ officerId: accountId, sealedNoteKey: sealedKey }))
    .min(1)
    .max(100),
})

/** POST /officer/api/cases/:caseId/grants. */
export const grantRequest = z.strictObject({
  granteeId: accountId,
  sealedKey,
  sealedNoteKey: sealedKey.optional(),
})

/** GET /officer/api/handover?from=&to=&after=. */
export const handoverQuery = z.object({
  from: accountId,
  to: accountId,
  after: z
    .union([z.literal(''), id])
    .optional()
    .transform((v) => v || undefined),
})

/** POST /officer/api/handover. */
export const handoverRequest = z
  .strictObject({
    from: accountId,
    to: accountId,
    /** Also revoke the leaver's grant on each case re-granted here. */
    revokeFrom: z.boolean(),
    grants: z
      .array(z.strictObject({ caseId: id, sealedKey, sealedNoteKey: sealedKey.optional() }))
      .max(100),
  })
  .refine((b) => b.from !== b.to, 'from and to are the same officer')

/** GET /officer/api/titles?ids=a,b,c: the ids that are ids (the rest are dropped). */
export const titlesQuery = z.object({
  ids: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').filter(isId)),
})

/** POST /officer/api/intake: a report received by phone, paper, in person…, sealed in the browser. */
export const intakeRequest = z.strictObject({
  v: z.literal(1),
  caseId: id,
  channel: z.enum(INTAKE_CHANNELS),
  anonymity: z.enum(['anonymous', 'confidential']),
  /** When the report reached the council (for nazk-portal: entered into the portal), ISO 8601. */
  receivedAt: z
    .string()
    .regex(ISO_INSTANT)
    .refine((v) => !Number.isNaN(Date.parse(v)), 'a date'),
  casePublicKey: key32,
  grants: z
    .array(
      z
        .strictObject({
          granteeKind: z.enum(['officer', 'reporter']),
          granteeId: z.string(),
          sealedKey,
        })
        .refine((g) =>
          g.granteeKind === 'officer' ? ACCOUNT_ID.test(g.granteeId) : g.granteeId === 'reporter'
        )
    )
    .min(1)
    .max(101),
  answers: z.strictObject({ itemId: id, sealed: b64() }),
  reporter: reporterKeys.optional(),
})
