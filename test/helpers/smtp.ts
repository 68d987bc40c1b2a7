// A local SMTP server (smtp-server + mailparser) that keeps every message it accepts.
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface Smtp {
  port: number
  inbox: ParsedMail[]
  close(): Promise<void>
}

/** Listens on `port` (0: any free one), so a test can stop and restart it on the same port. */
export async function startSmtp(port = 0, inbox: ParsedMail[] = []): Promise<Smtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => {
        inbox.push(mail)
        done()
      }, done)
    },
  })
  await new Promise<void>((ok, fail) => {
    server.server.once('error', fail)
    server.listen(port, '127.0.0.1', () => ok())
  })
  return {
    port: (server.server.address() as AddressInfo).port,
    inbox,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}
