// The mail templates: every one renders in both languages, says nothing about a case, and
// refuses parameters it cannot use rather than sending something odd.
import { describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../src/config'
import { CLOCK_KINDS } from '../../src/domain/vocab'
import {
  clockGroupOf,
  MAIL_TEMPLATES,
  MailTemplateError,
  renderMail,
  type MailTemplate,
} from '../../src/mail/messages'

const PARAMS: Record<MailTemplate, Record<string, string>> = {
  'case-attention': { publicUrl: 'https://portal.example.org/' },
  'deadline-reminder': {
    publicUrl: 'https://portal.example.org',
    status: 'overdue',
    clockGroup: 'review',
  },
  'daily-digest': {
    publicUrl: 'https://portal.example.org',
    newCases: '2',
    dueSoon: '1',
    breached: '0',
  },
  invitation: {
    inviteUrl: 'https://portal.example.org/invite/tok123',
    expiresOn: '2026-03-09',
    orgName: 'Міська рада',
  },
  'retention-warning': { publicUrl: 'https://portal.example.org', deleteOn: '2031-01-01' },
}

describe('renderMail', () => {
  for (const template of MAIL_TEMPLATES) {
    for (const lang of LANGUAGES) {
      it(`${template} (${lang}) renders a plain subject and body with the footer`, () => {
        const mail = renderMail(template, PARAMS[template], lang)
        expect(mail.subject.length).toBeGreaterThan(5)
        expect(mail.subject).not.toMatch(/[\r\n]/)
        // No case ids, registration numbers or other numbers in any subject.
        expect(mail.subject).not.toMatch(/\d/)
        expect(mail.text).toMatch(lang === 'uk' ? /не відповідайте/ : /do not reply/)
        expect(mail.text).not.toMatch(/undefined|null|\$\{/)
      })
    }
  }

  it('points officers at the officer area of the public URL', () => {
    for (const lang of LANGUAGES) {
      expect(renderMail('case-attention', PARAMS['case-attention'], lang).text).toContain(
        'https://portal.example.org/officer'
      )
    }
    expect(renderMail('case-attention', PARAMS['case-attention'], 'en').subject).toBe(
      'A case needs your attention'
    )
  })

  it('deadline reminders say due soon or overdue, and at most a generic kind of deadline', () => {
    const base = { publicUrl: 'https://p.example' }
    expect(renderMail('deadline-reminder', { ...base, status: 'due-soon' }, 'en').text).toMatch(
      /A deadline in one of your cases is due soon/
    )
    expect(
      renderMail(
        'deadline-reminder',
        { ...base, status: 'overdue', clockGroup: 'forwarding' },
        'en'
      )
    ).toMatchObject({ subject: 'A deadline has passed' })
    expect(
      renderMail('deadline-reminder', { ...base, status: 'overdue', clockGroup: 'reply' }, 'uk')
        .text
    ).toMatch(/Минув строк відповіді викривачеві/)
  })

  it('maps every clock kind to a generic group; forwarding hides why', () => {
    for (const kind of CLOCK_KINDS) expect(clockGroupOf(kind)).toBeDefined()
    expect(clockGroupOf('refer')).toBe('forwarding')
    expect(clockGroupOf('forward-head')).toBe('forwarding')
    expect(clockGroupOf('something-new')).toBeUndefined()
  })

  it('the digest carries counts only', () => {
    const text = renderMail('daily-digest', PARAMS['daily-digest'], 'en').text
    expect(text).toMatch(/New cases yesterday: 2/)
    expect(text).toMatch(/deadline due soon: 1/)
    expect(text).toMatch(/deadline passed: 0/)
  })

  it('the invitation carries its link and expiry', () => {
    const text = renderMail('invitation', PARAMS.invitation, 'uk').text
    expect(text).toContain('https://portal.example.org/invite/tok123')
    expect(text).toContain('2026-03-09')
    expect(text).toContain('(Міська рада)')
  })

  it.each([
    ['no-such-template', {}],
    ['case-attention', {}],
    ['case-attention', { publicUrl: 'javascript:alert(1)' }],
    ['deadline-reminder', { publicUrl: 'https://p.example', status: 'late' }],
    [
      'deadline-reminder',
      { publicUrl: 'https://p.example', status: 'overdue', clockGroup: 'forward-head' },
    ],
    [
      'daily-digest',
      { publicUrl: 'https://p.example', newCases: '-1', dueSoon: '0', breached: '0' },
    ],
    ['invitation', { inviteUrl: 'https://p.example/i/x', orgName: 'Rada\nBcc: x@example.org' }],
    ['invitation', { inviteUrl: 'https://p.example/i/x', expiresOn: 'tomorrow' }],
  ])('refuses %s with %j', (template, params) => {
    expect(() => renderMail(template, params, 'en')).toThrow(MailTemplateError)
  })
})
