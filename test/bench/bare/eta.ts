// Baseline: a bare Hono page rendering a cached (compiled once) Eta template of about the
// size of the portal's pages, with a layout and escaped values, as Eta is meant to be used.
import { serve } from '@hono/node-server'
import { Eta } from 'eta'
import { Hono } from 'hono'

const eta = new Eta({ views: process.env.BARE_VIEWS!, cache: true, autoEscape: true })
const items = Array.from({ length: 12 }, (_, i) => ({
  href: `/section/${i}`,
  title: `Розділ ${i}: як повідомити про корупцію`,
  text: 'Повідомлення можна надіслати анонімно; ми відповідаємо протягом десяти робочих днів.',
}))
const app = new Hono()
app.get('/', (c) =>
  c.html(eta.render('page', { title: 'Повідомити про корупцію', lang: 'uk', items }))
)
app.get('/healthz', (c) => c.text('ok'))
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) })
