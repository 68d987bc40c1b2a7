// Baseline: a bare Hono "hello" on @hono/node-server, nothing else.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
app.get('/', (c) => c.text('hello'))
app.get('/healthz', (c) => c.text('hello'))
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) })
