// Which uploads may become the organisation's logo. The type comes from the bytes (never the
// file's name or the browser's word). An SVG is a document that can carry scripts: one with a
// script, an event handler, a javascript: or external link, embedded HTML or a DTD is refused
// here, and what is accepted is still served under a CSP that runs nothing (routes/branding.ts).
import { createHash } from 'node:crypto'
import { fail, ok, type Result } from '../domain/result'
import type { LogoType, OrgLogo } from '../store/types'

/** Big enough for a crisp 512 px PNG, small enough to sit in the profile record. */
export const LOGO_MAX_BYTES = 200 * 1024

export type LogoProblem = 'empty' | 'too-large' | 'not-an-image' | 'unsafe-svg'

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]

const startsWith = (data: Uint8Array, magic: number[]) => magic.every((b, i) => data[i] === b)

/** What in an SVG could run, load or embed something. */
const UNSAFE_SVG = [
  /<script/i,
  /<foreignObject/i,
  /<!(DOCTYPE|ENTITY)/i,
  /<(iframe|embed|object|audio|video|use)\b/i,
  /\son[a-z]+\s*=/i,
  /javascript:/i,
  // href / xlink:href to anything but a fragment of the same image or an inline raster.
  /href\s*=(?!\s*["']?(#|data:image\/(png|jpeg|gif);))/i,
  /url\((?!\s*["']?#)/i,
  /@import/i,
]

function svgType(data: Uint8Array): Result<LogoType, LogoProblem> | undefined {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data)
  } catch {
    return undefined
  }
  const head = text.replace(/^\uFEFF/, '').trimStart()
  // An XML declaration, comments and a DOCTYPE may come first (a DOCTYPE is then refused).
  const prolog =
    /^(<\?xml[^>]*>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>)\s*)*<svg[\s>]/i
  if (!prolog.test(head)) return undefined
  if (UNSAFE_SVG.some((re) => re.test(text))) {
    return fail('unsafe-svg', 'the SVG contains scripts, links or embedded documents')
  }
  return ok('image/svg+xml')
}

export function checkLogo(data: Uint8Array): Result<OrgLogo, LogoProblem> {
  if (data.byteLength === 0) return fail('empty', 'no file was chosen')
  if (data.byteLength > LOGO_MAX_BYTES) return fail('too-large', 'the file is too large')
  const typed: Result<LogoType, LogoProblem> | undefined = startsWith(data, PNG)
    ? ok('image/png')
    : startsWith(data, JPEG)
      ? ok('image/jpeg')
      : svgType(data)
  if (!typed) return fail('not-an-image', 'not a PNG, JPEG or SVG image')
  if (!typed.ok) return typed
  const sha256 = createHash('sha256').update(data).digest('hex')
  return ok({ type: typed.value, data, sha256 })
}
