// A TCP proxy between the app and its database, for fault tests: `cut()` drops every connection
// and refuses new ones (a pulled cable), `restore()` lets them through again, and `cutAfterReply`
// cuts the moment the server has answered a request carrying given bytes (a precise mid-write cut).
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface TcpProxy {
  port: number
  /** Connections accepted since the start (the app reconnecting shows here). */
  readonly accepted: number
  readonly down: boolean
  cut(): void
  restore(): void
  /** Cuts right after the server's reply to the first client message containing every marker. */
  cutAfterReply(markers: string[]): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>()
  let down = false
  let accepted = 0
  let trigger: { markers: Buffer[]; fired: () => void } | undefined

  const cut = () => {
    down = true
    for (const [a, b] of pairs) {
      a.destroy()
      b.destroy()
    }
    pairs.clear()
  }

  const server: Server = createServer((client) => {
    if (down) return void client.destroy()
    accepted++
    const upstream = connect(target.port, target.host)
    const pair: [Socket, Socket] = [client, upstream]
    pairs.add(pair)
    let armed = false
    client.on('data', (chunk: Buffer) => {
      if (trigger && trigger.markers.every((m) => chunk.includes(m))) armed = true
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk, () => {
        if (!armed || !trigger) return
        const fired = trigger.fired
        trigger = undefined
        cut()
        fired()
      })
    })
    const end = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as { port: number }).port

  return {
    port,
    get accepted() {
      return accepted
    },
    get down() {
      return down
    },
    cut,
    restore() {
      down = false
    },
    cutAfterReply(markers) {
      return new Promise((fired) => {
        trigger = { markers: markers.map((m) => Buffer.from(m)), fired }
      })
    },
    async close() {
      cut()
      await new Promise<void>((ok) => server.close(() => ok()))
    },
  }
}

/** The URI of `uri` rewritten to go through the proxy. */
export function viaProxy(uri: string, proxy: TcpProxy): string {
  const u = new URL(uri)
  u.hostname = '127.0.0.1'
  u.port = String(proxy.port)
  return u.toString()
}
