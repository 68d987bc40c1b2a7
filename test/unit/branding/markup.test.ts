// The admin's contact and privacy texts become HTML with only the few marks documented on the
// form (src/branding/markup.ts): anything else, HTML included, shows as typed.
import { describe, expect, it } from 'vitest'
import { renderMarkup } from '../../../src/branding/markup'

describe('renderMarkup', () => {
  it('makes paragraphs, line breaks, headings, lists, bold and safe links', () => {
    const html = renderMarkup(
      [
        '# Приймальня',
        'вул. Енергетиків, 12',
        'пн–пт 9:00–18:00',
        '',
        '- телефон: [044 000 00 00](tel:+380440000000)',
        '- пошта: [anticor@rada.example](mailto:anticor@rada.example)',
        '',
        'Докладніше **на сайті**: [rada.example](https://rada.example/a?b=1&c=2)',
      ].join('\r\n')
    )
    expect(html).toBe(
      [
        '<h2>Приймальня</h2>',
        '<p>вул. Енергетиків, 12<br>\npn–пт 9:00–18:00</p>'.replace('pn', 'пн'),
        '<ul><li>телефон: <a href="tel:+380440000000" rel="noopener noreferrer">044 000 00 00</a></li>' +
          '<li>пошта: <a href="mailto:anticor@rada.example" rel="noopener noreferrer">anticor@rada.example</a></li></ul>',
        '<p>Докладніше <strong>на сайті</strong>: <a href="https://rada.example/a?b=1&amp;c=2" rel="noopener noreferrer">rada.example</a></p>',
      ].join('\n')
    )
  })

  it('shows HTML and other link schemes as text, never as markup', () => {
    const html = renderMarkup(
      [
        '<script>alert(1)</script><img src=x onerror=alert(1)>',
        '[click](javascript:alert(1)) [x](data:text/html,<b>) [y](https://a.example/"onmouseover="alert(1))',
      ].join('\n\n')
    )
    expect(html).not.toMatch(/<(script|img|b)\b/)
    expect(html).not.toContain('href="javascript')
    expect(html).not.toContain('href="data')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    // A quote cannot end the attribute: it is escaped inside the link's address.
    expect(html).not.toMatch(/href="[^"]*"onmouseover/)
    expect(renderMarkup('')).toBe('')
    expect(renderMarkup('\n\n  \n')).toBe('')
  })
})
