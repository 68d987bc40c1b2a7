// `portal admin:setup-link` and `portal admin:invite` as a shell user runs them.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run'
import { openSqliteStore } from '../../src/store/sqlite'
import { run, CLI_JS } from '../helpers/proc'

describe('portal admin commands', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portal-cli-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const portal = async (...args: string[]) => {
    const p = run([CLI_JS, ...args], {
      DATA_DIR: dir,
      PUBLIC_URL: 'https://report.example.org',
    })
    const { code } = await p.exited
    return { code, out: p.stdout(), err: p.stderr() }
  }

  it('prints a setup link while no admin exists, and invitations', async () => {
    // Not a terminal here: the link goes to a file only this user can read, not to stdout.
    const setup = await portal('admin:setup-link')
    expect(setup.code).toBe(0)
    const file = join(dir, 'setup-link.txt')
    expect(setup.out.trim()).toBe(`portal: the setup link is in ${file} (readable by you only)`)
    const link = readFileSync(file, 'utf8').trim()
    expect(link).toMatch(/^https:\/\/report\.example\.org\/staff\/setup\?token=[A-Za-z0-9_-]{43}$/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(setup.out + setup.err).not.toContain(new URL(link).searchParams.get('token')!)
    // On a terminal it is printed once, and nothing is written.
    rmSync(file)
    const lines: string[] = []
    const code = await runCli(['admin:setup-link'], {
      env: { DATA_DIR: dir, PUBLIC_URL: 'https://report.example.org' },
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      isTTY: true,
    })
    expect(code).toBe(0)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^https:\/\/report\.example\.org\/staff\/setup\?token=[A-Za-z0-9_-]{43}$/
    )
    expect(existsSync(file)).toBe(false)

    const invite = await portal(
      'admin:invite',
      '--email',
      'officer@council.example',
      '--name',
      'Olena Petrenko',
      '--roles',
      'officer,management'
    )
    expect(invite.code).toBe(0)
    expect(invite.out.trim()).toMatch(/^https:\/\/report\.example\.org\/staff\/enrol\?token=/)
    const store = await openSqliteStore({ file: join(dir, 'portal.sqlite') })
    try {
      const account = await store.accounts.getByEmail('officer@council.example')
      expect(account).toMatchObject({
        status: 'invited',
        roles: ['officer', 'management'],
        displayName: 'Olena Petrenko',
      })
      // Only the token's hash is kept.
      const token = new URL(invite.out.trim()).searchParams.get('token')!
      expect(JSON.stringify(account)).not.toContain(token)
    } finally {
      await store.close()
    }

    // Inviting a still-invited address again gives a new link; the old one stops working.
    const again = await portal(
      'admin:invite',
      '--email',
      'officer@council.example',
      '--name',
      'Olena P.',
      '--roles',
      'officer'
    )
    expect(again.code).toBe(0)
    expect(again.out.trim()).not.toBe(invite.out.trim())
    const reopened = await openSqliteStore({ file: join(dir, 'portal.sqlite') })
    try {
      expect(await reopened.accounts.getByEmail('officer@council.example')).toMatchObject({
        roles: ['officer'],
        displayName: 'Olena P.',
      })
    } finally {
      await reopened.close()
    }
    const bad = await portal('admin:invite', '--email', 'a@b.c', '--name', 'X', '--roles', 'king')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('unknown role(s): king')
  }, 60_000)
})
