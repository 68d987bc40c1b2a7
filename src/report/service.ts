// The reporter's side of a case: submitting (sealed in the browser, or sealed here in memory
// on the no-JavaScript path), coming back with the receipt, reading and adding to the thread.
// The server never keeps a plaintext or a key it could use: on the no-JS path the case key
// lives only inside a session blob encrypted under a key that only the reporter's cookie holds.
import { createAttachmentEncryptor, type AttachmentManifest } from '../../crypto/attachment'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import {
  FIRST_PREV,
  itemHash,
  openItem,
  sealItem,
  verifyThread,
  type Envelope,
  type ThreadHead,
  type ThreadReport,
} from '../../crypto/item'
import {
  caseKeyPairFromSecret,
  generateCaseKeyPair,
  grantCaseKey,
  openGrant,
} from '../../crypto/keys'
import {
  deriveReceiptKeys,
  generateReceipt,
  receiptLookup,
  wipeReceiptKeys,
  type ReceiptKeys,
  type ReceiptKind,
  type ReceiptWordList,
} from '../../crypto/receipt'
import type { Config } from '../config'
import type { Clock, Random } from '../deps'
import type { Secrets } from '../secrets'
import {
  DuplicateError,
  type CaseItem,
  type CaseRecord,
  type Session,
  type Store,
} from '../store/types'
import type { Logger } from 'pino'
import type {
  AddItemRequest,
  ApiError,
  CaseView,
  ItemView,
  ReporterPageConfig,
  SubmitReportRequest,
  SubmitReportResponse,
} from './api'
import { createFormTokens } from './form-token'
import { openSessionBlob, rememberSessionHead, sealSessionBlob, storedHead } from './chain'
import type { SessionSecrets, UnlockedSession } from './chain'
import { isId, newId, newToken, tokenHash } from './ids'
import { nativeArgon2id } from './native-argon2'
import type { ParsedReport } from './questions'
import { createReceiptGuard } from './receipt-guard'
import type { WorkingCalendar } from '../domain/calendar'
import { startClocks } from '../domain/deadlines'
import { MAX_PIECE_BYTES } from '../lib/upload-limits'
import { officerLifecycleRules } from '../officer/rules'
import { createCertificates, type CertifiedOfficer } from '../staff/certificates'

export const API_SESSION_TTL_MS = 60 * 60 * 1000
export const COOKIE_SESSION_TTL_MS = 60 * 60 * 1000
export const SESSION_IDLE_MS = 20 * 60 * 1000
const FORM_TOKEN_MALFORMED = 'The form token is damaged; reload the page and send again'
const MAX_SEALED_ITEM_BYTES = 2 * 1024 * 1024
const SERVER_PATH_CHUNK = 65536

export type Failure = ApiError & {
  status: 400 | 401 | 404 | 409 | 413 | 429 | 503
  retryAfter?: number
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Failure }

const fail = (
  status: Failure['status'],
  error: Failure['error'],
  message: string,
  extra: Partial<Failure> = {}
): { ok: false; error: Failure } => ({
  ok: false,
  error: { status, error, message, ...extra },
})
const slowDown = (retryAfter: number) =>
  fail(429, 'slow-down', 'Too many attempts; wait a little and try again', { retryAfter })

export type OfficerKey = CertifiedOfficer

export interface ReporterDeps {
  config: Config
  secrets: Secrets
  store: Store
  clock: Clock
  random: Random
  log: Logger
  calendar?: WorkingCalendar | undefined
}

export interface OpenedThreadItem {
  item: CaseItem
  envelope?: Envelope
  verified: boolean
  problem?: string
}

/** Every officer who wrote in the thread (current or former). */
export function officerAuthors(items: CaseItem[]): string[] {
  return [
    ...new Set(
      items.filter((i) => i.authorRole === 'officer' && i.authorId).map((i) => i.authorId!)
    ),
  ]
}

