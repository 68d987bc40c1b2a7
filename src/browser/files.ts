// Checks on the files a reporter picks, before anything is sent: size limits, metadata warnings,
// and removal of EXIF/XMP/IPTC from JPEG photos (the one format the browser can clean simply).
import { ownedBytes } from '../../crypto/encoding'
import type { FileToSend } from './upload'

export type SizeProblem =
  { kind: 'file'; name: string; limit: number } | { kind: 'total'; limit: number }

export function checkSizes(
  files: readonly { name: string; size: number }[],
  maxFileBytes: number,
  maxReportBytes: number
): SizeProblem[] {
  const problems: SizeProblem[] = []
  let total = 0
  for (const f of files) {
    total += f.size
    if (f.size > maxFileBytes) problems.push({ kind: 'file', name: f.name, limit: maxFileBytes })
  }
  if (total > maxReportBytes) problems.push({ kind: 'total', limit: maxReportBytes })
  return problems
}

export type MetadataKind = 'jpeg' | 'image' | 'document' | null

/** Which warning a file deserves: photos carry EXIF, office files and PDFs carry authors. */
export function metadataKind(name: string, type: string): MetadataKind {
  const ext = name.toLowerCase().split('.').pop() ?? ''
  if (type === 'image/jpeg' || ext === 'jpg' || ext === 'jpeg') return 'jpeg'
  if (type.startsWith('image/') || ['png', 'heic', 'heif', 'tif', 'tiff', 'webp'].includes(ext)) {
    return 'image'
  }
  const docs = ['pdf', 'doc', 'docx', 'odt', 'xls', 'xlsx', 'ods', 'ppt', 'pptx', 'odp', 'rtf']
  if (type === 'application/pdf' || docs.includes(ext)) return 'document'
  return null
}

// Segments that hold metadata rather than pixels: APP1 (EXIF, XMP), APP13 (Photoshop/IPTC) and
// comments. APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) stay, since
// the image needs them to display correctly.
const DROP = new Set([0xe1, 0xed, 0xfe])

/**
 * The JPEG without its metadata segments, or null when the bytes are not a JPEG this parser
 * understands (then the caller keeps the file unchanged and the warning stands).
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null
  const keep: Uint8Array[] = [bytes.subarray(0, 2)]
  let i = 2
  for (;;) {
    if (i + 1 >= bytes.length || bytes[i] !== 0xff) return null
    // Any number of 0xFF fill bytes may precede a marker.
    let m = i + 1
    while (m < bytes.length && bytes[m] === 0xff) m++
    const marker = bytes[m]
    if (marker === undefined) return null
    if (marker === 0xda || marker === 0xd9) {
      // Start of scan (or end of image): the rest is entropy-coded data, kept as it is.
      keep.push(bytes.subarray(i))
      break
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      keep.push(bytes.subarray(i, m + 1))
      i = m + 1
      continue
    }
    const len = ((bytes[m + 1] ?? 0) << 8) | (bytes[m + 2] ?? 0)
    const end = m + 1 + len
    if (len < 2 || end > bytes.length) return null
    if (!DROP.has(marker)) keep.push(bytes.subarray(i, end))
    i = end
  }
  const out = new Uint8Array(keep.reduce((n, k) => n + k.length, 0))
  let o = 0
  for (const k of keep) {
    out.set(k, o)
    o += k.length
  }
  return out
}

/** The files as they will be encrypted: JPEGs cleaned when asked (and when parseable). */
export async function prepareFiles(
  files: readonly File[],
  stripJpeg: boolean
): Promise<FileToSend[]> {
  const out: FileToSend[] = []
  for (const f of files) {
    let data: Blob = f
    if (stripJpeg && metadataKind(f.name, f.type) === 'jpeg') {
      const clean = stripJpegMetadata(new Uint8Array(await f.arrayBuffer()))
      if (clean) data = new Blob([ownedBytes(clean)], { type: f.type })
    }
    out.push({ data, name: f.name, type: f.type })
  }
  return out
}
