import { describe, expect, it } from 'vitest'
import { checkSizes, metadataKind, stripJpegMetadata } from '../../../src/browser/files'

const seg = (marker: number, payload: string) => {
  const p = Buffer.from(payload, 'latin1')
  return Buffer.concat([Buffer.from([0xff, marker, (p.length + 2) >> 8, (p.length + 2) & 255]), p])
}

function jpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, 'JFIF\0\x01\x01'),
    seg(0xe1, 'Exif\0\0GPS-SECRET-LOCATION'),
    seg(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:author>SECRET-AUTHOR</x:author>'),
    seg(0xe2, 'ICC_PROFILE\0keep'),
    seg(0xed, 'Photoshop 3.0\0IPTC-SECRET'),
    seg(0xfe, 'COMMENT-SECRET'),
    seg(0xdb, 'quant-table'),
    Buffer.from([0xff, 0xda, 0, 4, 1, 2]),
    Buffer.from('entropy\xff\x00data', 'latin1'),
    Buffer.from([0xff, 0xd9]),
  ])
}

describe('stripJpegMetadata', () => {
  it('drops EXIF, XMP, IPTC and comments, keeps everything the image needs', () => {
    const out = Buffer.from(stripJpegMetadata(new Uint8Array(jpeg()))!)
    const text = out.toString('latin1')
    for (const secret of ['GPS-SECRET', 'SECRET-AUTHOR', 'IPTC-SECRET', 'COMMENT-SECRET']) {
      expect(text).not.toContain(secret)
    }
    for (const kept of ['JFIF', 'ICC_PROFILE', 'quant-table', 'entropy\xff\x00data']) {
      expect(text).toContain(kept)
    }
    expect(out.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))
    expect(out.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]))
  })

  it('refuses what it does not understand', () => {
    expect(stripJpegMetadata(new Uint8Array(Buffer.from('%PDF-1.7')))).toBeNull()
    expect(stripJpegMetadata(new Uint8Array(jpeg().subarray(0, 30)))).toBeNull()
  })
})

describe('file checks', () => {
  it('checks each file and the total', () => {
    expect(checkSizes([{ name: 'a', size: 10 }], 10, 10)).toEqual([])
    expect(
      checkSizes(
        [
          { name: 'a', size: 11 },
          { name: 'b', size: 5 },
        ],
        10,
        15
      )
    ).toEqual([
      { kind: 'file', name: 'a', limit: 10 },
      { kind: 'total', limit: 15 },
    ])
  })

  it('knows which files carry metadata', () => {
    expect(metadataKind('IMG_1.JPG', '')).toBe('jpeg')
    expect(metadataKind('x', 'image/png')).toBe('image')
    expect(metadataKind('report.docx', '')).toBe('document')
    expect(metadataKind('scan.pdf', 'application/pdf')).toBe('document')
    expect(metadataKind('notes.txt', 'text/plain')).toBeNull()
  })
})
