import nodemailer from 'nodemailer'
import type { Mailer, OutgoingMail } from '../deps'

export class MailNotConfiguredError extends Error {
  override readonly name = 'MailNotConfiguredError'
  constructor() {
    super('SMTP_URL is not set: mail stays in the outbox until it is')
  }
}

/** Sends through SMTP. Messages carry no Reply-To and nothing but the content-free text. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl)
  return {
    async send(mail: OutgoingMail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, disableUrlAccess: true, disableFileAccess: true })
    },
  }
}

/** Used when no SMTP server is configured: every send fails, so the outbox keeps the message. */
export const unconfiguredMailer: Mailer = {
  send() {
    return Promise.reject(new MailNotConfiguredError())
  },
}
