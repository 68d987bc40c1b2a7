// The reporter's side of a case: submitting (sealed in the browser, or sealed here in memory
// on the no-JavaScript path), coming back with the receipt, reading and adding to the thread.
// The server never keeps a plaintext or a key it could use: on the no-JS path the case key
// lives only inside a session blob encrypted under a key that only the reporter's cookie holds.
import { createHmac, timingSafeEqual } from 'node:crypto'
import nacl from 'tweetnacl'
import { createAttachmentEncryptor, type AttachmentManifest } from '../../crypto/attachment'
import { fromBase64, toBase64 } from '../../crypto/encoding'
import { openItem, sealItem, verifyThread, type Envelope } from '../../crypto/item'
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
  type ReceiptKeys,
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
import { isId, newId, newToken, tokenHash } from './ids'
import { nativeArgon2id } from './native-argon2'
import type { ParsedReport } from './questions'
import type { WorkingCalendar } from '../domain/calendar'
import { startClocks } from '../domain/deadlines'
import { createThrottle, type Limit } from '../http/throttle'
import { MAX_PIECE_BYTES } from '../http/uploads'
import { officerLifecycleRules } from '../officer/rules'
import { createCertificates, type CertifiedOfficer } from '../staff/certificates'

export const FORM_TOKEN_TTL_MS = 4 * 60 * 60 * 1000
export const API_SESSION_TTL_MS = 60 * 60 * 1000
export const COOKIE_SESSION_TTL_MS = 60 * 60 * 1000
export const SESSION_IDLE_MS = 20 * 60 * 1000
const MAX_SEALED_ITEM_BYTES = 2 * 1024 * 1024
const SERVER_PATH_CHUNK = 65536

/** Guessing receipts: a global window and one per lookup value. No IP is ever involved. */
export const LOGIN_LIMITS = {
  global: { key: 'receipt-fail:global', max: 100, windowMs: 60_000 },
  perLookup: (lookup: string): Limit => ({
    key: `receipt-fail:${lookup.slice(0, 32)}`,
    max: 10,
    windowMs: 15 * 60_000,
  }),
}

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

export type OfficerKey = CertifiedOfficer

