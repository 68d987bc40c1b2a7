// The admin's contact and privacy texts: plain text with a few markdown marks, turned into HTML
// that can carry nothing but those marks. Everything is escaped first; only then do headings
// (#, ##), lists (- or *), **bold**, and [links](https://…, mailto:…, tel:…) become tags.
// Blank lines separate paragraphs; a single line break stays a line break.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)

const LINK = /\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:|tel:)[^\s()]+)\)/g

function inline(text: string): string {
  return escape(text)
    .replace(LINK, '<a href="$2" rel="noopener noreferrer">$1</a>')
    .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
}

function block(lines: string[]): string {
  const first = lines[0]!
  const heading = /^(#{1,2})\s+(.*)$/.exec(first)
  if (lines.length === 1 && heading) {
    const level = heading[1]!.length + 1
    return `<h${level}>${inline(heading[2]!)}</h${level}>`
  }
  if (lines.every((l) => /^[-*]\s+/.test(l))) {
    const items = lines.map((l) => `<li>${inline(l.replace(/^[-*]\s+/, ''))}</li>`)
    return `<ul>${items.join('')}</ul>`
  }
  return `<p>${lines.map(inline).join('<br>\n')}</p>`
}

/** The text as safe HTML (empty string for an empty text). */
export function renderMarkup(text: string): string {
  const blocks: string[][] = []
  let current: string[] = []
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim()
    // A heading is a block of its own even without blank lines around it.
    if (!line || /^#{1,2}\s/.test(line)) {
      if (current.length) blocks.push(current)
      current = []
      if (line) blocks.push([line])
      continue
    }
    current.push(line)
  }
  if (current.length) blocks.push(current)
  return blocks.map(block).join('\n')
}
