import { chromium } from 'playwright-core'
const root = '/root/.cache/nsys-bench/chromium/install'
const b = await chromium.launch({ executablePath: root + '/browser/usr/lib/chromium/chromium-headless-shell', env: { ...process.env, LD_LIBRARY_PATH: root + '/lib', FONTCONFIG_FILE: root + '/fonts.conf' } })
for (const f of process.argv.slice(2)) {
  const p = await b.newPage({ viewport: { width: 1200, height: 900 } })
  p.on('console', (m) => console.log('console', m.type(), m.text()))
  p.on('pageerror', (e) => console.log('pageerror', e.message))
  p.on('request', (r) => console.log('request', r.url().slice(0, 100)))
  await p.goto('file://' + f)
  await p.waitForSelector('body[data-ready]', { timeout: 10000 }).catch(e => console.log('not ready', e.message))
  await p.screenshot({ path: f.replace('.html', '.png'), fullPage: true })
  await p.close()
}
await b.close()
