import nodemailer from 'nodemailer'
import type { Mailer, OutgoingMail } from '../deps'

export class MailNotConfiguredError extends Error {
  override readonly name = 'MailNotConfiguredError'
  constructor() {
    super('SMTP_URL is not set: mail stays in the outbox until it is')
  }
}

/**
 * A mail the outbox hands to a Mailer. `idempotencyKey` (the outbox message id) becomes the
 * Message-ID, so a message sent again after a crash carries the same Message-ID as the first
 * copy, and receiving servers and clients that drop duplicate Message-IDs show it once.
 */
export interface DeliverableMail extends OutgoingMail {
  idempotencyKey?: string | undefined
}

export interface SmtpMailerOptions {
  /**
   * Socket timeouts in ms. The whole SMTP exchange must end well inside the outbox lease
   * (60 s by default): a send still running when the lease ends may be claimed and sent again
   * by another instance.
   */
  connectionTimeoutMs?: number
  greetingTimeoutMs?: number
  socketTimeoutMs?: number
}

/** Sends through SMTP. Messages carry no Reply-To and nothing but the content-free text. */
export function createSmtpMailer(
  smtpUrl: string,
  from: string,
  opts: SmtpMailerOptions = {}
): Mailer {
  // Settings in the URL (?secure=…, ?ignoreTLS=…, credentials) win over these defaults.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: opts.connectionTimeoutMs ?? 10_000,
    greetingTimeout: opts.greetingTimeoutMs ?? 10_000,
    socketTimeout: opts.socketTimeoutMs ?? 20_000,
  })
  const domain = from.slice(from.lastIndexOf('@') + 1).replace(/[>\s]/g, '') || 'localhost'
  return {
    async send(mail: DeliverableMail) {
      const key = mail.idempotencyKey
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(key && /^[A-Za-z0-9._-]{1,100}$/.test(key) ? { messageId: `<${key}@${domain}>` } : {}),
        disableUrlAccess: true,
        disableFileAccess: true,
      })
    },
  }
}

/** Used when no SMTP server is configured: every send fails, so the outbox keeps the message. */
export const unconfiguredMailer: Mailer = {
  send() {
    return Promise.reject(new MailNotConfiguredError())
  },
}
