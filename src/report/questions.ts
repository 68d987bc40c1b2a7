// The report questionnaire is data (questions.default.json): a council changes the questions,
// their labels and options without touching code.
import type { Language } from '../config'
import defaults from './questions.default.json'

type Localized = Record<Language, string>

export interface Question {
  id: string
  type: 'text' | 'textarea' | 'select'
  required: boolean
  maxLength?: number
  label: Localized
  hint?: Localized
  options?: { value: string; label: Localized }[]
}

export interface Questionnaire {
  version: number
  questions: Question[]
  /** Asked only for a confidential report; `required` applies then (never when anonymous). */
  contact: Question[]
}

export const defaultQuestionnaire = defaults as Questionnaire

const DEFAULT_MAX = 5000

export type Answers = Record<string, string>

export interface ParsedReport {
  answers: Answers
  anonymity: 'anonymous' | 'confidential'
  contact?: Answers
}

export type FieldErrors = Record<
  string,
  'required' | 'too-long' | 'bad-option' | 'contact-required'
>

/** Validates the plain form fields of the no-JavaScript path. Field names: q_<id>, c_<id>, anonymity. */
export function parseReportForm(
  form: Record<string, unknown>,
  q: Questionnaire
): { ok: true; value: ParsedReport } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const read = (name: string) => {
    const v = form[name]
    return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : ''
  }
  const check = (prefix: string, question: Question, out: Answers) => {
    const name = `${prefix}${question.id}`
    const value = read(name)
    if (!value) {
      if (question.required) errors[name] = 'required'
      return
    }
    if (value.length > (question.maxLength ?? DEFAULT_MAX)) errors[name] = 'too-long'
    else if (question.options && !question.options.some((o) => o.value === value)) {
      errors[name] = 'bad-option'
    } else out[question.id] = value
  }

  const answers: Answers = {}
  for (const question of q.questions) check('q_', question, answers)
  const anonymity = read('anonymity') === 'confidential' ? 'confidential' : 'anonymous'
  let contact: Answers | undefined
  if (anonymity === 'confidential') {
    contact = {}
    for (const question of q.contact) check('c_', question, contact)
    // A questionnaire whose contact questions are all optional still needs one way back.
    const anyRequired = q.contact.some((c) => c.required)
    if (
      !anyRequired &&
      Object.keys(contact).length === 0 &&
      !q.contact.some((c) => errors[`c_${c.id}`])
    ) {
      errors[`c_${q.contact[0]?.id ?? 'name'}`] = 'contact-required'
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { answers, anonymity, ...(contact ? { contact } : {}) } }
}
