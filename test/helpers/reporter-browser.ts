// Helpers for driving the reporter's pages in Chromium: capture what the page sends, record the
// upload progress bar, walk the receipt steps, and open the stored ciphertext as an officer.
import type { Page } from 'playwright-core'
import { decryptAttachmentStream, parseManifest } from '../../crypto/attachment'
import type { Store } from '../../src/store/types'

/** Every request body the page sends (fetches from the page and from its workers). */
export function captureBodies(page: Page): { url: string; method: string; body: Buffer }[] {
  const out: { url: string; method: string; body: Buffer }[] = []
  page.on('request', (r) => {
    const body = r.postDataBuffer()
    if (body) out.push({ url: r.url(), method: r.method(), body })
  })
  return out
}

/** Console and page errors, CSP violations in particular. */
export function captureProblems(page: Page): string[] {
  const out: string[] = []
  page.on('pageerror', (e) => out.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) {
      out.push(`console: ${m.text()}`)
    }
  })
  return out
}

/** A tiny JPEG with an EXIF segment holding `secret` (never decoded, only parsed by segment). */
export function jpegWithExif(secret: string): Buffer {
  const seg = (marker: number, payload: Buffer) =>
    Buffer.concat([
      Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 255]),
      payload,
    ])
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, Buffer.from(`Exif\0\0GPS ${secret}`, 'latin1')),
    seg(0xdb, Buffer.alloc(65, 1)),
    Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0]),
    Buffer.from('scan-data', 'latin1'),
    Buffer.from([0xff, 0xd9]),
  ])
}

/**
 * Records every value the upload <progress> bars take, from inside the page (a MutationObserver
 * on the value attribute), so a test can tell that progress was reported while uploading.
 */
export async function recordProgress(
  page: Page
): Promise<() => Promise<{ value: number; max: number }[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __progress: { value: number; max: number }[] }
    w.__progress = []
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target
        if (el instanceof HTMLProgressElement && el.classList.contains('upload-progress')) {
          w.__progress.push({ value: el.value, max: el.max })
        }
      }
    }).observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['value', 'max'],
    })
  })
  return () =>
    page.evaluate(
      () => (window as unknown as { __progress: { value: number; max: number }[] }).__progress
    )
}

/**
 * Reads the receipt off the page and passes the type-back check, by keyboard only (Tab, typing,
 * Enter), starting from the focused step heading; returns the receipt words.
 */
export async function confirmReceipt(
  page: Page,
  opts: { wrongFirst?: boolean } = {}
): Promise<string[]> {
  await page.waitForSelector('.js-receipt li')
  const words = await page.$$eval('.js-receipt li', (lis) => lis.map((li) => li.textContent ?? ''))
  const focused = () =>
    page.evaluate(() => document.activeElement?.id || document.activeElement?.className)
  // Heading → "I have written it down" → Enter.
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.waitForSelector('.js-check')
  if ((await focused()) !== 'js-step-title') throw new Error('focus is not on the new step heading')
  const ids = await page.$$eval('.js-check input', (inputs) => inputs.map((i) => i.id))
  const positions = ids.map((id) => Number(id.replace('js-word-', '')))
  const typeWords = async (values: string[]) => {
    await page.focus('.js-step-title')
    for (const [i, id] of ids.entries()) {
      await page.keyboard.press('Tab')
      if ((await focused()) !== id) throw new Error(`Tab did not reach #${id}`)
      await page.keyboard.press('ControlOrMeta+A')
      await page.keyboard.type(values[i]!)
    }
    await page.keyboard.press('Enter')
  }
  if (opts.wrongFirst) {
    await typeWords(ids.map(() => 'wrong'))
    await page.waitForSelector('.js-check .error:not([hidden])')
  }
  // Case and spaces do not matter.
  await typeWords(positions.map((p) => ` ${words[p - 1]!.toUpperCase()} `))
  return words
}

export async function readBlob(store: Store, blobId: string, manifest: unknown): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const p of decryptAttachmentStream(
    store.blobs.read(blobId),
    parseManifest(manifest)
  )) {
    parts.push(p)
  }
  return Buffer.concat(parts)
}

export function anyContains(bodies: { body: Buffer }[], needle: string | Buffer): boolean {
  const n = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle
  return bodies.some((b) => b.body.includes(n))
}
