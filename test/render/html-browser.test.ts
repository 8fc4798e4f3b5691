import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { demoProfiles } from '../../src/demo/demo.js'
import { renderHtml, type HtmlOptions } from '../../src/render/html.js'
import { ensureChromium, launchChromium } from '../support/chromium/browser.js'
import { BROWSER, skipOrFail } from '../support/nsys/skip-or-fail.js'
import { ROOT } from '../support/paths.js'
import {
  HOSTILE_HTML,
  hostileHtmlComparison,
  largeComparison,
  longKernelName
} from './html-fixtures.js'

/**
 * The HTML report in a real browser: Debian's headless Chromium (test/support/chromium), one
 * launch for the file. Every request the page makes is recorded and refused; console errors, page
 * errors and dialogs are recorded; each test checks there were none.
 *
 * The screenshot of the demo's report goes to build/test-output/report.png; with
 * UPDATE_SCREENSHOT=1 it also replaces docs/report.png (the README's picture).
 */
const OUTPUT = join(ROOT, 'build', 'test-output')

let browser: Browser | undefined
let unavailable: string | undefined
const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-html-'))

beforeAll(async () => {
  const install = await ensureChromium()
  if ('skipped' in install) {
    unavailable = install.skipped
    return
  }
  browser = await launchChromium(install)
}, 600_000)

afterAll(async () => {
  await browser?.close()
})

interface Opened {
  page: Page
  /** Requests other than the report file itself, console errors and warnings, page errors, dialogs. */
  problems: string[]
}

let count = 0
async function open(
  ctx: { skip: (note?: string) => never },
  comparison: Comparison,
  options: HtmlOptions = {}
): Promise<Opened> {
  if (!browser) return skipOrFail(ctx, `no browser: ${unavailable ?? 'not launched'}`, BROWSER)
  const file = join(dir, `report-${count++}.html`)
  writeFileSync(file, renderHtml(comparison, options))
  const url = pathToFileURL(file).href
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    serviceWorkers: 'block',
    colorScheme: 'light'
  })
  const problems: string[] = []
  await context.route('**/*', async (route) => {
    if (route.request().url() === url) return route.continue()
    problems.push(`request: ${route.request().url()}`)
    return route.abort()
  })
  const page = await context.newPage()
  page.on('request', (request) => {
    if (request.url() !== url) problems.push(`request: ${request.url()}`)
  })
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  await page.goto(url)
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 })
  return { page, problems }
}

async function demo(runs: number): Promise<Comparison> {
  const { base, head } = await demoProfiles(runs)
  return compareProfiles(base, head, buildRules(undefined))
}

/** The names of a section's rows, in order (whole: the title when the cell shows it shortened). */
async function names(page: Page, section: string): Promise<string[]> {
  const cells = page.locator(`${section} tbody td.name`)
  const texts = await cells.allTextContents()
  const titles = await Promise.all(texts.map((_, i) => cells.nth(i).getAttribute('title')))
  return texts.map((text, i) => titles[i] ?? text)
}

/** The id of the section whose heading starts with `text` (the full tables' summaries too). */
async function section(page: Page, text: string): Promise<string> {
  const id = await page
    .locator('.view')
    .filter({ has: page.locator(`h2, summary`).filter({ hasText: text }) })
    .first()
    .getAttribute('id')
  return `#${id ?? 'missing'}`
}

