// Progress indicators: a <progress> element per task (no inline styles needed), with a text
// label so the numbers are readable without the bar.
import { h } from './dom'
import { formatBytes, type Lang, type Strings } from './i18n'

export interface KdfIndicator {
  el: HTMLElement
  update(fraction: number | null): void
  finish(): void
}

/** Key derivation: indeterminate until the worker reports a fraction. */
export function kdfIndicator(s: Strings): KdfIndicator {
  const bar = h('progress', { class: 'js-kdf-progress', max: 100 })
  const label = h('span', { class: 'js-progress-label' }, s.kdfProgress)
  const id = `kdf-${Math.random().toString(36).slice(2)}`
  label.id = id
  bar.setAttribute('aria-labelledby', id)
  const el = h('div', { class: 'js-progress' }, label, bar)
  return {
    el,
    update(fraction) {
      if (fraction === null) bar.removeAttribute('value')
      else bar.value = Math.round(fraction * 100)
    },
    finish() {
      bar.value = 100
    },
  }
}

/** The proof of work (work.ts): an estimate from 0 to 100 while the worker searches. */
export function workIndicator(label: string): KdfIndicator {
  const text = h('span', { class: 'js-progress-label' }, label)
  const id = `work-${Math.random().toString(36).slice(2)}`
  text.id = id
  const bar = h('progress', { class: 'js-work-progress', max: 100 })
  bar.setAttribute('aria-labelledby', id)
  const el = h('div', { class: 'js-progress' }, text, bar)
  return {
    el,
    update(fraction) {
      if (fraction === null) bar.removeAttribute('value')
      else bar.value = Math.round(fraction * 100)
      // For tests and assistive tech alike: the last reported estimate.
      bar.dataset.fraction = String(fraction ?? 0)
    },
    finish() {
      bar.value = 100
      bar.dataset.done = 'true'
    },
  }
}

export interface FileProgress {
  el: HTMLElement
  update(sent: number, total: number): void
  fail(message: string): void
}

/** One file's upload: progress of the ciphertext, labelled in the file's real `size`. */
export function fileProgress(name: string, size: number, s: Strings, lang: Lang): FileProgress {
  const label = h('span', { class: 'js-progress-label' })
  const bar = h('progress', { class: 'upload-progress', max: Math.max(size, 1), value: 0 })
  const error = h('span', { class: 'error', hidden: true })
  const el = h('div', { class: 'js-progress' }, label, bar, error)
  const setLabel = (sent: number, total: number) => {
    label.textContent = s.uploadProgress(
      name,
      formatBytes(sent, s, lang),
      formatBytes(total, s, lang)
    )
  }
  setLabel(0, size)
  bar.setAttribute('aria-label', name)
  return {
    el,
    update(sent, total) {
      bar.max = Math.max(total, 1)
      bar.value = sent
      // For tests and assistive tech alike: the last reported byte count.
      bar.dataset.sent = String(sent)
      // The bytes counted are padded ciphertext; the label speaks of the file as the reporter
      // knows it: the same share of its real size ("66 Б з 66 Б", not "4 КБ з 4 КБ").
      const share = total > 0 ? Math.min(1, sent / total) : 1
      setLabel(Math.round(size * share), size)
    },
    fail(message) {
      error.textContent = message
      error.hidden = false
    },
  }
}
