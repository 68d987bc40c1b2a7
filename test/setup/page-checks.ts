// The shared page hook of the end-to-end suite: a test whose pages logged a CSP violation, a
// console error or an uncaught error fails (test/helpers/browser.ts records them). Problems
// from beforeAll/afterAll fail the file's last hook.
import { afterAll, afterEach } from 'vitest'
import { takePageProblems } from '../helpers/page-problems'

function check(): void {
  const problems = takePageProblems()
  if (problems.length > 0) {
    throw new Error(`the pages logged problems:\n${problems.join('\n')}`)
  }
}

afterEach(check)
afterAll(check)