describe('the HTML report in Chromium', () => {
  it('the demo: loads with no request and no error, draws a chart per regressed and improved kernel', async (ctx) => {
    const comparison = await demo(5)
    const { page, problems } = await open(ctx, comparison)
    const kernels = comparison.tables.find((t) => t.table === 'kernels')!
    const regressed = kernels.items.filter((i) => i.status === 'regressed')
    expect(regressed.length).toBeGreaterThan(0)
    expect(await page.locator('#verdict').textContent()).toBe('GPU performance regression')

    const regressions = await section(page, 'Regressions (')
    expect(await names(page, regressions)).toEqual(regressed.map((i) => i.name))
    // The chart: an SVG with a dot per run of each side (five a side), drawn with a size.
    const chart = page.locator(`${regressions} tbody tr`).first().locator('svg.chart')
    expect(await chart.locator('circle.base').count()).toBe(5)
    expect(await chart.locator('circle.head').count()).toBe(5)
    const box = await chart.boundingBox()
    expect(box?.width).toBeGreaterThan(100)
    expect(box?.height).toBeGreaterThan(20)
    // Head dots right of base dots: the kernel got slower.
    const cx = async (cls: string): Promise<number[]> => {
      const dots = chart.locator(`circle.${cls}`)
      const n = await dots.count()
      return Promise.all(
        Array.from({ length: n }, async (_, i) => Number(await dots.nth(i).getAttribute('cx')))
      )
    }
    expect(Math.min(...(await cx('head')))).toBeGreaterThan(Math.max(...(await cx('base'))))
    expect(await chart.locator('title').textContent()).toMatch(/^base: 5 runs from .* head: 5 runs/)

    const improvements = await section(page, 'Improvements (')
    expect(await page.locator(`${improvements} tbody svg.chart`).count()).toBe(
      kernels.counts.improved
    )

    mkdirSync(OUTPUT, { recursive: true })
    const shot = join(OUTPUT, 'report.png')
    await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1200, height: 900 } })
    if (process.env.UPDATE_SCREENSHOT) copyFileSync(shot, join(ROOT, 'docs', 'report.png'))
    expect(problems).toEqual([])
  })

  it('sorts by a column and filters by name', async (ctx) => {
    const comparison = await demo(1)
    const { page, problems } = await open(ctx, comparison)
    const items = comparison.tables.find((t) => t.table === 'kernels')!.items
    const full = await section(page, 'GPU kernels:')
    // One run a side: a bar each, the head's longer for the regressed kernel.
    const bars = page.locator(`${await section(page, 'Regressions (')} tbody svg.chart`).first()
    const width = async (cls: string): Promise<number> =>
      Number(await bars.locator(`rect.${cls}`).getAttribute('width'))
    expect(await width('head')).toBeGreaterThan(await width('base'))
    expect(await width('base')).toBeGreaterThan(10)

    // By its text (the sort arrow is CSS, not text).
    const header = (label: string) =>
      page.locator(`${full} thead th`).filter({ hasText: new RegExp(`^${label}$`) })

    // Δ %: largest first; items without a base (new kernels: n/a) last whichever the direction.
    await header('Δ %').getByRole('button').click()
    expect(await header('Δ %').getAttribute('aria-sort')).toBe('descending')
    const pct = (i: (typeof items)[number]) => i.deltaPct
    const withPct = items.filter((i) => pct(i) !== null)
    const without = items.filter((i) => pct(i) === null).map((i) => i.name)
    const shown = await names(page, full)
    expect(shown.slice(0, withPct.length)).toEqual(
      [...withPct].sort((a, b) => pct(b)! - pct(a)!).map((i) => i.name)
    )
    expect(shown.slice(withPct.length).sort()).toEqual([...without].sort())
    await header('Δ %').getByRole('button').click()
    expect(await header('Δ %').getAttribute('aria-sort')).toBe('ascending')
    expect((await names(page, full)).slice(0, withPct.length)).toEqual(
      [...withPct].sort((a, b) => pct(a)! - pct(b)!).map((i) => i.name)
    )

    // By name, in code-unit order.
    await header('Kernel').getByRole('button').click()
    expect(await names(page, full)).toEqual(
      items.map((i) => i.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    )

    // Filter: case-insensitive substring of the name.
    await page.locator(`${full} input[type=search]`).fill('RMS_norm')
    const matching = items.map((i) => i.name).filter((n) => n.toLowerCase().includes('rms_norm'))
    expect(matching.length).toBeGreaterThan(0)
    expect((await names(page, full)).sort()).toEqual([...matching].sort())
    expect(await page.locator(`${full} .count`).textContent()).toBe(
      `${matching.length} of ${items.length} rows match`
    )
    await page.locator(`${full} input[type=search]`).fill('')
    expect(await page.locator(`${full} tbody tr`).count()).toBe(items.length)
    expect(problems).toEqual([])
  })

  it('hostile names stay text: no element, attribute or script comes from a name', async (ctx) => {
    const { page, problems } = await open(ctx, hostileHtmlComparison(), {
      name: '<img src=x onerror="window.pwned=3">',
      context: ['</p><script>window.pwned=4</script>']
    })
    const full = await section(page, 'GPU kernels:')
    const shown = await names(page, full)
    expect(shown).toHaveLength(HOSTILE_HTML.length)
    expect(shown).toContain('<script>alert(1)</script>')
    expect(shown).toContain('</textarea><textarea>')
    expect(shown).toContain('bidi \\u{202e}evil\\u{202c} and zero\\u{200b}width')
    expect(shown).toContain('nul\\u{0}byte')
    // A string, evaluated in the page (this file has no DOM types).
    const dom = await page.evaluate(`({
      pwned: window.pwned,
      scripts: document.scripts.length,
      injected: document.querySelectorAll('img, textarea, iframe, a, object, embed, link, base').length,
      // Only the charts' SVG elements (made by the script, with class "chart").
      foreignSvg: [...document.querySelectorAll('svg')].filter((s) => !s.classList.contains('chart')).length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) =>
        [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + ' ' + a.name))
    })`)
    expect(dom).toEqual({ pwned: undefined, scripts: 2, injected: 0, foreignSvg: 0, handlers: [] })
    expect(await page.locator('.tool').textContent()).toBe(
      'nsys-bench (<img src=x onerror="window.pwned=3">)'
    )
    expect(problems).toEqual([])
  })

  // 5,000 kernels: 2.3 MB of JSON, gzipped (the size of 20,000 is measured in html.test.ts).
  it(
    'a large report: the gzipped data is inflated, rows come a page at a time, filtering finds one',
    { timeout: 120_000 },
    async (ctx) => {
      const { page, problems } = await open(ctx, largeComparison(5_000))
      const full = await section(page, 'GPU kernels:')
      expect(await page.locator(`${full} .count`).textContent()).toBe('5,000 rows')
      expect(await page.locator(`${full} tbody tr`).count()).toBe(100)
      await page.locator(`${full} button.more`).click()
      expect(await page.locator(`${full} tbody tr`).count()).toBe(1100)
      await page.locator(`${full} input[type=search]`).fill('kernel_1234<')
      expect(await names(page, full)).toEqual([longKernelName(1234)])
      expect(problems).toEqual([])
    }
  )
})