export function createReporterService({
  calendar,
  config,
  secrets,
  store,
  clock,
  random,
  log,
}: ReporterDeps) {
  const guard = createReceiptGuard(store.counters, clock)
  const certificates = createCertificates({ config, store, clock, log })
  // The legal clocks start when the report arrives (DOMAIN.md), on the Ukrainian calendar.
  const rules = officerLifecycleRules(calendar)
  let cachedSalt: Uint8Array | undefined

  async function deploymentSalt(): Promise<Uint8Array> {
    if (cachedSalt) return cachedSalt
    let hex = config.deploymentSalt ?? (await store.settings.get('deploymentSalt'))
    // Every instance must agree on the salt, or receipts made on one would fail on another.
    hex ??= await store.settings.setIfAbsent(
      'deploymentSalt',
      Buffer.from(random.bytes(16)).toString('hex')
    )
    cachedSalt = new Uint8Array(Buffer.from(hex, 'hex'))
    return cachedSalt
  }

  /**
   * Active officers with a valid org-signed certificate for their current keys. Anything else (an
   * invitation link intercepted in the mail, a key written into the database) never becomes a
   * recipient: the reporter's browser verifies each certificate again before sealing.
   */
  const officers = (): Promise<OfficerKey[]> => certificates.recipients()

  // Form tokens: stateless and single-use (src/report/form-token.ts).
  const formTokens = createFormTokens({ secrets, clock, random, tokens: store.tokens })
  const issueFormToken = formTokens.issue
  const consumeFormToken = formTokens.consume

  // The last officer list and salt seen, so the form can still be shown while the store is down.
  let lastGood: { officers: OfficerKey[]; salt: string; orgPublicKey?: string } | undefined

  async function pageConfig(
    lang: 'uk' | 'en',
    withFormToken: boolean
  ): Promise<ReporterPageConfig> {
    try {
      const orgPublicKey = await certificates.orgPublicKey()
      lastGood = {
        officers: await officers(),
        salt: Buffer.from(await deploymentSalt()).toString('hex'),
        ...(orgPublicKey ? { orgPublicKey } : {}),
      }
    } catch (err) {
      if (!lastGood) throw err
    }
    return {
      officers: lastGood.officers,
      ...(lastGood.orgPublicKey ? { orgPublicKey: lastGood.orgPublicKey } : {}),
      deploymentSalt: lastGood.salt,
      maxFileBytes: config.maxFileBytes,
      maxReportBytes: config.maxReportBytes,
      maxPieceBytes: MAX_PIECE_BYTES,
      ...(withFormToken ? { formToken: issueFormToken() } : {}),
      lang,
    }
  }

  const lookupOf = (authKey: Uint8Array) => receiptLookup(secrets.RECEIPT_PEPPER, authKey)

  async function newSession(
    kind: Session['kind'],
    caseId: string,
    data?: Uint8Array,
    ttl = API_SESSION_TTL_MS
  ) {
    const token = newToken(random)
    const now = clock.now()
    await store.sessions.create({
      id: tokenHash(token),
      kind,
      caseId,
      ...(data ? { data } : {}),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ttl),
    })
    return token
  }

  // ------------------------------------------------------------- submitting

  /** The JavaScript path: everything arrives sealed; the server checks shapes and stores. */
  async function submitSealed(body: unknown): Promise<Outcome<SubmitReportResponse>> {
    const parsed = parseSubmitRequest(body)
    if (!parsed.ok) return parsed
    const req = parsed.value
    const officerKeys = await officers()
    if (officerKeys.length === 0) {
      return fail(503, 'no-officer', 'No officer can receive reports yet')
    }

    // The case key must reach every current officer and the reporter, and no one else.
    const officerGrants = req.grants.filter((g) => g.granteeKind === 'officer')
    const wanted = officerKeys.map((o) => o.id).sort()
    const given = officerGrants.map((g) => g.granteeId).sort()
    const reporterGrants = req.grants.filter((g) => g.granteeKind === 'reporter')
    if (reporterGrants.length !== 1 || reporterGrants[0]!.granteeId !== 'reporter') {
      return fail(400, 'bad-request', 'Exactly one reporter grant is required')
    }
    if (req.grants.some((g) => g.granteeKind === 'recovery') || wanted.join() !== given.join()) {
      return fail(
        409,
        'officers-changed',
        'The list of officers changed; reload the page and send again'
      )
    }

    // "Receipt already in use" tells as much as a login: the same guard, budget and delays.
    // Before the form token is spent, so that the browser may send the same request again.
    const lookup = lookupOf(fromBase64(req.reporter.authKey))
    const hold = (await guard.admit()) ?? (await guard.held(lookup))
    if (hold !== null) return slowDown(hold)
    const used = await consumeFormToken(req.formToken)
    if (used === 'malformed') return fail(400, 'bad-request', FORM_TOKEN_MALFORMED)
    if (used !== 'ok') {
      return fail(409, 'form-expired', 'This form was already sent or has expired; reload the page')
    }

    const now = clock.now()
    try {
      await store.cases.create({
        id: req.caseId,
        channel: 'web',
        anonymity: req.anonymity,
        encMode: 'client',
        state: 'received',
        tags: [],
        planItemIds: [],
        casePublicKey: req.casePublicKey,
        reporterBoxPublicKey: req.reporter.boxPublicKey,
        reporterSignPublicKey: req.reporter.signPublicKey,
        receiptLookup: lookup,
        receivedAt: now,
        createdAt: now,
        clocks: startClocks(now, 'web', rules.deadlines, rules.calendar),
      })
    } catch (err) {
      if (err instanceof DuplicateError) {
        await guard.failed(lookup)
        return fail(409, 'duplicate', 'This case id or receipt is already in use')
      }
      throw err
    }
    for (const g of req.grants) {
      await store.grants.put({
        caseId: req.caseId,
        granteeKind: g.granteeKind,
        granteeId: g.granteeId,
        sealedKey: fromBase64(g.sealedKey),
        createdAt: now,
      })
    }
    await store.items.insertAt({
      caseId: req.caseId,
      seq: 1,
      id: req.answers.itemId,
      kind: 'answers',
      authorRole: 'reporter',
      encMode: 'client',
      sealed: fromBase64(req.answers.sealed),
      createdAt: now,
    })
    const token = await newSession('reporter', req.caseId)
    log.info({ encMode: 'client' }, 'report received')
    return { ok: true, value: { caseId: req.caseId, token, lastSeq: 1 } }
  }

  /**
   * The no-JavaScript path: the same formats, sealed here. Receipt keys are derived with the
   * native Argon2id; secrets are wiped after use and the plaintext is never stored or logged.
   */
  async function submitServerSide(
    report: ParsedReport,
    files: File[],
    formToken: string,
    receiptKind: ReceiptKind = 'words',
    wordList: ReceiptWordList = 'en'
  ): Promise<Outcome<{ caseId: string; receipt: string; head: ThreadHead }>> {
    const officerKeys = await officers()
    if (officerKeys.length === 0) {
      return fail(503, 'no-officer', 'No officer can receive reports yet')
    }
    const used = await consumeFormToken(formToken)
    if (used === 'malformed') return fail(400, 'bad-request', FORM_TOKEN_MALFORMED)
    if (used !== 'ok') return fail(409, 'form-expired', 'This form was already sent or has expired')
    const receipt = generateReceipt(receiptKind, undefined, wordList)
    const keys = await deriveReceiptKeys(receipt, await deploymentSalt(), nativeArgon2id)
    const caseKeys = generateCaseKeyPair()
    const caseId = newId(random)
    const now = clock.now()
    try {
      await store.cases.create({
        id: caseId,
        channel: 'web-nojs',
        anonymity: report.anonymity,
        encMode: 'server',
        state: 'received',
        tags: [],
        planItemIds: [],
        casePublicKey: toBase64(caseKeys.publicKey),
        reporterBoxPublicKey: toBase64(keys.box.publicKey),
        reporterSignPublicKey: toBase64(keys.sign.publicKey),
        receiptLookup: lookupOf(keys.authKey),
        receivedAt: now,
        createdAt: now,
        clocks: startClocks(now, 'web-nojs', rules.deadlines, rules.calendar),
      })
      for (const o of officerKeys) {
        await store.grants.put({
          caseId,
          granteeKind: 'officer',
          granteeId: o.id,
          sealedKey: grantCaseKey(caseKeys.secretKey, fromBase64(o.boxPublicKey)),
          createdAt: now,
        })
      }
      await store.grants.put({
        caseId,
        granteeKind: 'reporter',
        granteeId: 'reporter',
        sealedKey: grantCaseKey(caseKeys.secretKey, keys.box.publicKey),
        createdAt: now,
      })
      const body = {
        questionsVersion: 1,
        answers: report.answers,
        ...(report.contact ? { contact: report.contact } : {}),
        attachments: files.length,
      }
      const first = await sealAndInsert(
        caseId,
        1,
        FIRST_PREV,
        'answers',
        body,
        caseKeys.publicKey,
        keys.sign.secretKey,
        'server',
        now
      )
      if (files.length > 0) {
        const manifests = await storeFilesServerSide(caseId, files, now)
        await sealAndInsert(
          caseId,
          2,
          itemHash(first.sealed),
          'attachment',
          { files: manifests },
          caseKeys.publicKey,
          keys.sign.secretKey,
          'server',
          now
        )
      }
    } finally {
      caseKeys.secretKey.fill(0)
      wipeReceiptKeys(keys)
    }
    log.info({ encMode: 'server' }, 'report received')
    return { ok: true, value: { caseId, receipt, head: await storedHead(store, caseId) } }
  }

  async function sealAndInsert(
    caseId: string,
    seq: number,
    prev: string,
    kind: 'answers' | 'message' | 'attachment',
    body: Envelope['body'],
    casePublicKey: Uint8Array,
    signSecretKey: Uint8Array,
    encMode: 'client' | 'server',
    at: Date
  ) {
    const itemId = newId(random)
    const sealed = sealItem(
      {
        caseId,
        itemId,
        seq,
        prev,
        author: { role: 'reporter' },
        createdAt: at.toISOString(),
        type: kind,
        body,
      },
      casePublicKey,
      signSecretKey
    )
    return store.items.insertAt({
      caseId,
      seq,
      id: itemId,
      kind,
      authorRole: 'reporter',
      encMode,
      sealed,
      createdAt: at,
    })
  }

  /** Encrypts uploaded files in 64 KiB frames straight into the blob store. */
  async function storeFilesServerSide(
    caseId: string,
    files: File[],
    at: Date
  ): Promise<AttachmentManifest[]> {
    const manifests: AttachmentManifest[] = []
    for (const file of files) {
      const blobId = newId(random)
      await store.blobs.begin(blobId, caseId, at)
      const enc = createAttachmentEncryptor()
      const data = new Uint8Array(await file.arrayBuffer())
      let offset = 0
      let index = 0
      do {
        const end = Math.min(offset + SERVER_PATH_CHUNK, data.length)
        await store.blobs.putPiece(
          blobId,
          index++,
          enc.encryptChunk(data.subarray(offset, end), end === data.length)
        )
        offset = end
      } while (!enc.finished)
      data.fill(0)
      await store.blobs.complete(blobId, index)
      manifests.push(
        enc.manifest({ name: file.name || 'file', type: file.type || '', ref: blobId })
      )
    }
    return manifests
  }

  // ------------------------------------------------------------- coming back

  /** Shared by both paths, once guard.admit() let the attempt in: lookup of a case by auth key. */
  async function findByAuthKey(authKey: Uint8Array): Promise<Outcome<CaseRecord>> {
    const lookup = lookupOf(authKey)
    const hold = await guard.held(lookup)
    if (hold !== null) return slowDown(hold)
    const found = await store.cases.getByReceiptLookup(lookup)
    if (!found) {
      await guard.failed(lookup)
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    return { ok: true, value: found }
  }

  /** JavaScript path: the browser derived the keys; answer with a bearer token and the sealed thread. */
  async function loginWithAuthKey(body: unknown): Promise<Outcome<CaseView>> {
    const authKey = readKey(body, 'authKey', 32)
    if (!authKey) return fail(400, 'bad-request', 'authKey must be 32 bytes of base64')
    const hold = await guard.admit()
    if (hold !== null) return slowDown(hold)
    const found = await findByAuthKey(authKey)
    if (!found.ok) return found
    const token = await newSession('reporter', found.value.id)
    return { ok: true, value: { token, ...(await caseView(found.value)) } }
  }

  /** No-JS path: derive here, unlock the case key, keep it only sealed under a cookie-held key. */
  async function loginWithReceipt(
    receipt: string
  ): Promise<Outcome<{ cookie: string; caseId: string }>> {
    // Admitted before the costly derivation; malformed receipts count as attempts too.
    const hold = await guard.admit()
    if (hold !== null) return slowDown(hold)
    let keys: ReceiptKeys
    try {
      keys = await deriveReceiptKeys(receipt, await deploymentSalt(), nativeArgon2id)
    } catch {
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    const found = await findByAuthKey(keys.authKey)
    if (!found.ok) {
      wipeReceiptKeys(keys)
      return found
    }
    const grant = await store.grants.get(found.value.id, 'reporter', 'reporter')
    if (!grant) {
      wipeReceiptKeys(keys)
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    const caseSecretKey = openGrant(grant.sealedKey, keys.box.publicKey, keys.box.secretKey)
    const cookieKey = random.bytes(32)
    const secrets = { caseSecretKey, signSecretKey: keys.sign.secretKey }
    const data = sealSessionBlob(random, cookieKey, secrets)
    caseSecretKey.fill(0)
    wipeReceiptKeys(keys)
    const cookie = Buffer.from(cookieKey).toString('base64url')
    cookieKey.fill(0) // from here on it exists only in the reporter's cookie
    const token = await newSession('reporter', found.value.id, data, COOKIE_SESSION_TTL_MS)
    return { ok: true, value: { cookie: `${token}.${cookie}`, caseId: found.value.id } }
  }

  /** Resolves a bearer token (JS path) to its live session, applying the idle timeout. */
  async function sessionForToken(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 200) return null
    const id = tokenHash(token)
    const now = clock.now()
    const s = await store.sessions.get(id, now)
    if (!s || s.kind !== 'reporter' || !s.caseId) return null
    if (now.getTime() - s.lastSeenAt.getTime() > SESSION_IDLE_MS) {
      await store.sessions.delete(id)
      return null
    }
    await store.sessions.touch(id, now)
    return s
  }

  /** Resolves the no-JS cookie to its session and unlocks the case key for this request only. */
  async function unlockCookie(cookie: string | undefined): Promise<UnlockedSession | null> {
    const [token, keyText] = (cookie ?? '').split('.')
    if (!token || !keyText) return null
    const session = await sessionForToken(token)
    if (!session?.data) return null
    const key = new Uint8Array(Buffer.from(keyText, 'base64url'))
    const secrets = key.length === 32 ? openSessionBlob(session.data, key) : null
    return secrets ? { session, secrets, key } : null
  }

  const rememberHead = (unlocked: UnlockedSession, seen: ThreadHead | undefined) =>
    rememberSessionHead(store, random, unlocked, seen)

  async function logout(token: string | undefined) {
    if (token) await store.sessions.delete(tokenHash(token.split('.')[0] ?? ''))
  }

  async function caseView(c: CaseRecord): Promise<CaseView> {
    const grant = await store.grants.get(c.id, 'reporter', 'reporter')
    const all = await store.items.list(c.id)
    const items = all.filter((i) => i.kind !== 'note')
    const signers = await certificates.signerMaterial(officerAuthors(items))
    if (c.unreadForReporter) {
      await store.cases
        .update(c.id, c.version, { unreadForReporter: false }, clock.now())
        .catch(() => undefined)
    }
    return {
      caseId: c.id,
      state: c.state,
      ...(c.outcome ? { outcome: c.outcome } : {}),
      encMode: c.encMode,
      casePublicKey: c.casePublicKey,
      grant: grant ? toBase64(grant.sealedKey) : '',
      ...signers,
      reporterSignPublicKey: c.reporterSignPublicKey ?? '',
      lastSeq: c.lastSeq,
      items: items.map(toItemView),
      internalSeqs: all.filter((i) => i.kind === 'note').map((i) => i.seq),
      internalItems: all
        .filter((i) => i.kind === 'note')
        .map((i) => ({ seq: i.seq, hash: itemHash(i.sealed) })),
    }
  }

  /** No-JS reading: open every item, checking signatures, order, chain and the `seen` head. */
  async function openThread(
    c: CaseRecord,
    caseSecretKey: Uint8Array,
    seen?: ThreadHead
  ): Promise<{ items: OpenedThreadItem[]; gaps: boolean; report: ThreadReport }> {
    const all = await store.items.list(c.id)
    const items = all.filter((i) => i.kind !== 'note')
    // Only keys the org certified for the author at the item's createdAt (crypto/PROTOCOL.md §14).
    const officerKey = certificates.signerLookup(
      await certificates.signerMaterial(officerAuthors(items))
    )
    const casePk = publicOnly(caseKeyPairFromSecret(caseSecretKey))
    const reporterPk = c.reporterSignPublicKey ? fromBase64(c.reporterSignPublicKey) : undefined
    const opened: OpenedThreadItem[] = items.map((item) => {
      try {
        const r = openItem(item.sealed, casePk, caseSecretKey, {
          caseId: c.id,
          seq: item.seq,
          itemId: item.id,
          signerPublicKey: (author, envelope) =>
            author.role === 'reporter' ? reporterPk : officerKey(author, envelope.createdAt),
        })
        return { item, envelope: r.envelope, verified: r.verified }
      } catch (err) {
        return { item, verified: false, problem: (err as { code?: string }).code ?? 'open-failed' }
      }
    })
    // Officers' internal notes share the sequence but are never sent here: count them as present.
    const notes = all
      .filter((i) => i.kind === 'note')
      .map((i) => ({ caseId: c.id, itemId: i.id, seq: i.seq, hash: itemHash(i.sealed) }))
    const links = opened.flatMap((o) =>
      o.envelope ? [{ ...o.envelope, hash: itemHash(o.item.sealed) }] : []
    )
    const thread = [...links, ...notes].sort((x, y) => x.seq - y.seq)
    const report = verifyThread(thread, { minLastSeq: c.lastSeq, ...(seen ? { seen } : {}) })
    return { items: opened, gaps: !report.ok, report }
  }

  /** Adds a sealed item from the JS path after checking its shape and any blobs it names. */
  async function addSealedItem(caseId: string, body: unknown): Promise<Outcome<{ seq: number }>> {
    const req = parseAddItem(body)
    if (!req.ok) return req
    for (const blobId of req.value.blobIds ?? []) {
      const info = await store.blobs.info(blobId)
      if (!info || info.caseId !== caseId || !info.complete) {
        return fail(400, 'incomplete', `Upload ${blobId} is not complete`)
      }
    }
    try {
      await store.items.insertAt({
        caseId,
        seq: req.value.seq,
        id: req.value.itemId,
        kind: req.value.kind,
        authorRole: 'reporter',
        encMode: 'client',
        sealed: fromBase64(req.value.sealed),
        createdAt: clock.now(),
      })
    } catch (err) {
      if (err instanceof DuplicateError) {
        const c = await store.cases.get(caseId)
        return fail(409, 'seq-taken', 'Someone else wrote first; seal again with the next number', {
          lastSeq: c?.lastSeq ?? 0,
        })
      }
      throw err
    }
    return { ok: true, value: { seq: req.value.seq } }
  }

  /** No-JS follow-up: seal a message (and files) here with the session's unlocked keys. */
  async function addServerSideMessage(
    c: CaseRecord,
    unlocked: SessionSecrets,
    text: string,
    files: File[]
  ): Promise<void> {
    const now = clock.now()
    const casePk = publicOnly(caseKeyPairFromSecret(unlocked.caseSecretKey))
    const manifests = files.length > 0 ? await storeFilesServerSide(c.id, files, now) : []
    // Retry on a sequence race with an officer writing at the same moment: re-read the head.
    const write = async (kind: 'message' | 'attachment', body: Envelope['body']) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const head = await storedHead(store, c.id)
        try {
          return await sealAndInsert(
            c.id,
            head.seq + 1,
            head.hash,
            kind,
            body,
            casePk,
            unlocked.signSecretKey,
            'server',
            now
          )
        } catch (err) {
          if (!(err instanceof DuplicateError)) throw err
        }
      }
      throw new Error('could not find a free sequence number')
    }
    if (text) await write('message', { text })
    if (manifests.length > 0) await write('attachment', { files: manifests })
  }

  return {
    officers,
    orgFingerprints: certificates.fingerprints,
    anchoredOrgFingerprints: certificates.anchoredFingerprints,
    pageConfig,
    issueFormToken,
    deploymentSalt,
    submitSealed,
    submitServerSide,
    loginWithAuthKey,
    loginWithReceipt,
    sessionForToken,
    unlockCookie,
    rememberHead,
    logout,
    caseView,
    openThread,
    addSealedItem,
    addServerSideMessage,
  }
}

