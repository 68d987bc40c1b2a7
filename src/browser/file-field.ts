// Enhances a file input: shows the size limits next to it, warns about metadata as soon as files
// are picked, offers to clean JPEG photos, and refuses oversized files before anything is sent.
import type { ReporterPageConfig } from '../report/api'

import { h } from './dom'
import { checkSizes, metadataKind, prepareFiles } from './files'
import { formatBytes, type Strings } from './i18n'
import type { FileToSend } from './upload'

export interface FileField {
  files(): File[]
  /** Size problems as messages (empty when fine); also marks the input invalid. */
  check(): string[]
  prepare(): Promise<FileToSend[]>
}

let counter = 0

/**
 * `limits`: the page's own limits paragraph, if any; its text is replaced, because the limits of
 * the encrypted path differ from those of the plain form.
 */
export function enhanceFileInput(
  input: HTMLInputElement,
  config: ReporterPageConfig,
  s: Strings,
  limits: HTMLElement | null = null
): FileField {
  const id = `js-files-${++counter}`
  const size = (n: number) => formatBytes(n, s, config.lang)
  const limitsText = s.sizeLimits(size(config.maxFileBytes), size(config.maxReportBytes))
  const ownLimits = !limits
  const limitsEl = limits ?? h('p', { class: 'hint js-file-limits', id: `${id}-limits` })
  limitsEl.textContent = limitsText
  if (!limitsEl.id) limitsEl.id = `${id}-limits`
  const problems = h('ul', { class: 'error js-file-errors', id: `${id}-errors`, hidden: true })
  const warnings = h('ul', { class: 'notice js-file-warnings', hidden: true })
  const strip = h('input', { type: 'checkbox', id: `${id}-strip`, checked: true })
  const stripRow = h(
    'p',
    { class: 'js-strip', hidden: true },
    strip,
    ' ',
    h('label', { for: strip.id }, s.stripLabel)
  )
  if (ownLimits) input.after(limitsEl, problems, warnings, stripRow)
  else input.after(problems, warnings, stripRow)
  const describedBy = new Set((input.getAttribute('aria-describedby') ?? '').split(/\s+/))
  describedBy.add(limitsEl.id)
  describedBy.add(problems.id)
  input.setAttribute('aria-describedby', [...describedBy].filter(Boolean).join(' '))

  const files = () => Array.from(input.files ?? [])
  const check = (): string[] => {
    const found = checkSizes(files(), config.maxFileBytes, config.maxReportBytes).map((p) =>
      p.kind === 'file' ? s.fileTooBig(p.name, size(p.limit)) : s.totalTooBig(size(p.limit))
    )
    problems.replaceChildren(...found.map((m) => h('li', {}, m)))
    problems.hidden = found.length === 0
    // Native validation then blocks the submit and points at this input.
    input.setCustomValidity(found.join(' '))
    return found
  }
  const showWarnings = () => {
    const items: HTMLElement[] = []
    let jpeg = false
    for (const f of files()) {
      const kind = metadataKind(f.name, f.type)
      if (kind === 'jpeg') jpeg = true
      const text =
        kind === 'jpeg'
          ? s.metaJpeg(f.name)
          : kind === 'image'
            ? s.metaImage(f.name)
            : kind === 'document'
              ? s.metaDocument(f.name)
              : null
      if (text) items.push(h('li', {}, text))
    }
    warnings.replaceChildren(...items)
    warnings.hidden = items.length === 0
    stripRow.hidden = !jpeg
  }
  input.addEventListener('change', () => {
    check()
    showWarnings()
  })
  return { files, check, prepare: () => prepareFiles(files(), strip.checked) }
}
