// The reporter API client waits out a short 429 by itself, as the server's Retry-After asks.
import { describe, expect, it } from 'vitest'
import { ApiFailure, createApi, type FetchLike } from '../../../src/browser/http'

/** Answers in turn with the given statuses and Retry-After values; records what it was sent. */
function scripted(answers: [number, string?][]) {
  const sent: string[] = []
  const fetchFn: FetchLike = (_path, init) => {
    sent.push(typeof init?.body === 'string' ? init.body : '')
    const [status, retryAfter] = answers[Math.min(sent.length, answers.length) - 1]!
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (retryAfter) headers['Retry-After'] = retryAfter
    const body = status === 200 ? { ok: true } : { error: 'slow-down', message: 'wait' }
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers }))
  }
  const slept: number[] = []
  const sleep = (ms: number) => Promise.resolve(void slept.push(ms))
  return { api: createApi(fetchFn, sleep), sent, slept }
}

describe('reporter API client and Retry-After', () => {
  it('waits as asked and sends the same request again', async () => {
    const { api, sent, slept } = scripted([[429, '2'], [429, '1'], [200]])
    expect(await api.json('POST', '/api/status/login', { authKey: 'k' })).toEqual({ ok: true })
    expect(slept).toEqual([2000, 1000])
    expect(sent).toEqual(Array(3).fill(JSON.stringify({ authKey: 'k' })))
  })

  it('gives up after three waits and reports the 429', async () => {
    const { api, sent, slept } = scripted([[429, '1']])
    const err = await api.json('POST', '/api/report', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiFailure)
    expect((err as ApiFailure).status).toBe(429)
    expect(sent).toHaveLength(4)
    expect(slept).toEqual([1000, 1000, 1000])
  })

  it('does not wait for long or missing Retry-After values', async () => {
    for (const retryAfter of ['60', undefined, 'soon']) {
      const { api, sent, slept } = scripted([[429, retryAfter]])
      await expect(api.json('POST', '/api/status/login', {})).rejects.toMatchObject({ status: 429 })
      expect(sent).toHaveLength(1)
      expect(slept).toEqual([])
    }
  })
})

describe('reporter API client and proof of work', () => {
  it('sends a fresh proof with every attempt, as each is taken once', async () => {
    const headers: (string | null)[] = []
    const fetchFn: FetchLike = (_path, init) => {
      headers.push(new Headers(init?.headers).get('X-Proof-Of-Work'))
      const status = headers.length === 1 ? 429 : 200
      return Promise.resolve(
        new Response(JSON.stringify({ ok: status === 200 }), {
          status,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
        })
      )
    }
    let n = 0
    const api = createApi(fetchFn, () => Promise.resolve())
    await api.json('POST', '/api/report', {}, { work: () => Promise.resolve(`proof-${++n}`) })
    expect(headers).toEqual(['proof-1', 'proof-2'])
  })

  it('sends no header when the server asks for no work', async () => {
    let sent: string | null = 'unset'
    const fetchFn: FetchLike = (_path, init) => {
      sent = new Headers(init?.headers).get('X-Proof-Of-Work')
      return Promise.resolve(new Response('{}', { status: 200 }))
    }
    await createApi(fetchFn).json(
      'POST',
      '/api/report',
      {},
      { work: () => Promise.resolve(undefined) }
    )
    expect(sent).toBeNull()
  })
})