export type ReporterService = ReturnType<typeof createReporterService>

// ------------------------------------------------------------- request shapes

const B64 = /^[A-Za-z0-9+/]+={0,2}$/

function readKey(body: unknown, field: string, length: number): Uint8Array | null {
  const v = (body as Record<string, unknown> | null)?.[field]
  if (typeof v !== 'string' || !B64.test(v)) return null
  const bytes = fromBase64(v)
  return bytes.length === length ? bytes : null
}

function exactKeys(obj: unknown, allowed: string[]): obj is Record<string, unknown> {
  return (
    typeof obj === 'object' &&
    obj !== null &&
    !Array.isArray(obj) &&
    Object.keys(obj).every((k) => allowed.includes(k))
  )
}

const isB64 = (v: unknown, max = MAX_SEALED_ITEM_BYTES * 2): v is string =>
  typeof v === 'string' && v.length <= max && B64.test(v)
const isKey32 = (v: unknown) => isB64(v, 64) && fromBase64(v).length === 32

/**
 * Strict: any field not in the contract is refused as a possible plaintext leak (a form
 * field like `q_what` or `answers` in the clear must never be accepted on this path).
 */
export function parseSubmitRequest(body: unknown): Outcome<SubmitReportRequest> {
  const top = [
    'v',
    'encMode',
    'formToken',
    'caseId',
    'anonymity',
    'casePublicKey',
    'reporter',
    'grants',
    'answers',
  ]
  if (!exactKeys(body, top)) {
    return fail(
      400,
      'plaintext-field',
      'The request carries fields that are not allowed on the encrypted path'
    )
  }
  const b = body
  if (
    !exactKeys(b.reporter, ['boxPublicKey', 'signPublicKey', 'authKey']) ||
    !exactKeys(b.answers, ['itemId', 'sealed'])
  ) {
    return fail(
      400,
      'plaintext-field',
      'The request carries fields that are not allowed on the encrypted path'
    )
  }
  if (
    !Array.isArray(b.grants) ||
    !b.grants.every((g) => exactKeys(g, ['granteeKind', 'granteeId', 'sealedKey']))
  ) {
    return fail(
      400,
      'plaintext-field',
      'The request carries fields that are not allowed on the encrypted path'
    )
  }
  const r = b.reporter
  const a = b.answers
  const grants = b.grants
  const ok =
    b.v === 1 &&
    b.encMode === 'client' &&
    typeof b.formToken === 'string' &&
    b.formToken.length <= 100 &&
    isId(b.caseId) &&
    (b.anonymity === 'anonymous' || b.anonymity === 'confidential') &&
    isKey32(b.casePublicKey) &&
    isKey32(r.boxPublicKey) &&
    isKey32(r.signPublicKey) &&
    isKey32(r.authKey) &&
    isId(a.itemId) &&
    isB64(a.sealed) &&
    grants.length >= 2 &&
    grants.length <= 100 &&
    grants.every(
      (g) =>
        (g.granteeKind === 'officer' ||
          g.granteeKind === 'reporter' ||
          g.granteeKind === 'recovery') &&
        typeof g.granteeId === 'string' &&
        g.granteeId.length > 0 &&
        g.granteeId.length <= 100 &&
        isB64(g.sealedKey, 200)
    )
  if (!ok) return fail(400, 'bad-request', 'The encrypted report is malformed')
  return { ok: true, value: body as unknown as SubmitReportRequest }
}

