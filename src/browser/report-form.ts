// The report form as the reporter's script reads it: which contact fields apply, and the
// answers body sealed by report-send.ts.
import type { ReportInput } from './report-send'

/**
 * The contact fieldset is hidden by CSS unless "Confidential" is checked; disabling it as well
 * keeps its required fields out of validation (and out of the form data) while anonymous.
 */
export function toggleContactFields(form: HTMLFormElement): void {
  const fieldset = form.querySelector<HTMLFieldSetElement>('#contact-fields')
  if (!fieldset) return
  const update = () => {
    fieldset.disabled = new FormData(form).get('anonymity') !== 'confidential'
  }
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="anonymity"]')) {
    radio.addEventListener('change', update)
  }
  update()
}

/** Reads the form into the answers body; contact only when the reporter chose confidential. */
export function readForm(form: HTMLFormElement, attachments: number): ReportInput {
  const data = new FormData(form)
  const answers: Record<string, string | string[]> = {}
  for (const [name, value] of data.entries()) {
    if (!name.startsWith('q_') || typeof value !== 'string') continue
    const v = value.trim()
    if (v === '') continue
    const id = name.slice(2)
    const prev = answers[id]
    answers[id] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v]
  }
  const anonymity = data.get('anonymity') === 'confidential' ? 'confidential' : 'anonymous'
  const text = (n: string) => {
    const v = data.get(n)
    return typeof v === 'string' ? v.trim() : ''
  }
  const input: ReportInput = { answers, anonymity, attachments }
  if (anonymity === 'confidential') {
    input.contact = { name: text('c_name'), contact: text('c_contact') }
  }
  return input
}
