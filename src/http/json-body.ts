// One JSON-body reader and one body-size policy for every JSON route: each route names its limit,
// and over it the answer is the same 413 everywhere; a body that is not JSON reads as undefined.
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'

export const TOO_LARGE = { error: 'too-large', message: 'Request too large' } as const

/** Refuses a body over `maxSize` bytes with 413 TOO_LARGE, before anything reads it. */
export function jsonBodyLimit(maxSize: number) {
  return bodyLimit({ maxSize, onError: (c) => c.json(TOO_LARGE, 413) })
}

/** The parsed JSON body; undefined without a JSON Content-Type or when it does not parse. */
export async function readJson(c: Context): Promise<unknown> {
  if (!(c.req.header('Content-Type') ?? '').startsWith('application/json')) return undefined
  try {
    return (await c.req.json()) as unknown
  } catch {
    return undefined
  }
}

/** The JSON body when it is an object (not an array), else null. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown> | null> {
  const body = await readJson(c)
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : null
}