export function parseAddItem(body: unknown): Outcome<AddItemRequest> {
  if (!exactKeys(body, ['itemId', 'seq', 'kind', 'sealed', 'blobIds'])) {
    return fail(
      400,
      'plaintext-field',
      'The request carries fields that are not allowed on the encrypted path'
    )
  }
  const b = body
  const ok =
    isId(b.itemId) &&
    Number.isInteger(b.seq) &&
    (b.seq as number) >= 2 &&
    (b.seq as number) < 1_000_000 &&
    (b.kind === 'message' || b.kind === 'attachment') &&
    isB64(b.sealed) &&
    (b.blobIds === undefined ||
      (Array.isArray(b.blobIds) && b.blobIds.length <= 50 && b.blobIds.every(isId)))
  if (!ok) return fail(400, 'bad-request', 'The encrypted item is malformed')
  return { ok: true, value: b as unknown as AddItemRequest }
}

export function toItemView(i: CaseItem): ItemView {
  return {
    seq: i.seq,
    id: i.id,
    kind: i.kind,
    authorRole: i.authorRole,
    ...(i.authorId ? { authorId: i.authorId } : {}),
    encMode: i.encMode,
    sealed: toBase64(i.sealed),
    createdAt: i.createdAt.toISOString(),
  }
}

export { FORM_TOKEN_TTL_MS, serverMac } from './form-token'

/** The public half of a key pair; the copy of the secret key the pair carries is zeroed. */
function publicOnly(pair: { publicKey: Uint8Array; secretKey: Uint8Array }): Uint8Array {
  pair.secretKey.fill(0)
  return pair.publicKey
}

export { MAX_PIECE_BYTES }