/** What the no-JS reporter session keeps, encrypted under the cookie-held key. */
interface SessionSecrets {
  caseSecretKey: Uint8Array
  signSecretKey: Uint8Array
}

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
  const throttle = createThrottle(store.counters, clock)
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

  /**
   * Form tokens are stateless (nonce ‖ expiry, MACed with SESSION_SECRET): showing the form
   * writes nothing, so it works while the database is down and page views cannot fill it up.
   * Only a submission records the nonce, once, which makes each form single-use.
   */
  function issueFormToken(): string {
    const body = Buffer.alloc(24)
    Buffer.from(random.bytes(16)).copy(body)
    body.writeBigUInt64BE(BigInt(clock.now().getTime() + FORM_TOKEN_TTL_MS), 16)
    return `${body.toString('base64url')}.${serverMac(secrets.SESSION_SECRET, 'report-form', body.toString('base64url'))}`
  }

  /** True once for a valid, unexpired token; false when forged, expired or already used. */
  async function consumeFormToken(token: string): Promise<boolean> {
    const [body, mac] = token.split('.')
    if (!body || !mac || body.length !== 32) return false
    const expected = serverMac(secrets.SESSION_SECRET, 'report-form', body)
    if (!timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return false
    const expiresAt = Number(Buffer.from(body, 'base64url').readBigUInt64BE(16))
    if (expiresAt <= clock.now().getTime()) return false
    try {
      await store.tokens.issue(tokenHash(body), 'report-form-used', new Date(expiresAt))
      return true
    } catch (err) {
      if (err instanceof DuplicateError) return false
      throw err
    }
  }

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

    if (!(await consumeFormToken(req.formToken))) {
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
        receiptLookup: lookupOf(fromBase64(req.reporter.authKey)),
        receivedAt: now,
        createdAt: now,
        clocks: startClocks(now, 'web', rules.deadlines, rules.calendar),
      })
    } catch (err) {
      if (err instanceof DuplicateError) {
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
    formToken: string
  ): Promise<Outcome<{ caseId: string; receipt: string }>> {
    const officerKeys = await officers()
    if (officerKeys.length === 0) {
      return fail(503, 'no-officer', 'No officer can receive reports yet')
    }
    if (!(await consumeFormToken(formToken))) {
      return fail(409, 'form-expired', 'This form was already sent or has expired')
    }
    const receipt = generateReceipt('words')
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
      await sealAndInsert(
        caseId,
        1,
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
      keys.sign.secretKey.fill(0)
      keys.box.secretKey.fill(0)
    }
    log.info({ encMode: 'server' }, 'report received')
    return { ok: true, value: { caseId, receipt } }
  }

  async function sealAndInsert(
    caseId: string,
    seq: number,
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

  /** Shared by both paths: throttled lookup of a case by receipt auth key. */
  async function findByAuthKey(authKey: Uint8Array): Promise<Outcome<CaseRecord>> {
    const lookup = lookupOf(authKey)
    const perLookup = LOGIN_LIMITS.perLookup(lookup)
    if ((await throttle.isBlocked(LOGIN_LIMITS.global)) || (await throttle.isBlocked(perLookup))) {
      return fail(429, 'slow-down', 'Too many attempts; wait a little and try again', {
        retryAfter: throttle.retryAfter(LOGIN_LIMITS.global),
      })
    }
    const found = await store.cases.getByReceiptLookup(lookup)
    if (!found) {
      await throttle.fail(LOGIN_LIMITS.global)
      await throttle.fail(perLookup)
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    return { ok: true, value: found }
  }

  /** JavaScript path: the browser derived the keys; answer with a bearer token and the sealed thread. */
  async function loginWithAuthKey(body: unknown): Promise<Outcome<CaseView>> {
    const authKey = readKey(body, 'authKey', 32)
    if (!authKey) return fail(400, 'bad-request', 'authKey must be 32 bytes of base64')
    const found = await findByAuthKey(authKey)
    if (!found.ok) return found
    const token = await newSession('reporter', found.value.id)
    return { ok: true, value: { token, ...(await caseView(found.value)) } }
  }

  /** No-JS path: derive here, unlock the case key, keep it only sealed under a cookie-held key. */
  async function loginWithReceipt(
    receipt: string
  ): Promise<Outcome<{ cookie: string; caseId: string }>> {
    let keys: ReceiptKeys
    try {
      keys = await deriveReceiptKeys(receipt, await deploymentSalt(), nativeArgon2id)
    } catch {
      // Malformed receipts count as failures too, and get the same answer.
      await throttle.fail(LOGIN_LIMITS.global)
      return fail(401, 'no-match', 'No case matches this receipt')
    }
    const found = await findByAuthKey(keys.authKey)
    if (!found.ok) return found
    const grant = await store.grants.get(found.value.id, 'reporter', 'reporter')
    if (!grant) return fail(401, 'no-match', 'No case matches this receipt')
    const caseSecretKey = openGrant(grant.sealedKey, keys.box.publicKey, keys.box.secretKey)
    const cookieKey = random.bytes(32)
    const nonce = random.bytes(24)
    const plain = new Uint8Array(96)
    plain.set(caseSecretKey, 0)
    plain.set(keys.sign.secretKey, 32)
    const data = new Uint8Array([...nonce, ...nacl.secretbox(plain, nonce, cookieKey)])
    plain.fill(0)
    caseSecretKey.fill(0)
    keys.sign.secretKey.fill(0)
    keys.box.secretKey.fill(0)
    const token = await newSession('reporter', found.value.id, data, COOKIE_SESSION_TTL_MS)
    return {
      ok: true,
      value: {
        cookie: `${token}.${Buffer.from(cookieKey).toString('base64url')}`,
        caseId: found.value.id,
      },
    }
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
  async function unlockCookie(
    cookie: string | undefined
  ): Promise<{ session: Session; secrets: SessionSecrets } | null> {
    const [token, keyText] = (cookie ?? '').split('.')
    if (!token || !keyText) return null
    const session = await sessionForToken(token)
    if (!session?.data) return null
    const key = new Uint8Array(Buffer.from(keyText, 'base64url'))
    if (key.length !== 32 || session.data.length < 24) return null
    const plain = nacl.secretbox.open(session.data.subarray(24), session.data.subarray(0, 24), key)
    if (!plain || plain.length !== 96) return null
    return {
      session,
      secrets: { caseSecretKey: plain.slice(0, 32), signSecretKey: plain.slice(32) },
    }
  }

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
    }
  }

  /** No-JS reading: open every item with the unlocked case key, checking signatures and order. */
  async function openThread(
    c: CaseRecord,
    caseSecretKey: Uint8Array
  ): Promise<{ items: OpenedThreadItem[]; gaps: boolean }> {
    const all = await store.items.list(c.id)
    const items = all.filter((i) => i.kind !== 'note')
    // Only keys the org certified for the author at the item's createdAt (crypto/PROTOCOL.md §14).
    const officerKey = certificates.signerLookup(
      await certificates.signerMaterial(officerAuthors(items))
    )
    const casePk = caseKeyPairFromSecret(caseSecretKey).publicKey
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
      .map((i) => ({ caseId: c.id, itemId: i.id, seq: i.seq }))
    const seen = [...opened.flatMap((o) => (o.envelope ? [o.envelope] : [])), ...notes].sort(
      (x, y) => x.seq - y.seq
    )
    const report = verifyThread(seen, { minLastSeq: c.lastSeq })
    return { items: opened, gaps: !report.ok }
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
    const casePk = caseKeyPairFromSecret(unlocked.caseSecretKey).publicKey
    const manifests = files.length > 0 ? await storeFilesServerSide(c.id, files, now) : []
    // Retry on a sequence race with an officer writing at the same moment.
    const write = async (kind: 'message' | 'attachment', body: Envelope['body']) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const fresh = await store.cases.get(c.id)
        try {
          return await sealAndInsert(
            c.id,
            (fresh?.lastSeq ?? 0) + 1,
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

/** HMAC helper for values the server derives from its own secrets (form challenges). */
export function serverMac(key: Uint8Array, ...parts: string[]): string {
  const h = createHmac('sha256', key)
  for (const p of parts) h.update(p).update('\0')
  return h.digest('base64url')
}

export { MAX_PIECE_BYTES }
