import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { appendRun, type RunEntry } from '../../src/history/append.js'
import { emptyHistory, type History } from '../../src/history/model.js'
import { nvtxKernelName } from '../../src/profile/keys.js'
import type { Profile, Stat, TableName } from '../../src/profile/model.js'
import { historyView } from '../../src/history/view.js'
import { demoProfiles } from '../../src/demo/demo.js'
import { renderHtml, type HtmlOptions } from '../../src/render/html.js'
import { ensureChromium, launchChromium } from '../support/chromium/browser.js'
import { BROWSER, skipOrFail } from '../support/nsys/skip-or-fail.js'
import { ROOT } from '../support/paths.js'
import { profile } from '../support/profiles.js'
import {
  HOSTILE_HTML,
  hostileHtmlComparison,
  largeComparison,
  longKernelName
} from './html-fixtures.js'
import {
  HOSTILE_KERNEL,
  HOSTILE_RANGE,
  laidOut,
  timelineComparison
} from './html-timeline-fixture.js'

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

/**
 * The timeline sections on a base and a head written as nsys prints them
 * (html-timeline-fixture.ts), read by the real loader. Expected figures: by hand from the
 * fixture's specification, and re-derived here from its launches (laidOut) as a check.
 */
describe('the timeline sections in Chromium', () => {
  /** The figures of one side's GPU, from its launches (back to back, one stream at a time). */
  function figures(side: 'base' | 'head'): { window: number; busy: number; gaps: number[] } {
    const launches = laidOut(side)
    const first = launches[0]!
    const last = launches.at(-1)!
    const gaps = launches
      .slice(1)
      .map((l, i) => l.start - (launches[i]!.start + launches[i]!.duration))
    return {
      window: last.start + last.duration - first.start,
      busy: launches.reduce((sum, l) => sum + l.duration, 0),
      gaps
    }
  }

  it('the figures the tests expect follow from the fixture', () => {
    const base = figures('base')
    const head = figures('head')
    // By hand: busy = the launches' durations (flash 622,500; gemm 621,750 + 50,000; rms_norm
    // 304,500; elementwise 100,000; the hostile kernel 10,000), 294 gaps of 1 µs but the big ones.
    expect(base).toMatchObject({ busy: 1_708_750, window: 1_708_750 + 292_000 + 2_200_000 })
    expect(head).toMatchObject({ busy: 1_868_750, window: 1_868_750 + 291_000 + 3_700_000 })
    expect(head.gaps.filter((g) => g > 100_000).sort((a, b) => b - a)).toEqual([
      3_000_000, 500_000, 200_000
    ])
  })

  it('draws launch distributions, shapes, the gap timeline and the NVTX phases, with no request and no error', async (ctx) => {
    const { comparison, base, head } = await timelineComparison()
    const { page, problems } = await open(ctx, comparison, { runs: { base, head } })

    // Regressions: a launch histogram per row, inline.
    const regressions = await section(page, 'Regressions (')
    expect((await names(page, regressions)).sort()).toEqual(['flash_attn_fwd<128>', 'gemm_bf16'])
    expect(await page.locator(`${regressions} tbody svg.dist`).count()).toBe(2)

    // Open flash_attn_fwd<128>: the distribution of its 50 launches a side.
    const row = page.locator(`${regressions} tbody tr`).filter({ hasText: 'flash_attn_fwd<128>' })
    await row.getByRole('button', { name: /^Details of flash_attn_fwd<128>$/ }).click()
    const panel = page.locator(`${regressions} tr.detail .detail-panel`)
    const dist = panel.locator('svg.dist')
    const box = await dist.boundingBox()
    expect(box?.width).toBeGreaterThan(300)
    expect(box?.height).toBeGreaterThan(100)
    const counts = async (cls: string): Promise<number> => {
      const rects = dist.locator(`rect.${cls}`)
      let sum = 0
      for (let i = 0; i < (await rects.count()); i++)
        sum += Number(await rects.nth(i).getAttribute('data-count'))
      return sum
    }
    expect(await counts('base')).toBe(50)
    expect(await counts('head')).toBe(50)
    const p50 = async (cls: string): Promise<number> =>
      Number(await dist.locator(`line.p50.${cls}`).getAttribute('x1'))
    expect(await p50('head')).toBeGreaterThan(await p50('base'))
    // p50 of 10,000 + 100·i (i < 50) is the 25th: 12,400 ns; the head's 14,400 ns (the sketch
    // reads within 0.39 %, the text has two decimals of µs).
    const quantiles = await panel.locator('table.quantiles tbody tr').allInnerTexts()
    expect(quantiles[0]?.split('\t')).toEqual(['launches', '50', '50', ''])
    const [label, b50, h50] = quantiles[1]?.split('\t') ?? []
    expect(label).toBe('p50')
    expect(Math.abs(parseFloat(b50 ?? '') * 1000 - 12_400)).toBeLessThan(12_400 * 0.0039 + 5)
    expect(Math.abs(parseFloat(h50 ?? '') * 1000 - 14_400)).toBeLessThan(14_400 * 0.0039 + 5)
    expect(await panel.locator('.launch-test').textContent()).toMatch(
      /^Launch test \(signed-rank test on the launches paired by order, the k-th against the k-th, 50 → 50 launches\): p < 0\.001, a discovery/
    )

    // gemm_bf16: its two shapes, base vs head (30 launches of 20,000 + 50·i → 24,000 + 50·i).
    const gemm = page.locator(`${regressions} tbody tr`).filter({ hasText: 'gemm_bf16' })
    await gemm.getByRole('button', { name: 'Details of gemm_bf16' }).click()
    const shapes = await page
      .locator(`${regressions} tr.detail table.shapes tbody tr`)
      .allInnerTexts()
    expect(shapes.map((s) => s.split('\t'))).toEqual([
      ['[grid 128×4×1, block 128×1×1]', 'regressed', '621.75 µs', '741.75 µs', '+19.3%', '30'],
      ['[grid 64×1×1, block 256×1×1]', 'unchanged', '50.00 µs', '50.00 µs', '0.0%', '10']
    ])

    // On demand for any kernel: elementwise (unchanged, 100 launches of 1 µs a side).
    const full = await section(page, 'GPU kernels:')
    const elementwise = page.locator(`${full} tbody tr`).filter({ hasText: 'elementwise' })
    await elementwise.getByRole('button', { name: 'Details of elementwise' }).click()
    const unchanged = page.locator(`${full} tr.detail svg.dist`)
    expect(await unchanged.locator('rect.base').count()).toBe(1)
    expect(await unchanged.locator('rect.base').getAttribute('data-count')).toBe('100')
    expect(await unchanged.locator('rect.head').getAttribute('data-count')).toBe('100')

    // The GPU timeline: figures base vs head.
    const figuresRows = await page.locator('#gpu-timeline table.figures tbody tr').allInnerTexts()
    expect(figuresRows.slice(0, 4).map((r) => r.split('\t'))).toEqual([
      ['Window', '4.20 ms', '5.86 ms', '+1.66 ms'],
      ['Busy', '1.71 ms', '1.87 ms', '+160.00 µs'],
      ['Utilisation', '40.7%', '31.9%', '-8.8 pp'],
      ['Idle', '2.49 ms', '3.99 ms', '+1.50 ms']
    ])
    expect(figuresRows.slice(4).map((r) => r.split('\t'))).toEqual([
      ['Gaps under 10 µs', '292 · 292.00 µs', '291 · 291.00 µs', '-1 · -1.00 µs'],
      ['Gaps 10–100 µs', '0 · 0 ns', '0 · 0 ns', '0 · 0 ns'],
      ['Gaps 100 µs–1 ms', '1 · 200.00 µs', '2 · 700.00 µs', '+1 · +500.00 µs'],
      ['Gaps over 1 ms', '1 · 2.00 ms', '1 · 3.00 ms', '0 · +1.00 ms']
    ])
    // The lanes: ten gaps a side on one time scale; the head's 3 ms gap 1.5 times as wide as the
    // base's 2 ms, and the head's three long gaps in the order they happened (200 µs, 500 µs, 3 ms).
    const timeline = page.locator('#gpu-timeline svg.timeline')
    expect(await timeline.locator('rect.gap.base').count()).toBe(10)
    expect(await timeline.locator('rect.gap.head').count()).toBe(10)
    const attr = async (cls: string, i: number, name: string): Promise<number> =>
      Number(await timeline.locator(`rect.gap.${cls}`).nth(i).getAttribute(name))
    expect((await attr('head', 0, 'width')) / (await attr('base', 0, 'width'))).toBeCloseTo(1.5, 2)
    expect(await attr('head', 2, 'x')).toBeLessThan(await attr('head', 1, 'x'))
    expect(await attr('head', 1, 'x')).toBeLessThan(await attr('head', 0, 'x'))
    const gaps = await page.locator('#gpu-timeline table.gaps tbody tr').allInnerTexts()
    expect(gaps).toHaveLength(10)
    const [side, rank, length, , before, after] = gaps[0]?.split('\t') ?? []
    expect([side, rank, length, before, after]).toEqual([
      'head',
      '1',
      '3.00 ms',
      'elementwise (stream 7)',
      `${HOSTILE_KERNEL} (stream 9)`
    ])

    // The NVTX phases: per occurrence; decode ran twice as often at the same time each.
    const phases = page.locator('#nvtx-phases table.phases > tbody > tr')
    const text = (await phases.allInnerTexts()).map((r) => r.split('\t'))
    expect(text.map((r) => r.slice(0, 2).concat(r.slice(3)))).toEqual([
      ['prefill', 'regressed, not gated', '200.00 µs', '230.00 µs', '+15.0%', '2'],
      [HOSTILE_RANGE, 'improved', '50.00 µs', '40.00 µs', '-20.0%', '1'],
      ['decode', 'unchanged', '100.00 µs', '100.00 µs', '0.0%', '8 → 16']
    ])
    const bar = async (cls: string): Promise<number> =>
      Number(await phases.first().locator(`svg rect.${cls}`).getAttribute('width'))
    expect((await bar('head')) / (await bar('base'))).toBeCloseTo(1.15, 2)
    await phases.first().getByRole('button', { name: 'Kernels of prefill' }).click()
    expect(
      (await page.locator('#nvtx-phases table.phase-kernels tbody tr').allInnerTexts()).map((r) =>
        r.split('\t')
      )
    ).toEqual([['gemm_bf16', '150.00 µs', '180.00 µs', '+20.0%', '2']])

    // Hostile names from the trace and the NVTX report stayed text.
    const dom = await page.evaluate(`({
      pwned: window.pwned,
      scripts: document.scripts.length,
      injected: document.querySelectorAll('img, textarea, iframe, a, object, embed, link, base').length,
      foreignSvg: [...document.querySelectorAll('svg')].filter((s) =>
        !['chart', 'dist', 'timeline'].some((c) => s.classList.contains(c))).length,
      handlers: [...document.querySelectorAll('*')].flatMap((e) =>
        [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + ' ' + a.name))
    })`)
    expect(dom).toEqual({ pwned: undefined, scripts: 2, injected: 0, foreignSvg: 0, handlers: [] })
    expect(await names(page, full)).toContain(HOSTILE_KERNEL)

    mkdirSync(OUTPUT, { recursive: true })
    for (const [selector, file] of [
      [regressions, 'report-launches.png'],
      ['#gpu-timeline', 'report-timeline.png']
    ] as const) {
      const shot = join(OUTPUT, file)
      await page.locator(selector).screenshot({ path: shot })
      if (process.env.UPDATE_SCREENSHOT) copyFileSync(shot, join(ROOT, 'docs', file))
    }
    expect(problems).toEqual([])
  })
})

describe('the trend over the history in Chromium', () => {
  const GPU = 'NVIDIA H100 80GB HBM3'
  const FP = { gpu: GPU, profiler: 'nsys', major: '', naming: 'demangled' }
  const NOISY = '<img src=x onerror="window.pwned=1">noisy'
  /** Nine runs of history: noisy around 100 µs, steady at exactly 100 µs. */
  const NOISY_VALUES = [100, 92, 108, 96, 104, 100, 94, 106, 100].map((v) => v * 1000)
  const history = NOISY_VALUES.reduce(
    (h, v, i): History =>
      appendRun(
        h,
        {
          run: { sha: `s${i}`, date: '2026-11-01T00:00:00Z', repetitions: 1, ...FP },
          tables: {
            kernels: new Map([
              [NOISY, { name: NOISY, value: v, spread: 0, count: 1 }],
              ['steady', { name: 'steady', value: 100_000, spread: 0, count: 1 }]
            ])
          }
        } satisfies RunEntry,
        50
      ),
    emptyHistory()
  )

  it('a regressed kernel opens its trend: the runs, the band and the head, where the numbers put them', async (ctx) => {
    const meta = { gpus: [{ name: GPU }] }
    const comparison = compareProfiles(
      [profile({ kernels: { big: 1_000_000, [NOISY]: 100_000, steady: 100_000 } }, meta)],
      [profile({ kernels: { big: 1_000_000, [NOISY]: 112_000, steady: 108_000 } }, meta)],
      buildRules(undefined),
      { history: historyView(history, FP, { branch: 'main' }) }
    )
    const { page, problems } = await open(ctx, comparison)
    const regressions = await section(page, 'Regressions (')
    expect((await names(page, regressions)).sort()).toEqual([NOISY, 'steady'].sort())
    const row = page.locator(`${regressions} tbody tr`).filter({ hasText: /^steady/ })
    await row.getByRole('button', { name: /^Details of steady$/ }).click()
    const chart = page.locator(`${regressions} tr.detail .detail-panel svg.trend`)
    // steady: nine runs at 100 µs, the head at 108 µs. The axis spans 100 to 108 µs with a
    // twentieth of the span (0.4 µs) as margin: 99.6 to 108.4 µs. The plot is 94 px high from
    // y = 8, so a run sits at 8 + (1 − 0.4/8.8) × 94 = 97.73 and the head at 8 + (0.4/8.8) × 94
    // = 12.27.
    expect(await chart.locator('circle.run').count()).toBe(9)
    const runs = chart.locator('circle.run')
    for (let i = 0; i < 9; i++)
      expect(Number(await runs.nth(i).getAttribute('cy'))).toBeCloseTo(97.73, 1)
    expect(Number(await chart.locator('circle.head').getAttribute('cy'))).toBeCloseTo(12.27, 1)
    // The band of a kernel that never moved: median ± 0, a line at the runs' height.
    expect(Number(await chart.locator('rect.band').getAttribute('y'))).toBeCloseTo(97.73, 1)
    expect(await chart.locator('title').textContent()).toBe(
      "The last 9 comparable runs of the baseline's history: 100.00 µs to 100.00 µs; noise band 100.00 µs to 100.00 µs; this head: 108.00 µs."
    )

    // The noisy kernel's band: median 100 µs ± 3 × 1.4826 × MAD (4 µs) = 82.21 to 117.79 µs.
    const noisy = page.locator(`${regressions} tbody tr`).filter({ hasText: 'noisy' })
    await noisy.getByRole('button').first().click()
    const titles = await page.locator(`${regressions} svg.trend title`).allTextContents()
    expect(titles).toContain(
      "The last 9 comparable runs of the baseline's history: 92.00 µs to 108.00 µs; noise band 82.21 µs to 117.79 µs; this head: 112.00 µs."
    )
    // The hostile name stayed text.
    expect(await page.evaluate('window.pwned')).toBeUndefined()
    expect(await page.locator('img').count()).toBe(0)
    expect(problems).toEqual([])
  })
})

/**
 * Audited defects of the page, each checked on what the browser shows. Expected values are
 * worked out by hand from the profiles written here.
 */
describe('per-occurrence tables, long words and nested range names in Chromium', () => {
  /** A row: `total` ns over `instances` launches (or occurrences), in `occurrences` of its range. */
  function stat(name: string, total: number, instances: number, occurrences?: number): Stat {
    const s: Stat = { name, total, instances, avg: total / instances, min: 0, max: total }
    if (occurrences !== undefined) s.occurrences = occurrences
    return s
  }

  /** A profile with GPU kernels and the NVTX tables given. */
  function nvtxRun(
    tables: Partial<Record<TableName, Stat[]>>,
    meta: Partial<Profile['meta']> = {}
  ): Profile {
    const p = profile({ kernels: { gemm: [1_000_000, 100] } }, meta)
    for (const [name, rows] of Object.entries(tables) as [TableName, Stat[]][])
      p.tables[name] = new Map(rows.map((row) => [row.name, row]))
    return p
  }

  /** The header texts and the rows' cells (tab-separated by the browser) of a section, opened. */
  async function grid(page: Page, id: string): Promise<{ head: string[]; rows: string[][] }> {
    const folded = page.locator(`details${id}:not([open]) > summary`)
    if ((await folded.count()) > 0) await folded.click()
    const head = await page.locator(`${id} thead th`).allInnerTexts()
    const rows = await page.locator(`${id} tbody tr`).allInnerTexts()
    return { head: head.map((h) => h.trim()), rows: rows.map((r) => r.split('\t')) }
  }

  it('a per-occurrence table is labelled per occurrence and counts occurrences, not launches', async (ctx) => {
    const attn = nvtxKernelName('decode', 'attn')
    const norm = nvtxKernelName('decode', 'norm')
    // attn: 10 launches in 2 occurrences of decode, 50 µs → 60 µs in all: 25 → 30 µs an
    // occurrence (+5 µs, +20 %), counted 2. norm: 3 launches in 3 occurrences, 9 µs: 3 µs an
    // occurrence, unchanged, counted 3. By launches attn (10) would sort before norm (3); by
    // occurrences norm (3) comes first.
    const comparison = compareProfiles(
      [
        nvtxRun({
          nvtxGpu: [stat('decode', 100_000, 2)],
          nvtxKernels: [stat(attn, 50_000, 10, 2), stat(norm, 9_000, 3, 3)]
        })
      ],
      [
        nvtxRun({
          nvtxGpu: [stat('decode', 100_000, 2)],
          nvtxKernels: [stat(attn, 60_000, 10, 2), stat(norm, 9_000, 3, 3)]
        })
      ],
      buildRules(undefined)
    )
    const { page, problems } = await open(ctx, comparison)

    const full = await section(page, 'Kernels per NVTX range:')
    const { head, rows } = await grid(page, full)
    expect(head.slice(0, 7)).toEqual([
      'Range › kernel',
      'Status',
      'Base per occurrence',
      'Head per occurrence',
      'Δ',
      'Δ %',
      'Occurrences'
    ])
    const row = (name: string): string[] | undefined => rows.find((r) => r[0] === name)
    expect(row(attn)?.slice(2, 7)).toEqual(['25.00 µs', '30.00 µs', '+5.00 µs', '+20.0%', '2'])
    expect(row(norm)?.slice(2, 7)).toEqual(['3.00 µs', '3.00 µs', '0 ns', '0.0%', '3'])
    // The regression's own section: the same headers and count.
    const regressions = await section(page, 'Regressions in Kernels per NVTX range')
    const moved = await grid(page, regressions)
    expect(moved.head.slice(2, 7)).toEqual(head.slice(2, 7))
    expect(moved.rows.map((r) => [r[0], r[6]])).toEqual([[attn, '2']])
    // Sorted by the count: the occurrences, largest first.
    const sortBy = page.locator(`${full} thead th`).filter({ hasText: /^Occurrences$/ })
    await sortBy.getByRole('button').click()
    expect(await sortBy.getAttribute('aria-sort')).toBe('descending')
    expect(await names(page, full)).toEqual([norm, attn])
    // NVTX ranges in GPU time: decode 50 µs an occurrence (100 µs over 2), counted 2.
    const ranges = await grid(page, await section(page, 'NVTX ranges in GPU time:'))
    expect(ranges.head.slice(2, 7)).toEqual(head.slice(2, 7))
    expect(ranges.rows[0]?.slice(2, 7)).toEqual(['50.00 µs', '50.00 µs', '0 ns', '0.0%', '2'])

    // The breakdown: the total of a per-occurrence table is a sum of per-occurrence times, 25 + 3
    // = 28 µs → 30 + 3 = 33 µs (+17.9 %); a total table keeps its plain label.
    const breakdown = (await page.locator('#breakdown tbody tr').allInnerTexts()).map((r) =>
      r.split('\t')
    )
    const labels = breakdown.map((r) => r[0])
    expect(labels).toContain('GPU kernels')
    expect(labels.filter((l) => l?.includes('per occurrence'))).toEqual([
      'NVTX ranges in GPU time, per occurrence (sum over items)',
      'Kernels per NVTX range, per occurrence (sum over items)'
    ])
    expect(breakdown.find((r) => r[0]?.startsWith('Kernels per NVTX range'))?.slice(1, 5)).toEqual([
      '28.00 µs',
      '33.00 µs',
      '+5.00 µs',
      '+17.9%'
    ])
    // The longer label wraps: the page keeps the 1,200 px window's width, the breakdown its own.
    expect(
      await page.evaluate<number[]>(`[document.documentElement.scrollWidth,
        document.querySelector('#breakdown .scroll').scrollWidth -
        document.querySelector('#breakdown .scroll').clientWidth]`)
    ).toEqual([1200, 0])
    expect(problems).toEqual([])
  })

  it('a long word in a reason, a context line, a note or a status wraps: the page keeps the window’s width', async (ctx) => {
    const gpu = `NVIDIA_${'H'.repeat(900)}`
    const reason = `see_${'x'.repeat(300)}`
    const long = `kernel_${'k'.repeat(600)}`
    // Different GPUs (inconclusive: the reason, the head's context line and a note name the head's
    // GPU), and a rules file that accepts the long kernel's regression with a one-word reason.
    const comparison = compareProfiles(
      [profile({ kernels: { gemm: 1_000_000, [long]: 500_000 } }, { gpus: [{ name: 'H100' }] })],
      [profile({ kernels: { gemm: 1_000_000, [long]: 700_000 } }, { gpus: [{ name: gpu }] })],
      buildRules({ accept: [{ pattern: '^kernel_', reason, until: '2099-12-31' }] })
    )
    const { page, problems } = await open(ctx, comparison, { context: [`run ${'r'.repeat(380)}`] })
    expect(await page.locator('#reasons li').filter({ hasText: 'HHHH' }).count()).toBeGreaterThan(0)
    expect(await page.locator('p.context').filter({ hasText: 'HHHH' }).count()).toBe(1)
    expect(await page.locator('p.context').filter({ hasText: 'rrrr' }).count()).toBe(1)
    expect(await page.locator('#notes li').filter({ hasText: 'HHHH' }).count()).toBeGreaterThan(0)
    const status = page.locator('td.status').filter({ hasText: 'xxxx' })
    expect(await status.count()).toBeGreaterThan(0)
    // The window is 1,200 px wide: the page is not wider, and no table scrolls sideways for a
    // status (the tables' other cells are short).
    const widths = await page.evaluate<{ page: number; window: number; tables: number[] }>(`({
      page: document.documentElement.scrollWidth,
      window: document.documentElement.clientWidth,
      tables: [...document.querySelectorAll('.scroll')].map((s) => s.scrollWidth - s.clientWidth)
    })`)
    expect(widths.window).toBe(1200)
    expect(widths.page).toBe(1200)
    expect(widths.tables.filter((over) => over > 0)).toEqual([])
    expect(problems).toEqual([])
  })

  it('a range whose name holds " › " lists its own kernels, not those of the range it nests in', async (ctx) => {
    // train and train › step, each with a kernel of its own; decode with a kernel whose own name
    // holds the separator.
    const step = nvtxKernelName('train › step', 'gemm_kernel')
    const train = nvtxKernelName('train', 'optimizer_kernel')
    const decode = nvtxKernelName('decode', 'attn › fused')
    const side = (gemm: number): Profile =>
      nvtxRun({
        nvtxGpu: [
          stat('train', 400_000, 2),
          stat('train › step', 200_000, 2),
          stat('decode', 100_000, 4)
        ],
        nvtxKernels: [
          stat(step, gemm, 20, 2),
          stat(train, 60_000, 2, 2),
          stat(decode, 40_000, 4, 4)
        ]
      })
    // gemm_kernel: 100 → 120 µs in 2 occurrences: 50 → 60 µs an occurrence (+20 %).
    const comparison = compareProfiles([side(100_000)], [side(120_000)], buildRules(undefined))
    const { page, problems } = await open(ctx, comparison)
    const kernelsOf = async (range: string): Promise<string[][]> => {
      const row = page
        .locator('#nvtx-phases table.phases > tbody > tr')
        .filter({ has: page.getByRole('button', { name: `Kernels of ${range}`, exact: true }) })
      // A range with no kernels has no button.
      expect(await row.count()).toBe(1)
      await row.getByRole('button').click()
      const detail = page.locator('#nvtx-phases tr.detail table.phase-kernels tbody tr')
      const rows = (await detail.allInnerTexts()).map((r) => r.split('\t'))
      await row.getByRole('button').click()
      return rows
    }
    expect(await kernelsOf('train › step')).toEqual([
      ['gemm_kernel', '50.00 µs', '60.00 µs', '+20.0%', '2']
    ])
    expect(await kernelsOf('train')).toEqual([
      ['optimizer_kernel', '30.00 µs', '30.00 µs', '0.0%', '2']
    ])
    expect(await kernelsOf('decode')).toEqual([
      ['attn › fused', '10.00 µs', '10.00 µs', '0.0%', '4']
    ])
    expect(problems).toEqual([])
  })

  it('a long kernel name in a range is shortened, and whole in its tooltip', async (ctx) => {
    const long = `void at::native::elementwise_kernel<128, 4, ${'at::native::detail::Array<char*, 3>, '.repeat(6)}float>(int, T1)`
    const side = (ns: number): Profile =>
      nvtxRun({
        nvtxGpu: [stat('decode', 100_000, 4)],
        nvtxKernels: [stat(nvtxKernelName('decode', long), ns, 4, 4)]
      })
    const { page, problems } = await open(
      ctx,
      compareProfiles([side(40_000)], [side(48_000)], buildRules(undefined))
    )
    const row = page
      .locator('#nvtx-phases table.phases > tbody > tr')
      .filter({ has: page.getByRole('button', { name: 'Kernels of decode', exact: true }) })
    await row.getByRole('button').click()
    const name = page.locator('#nvtx-phases tr.detail table.phase-kernels tbody th').first()
    const text = (await name.textContent()) ?? ''
    expect(text).toContain('…')
    expect(text.length).toBeLessThan(long.length)
    expect(await name.getAttribute('title')).toBe(long)
    expect(problems).toEqual([])
  })
})

describe('names that differ only in their middle', () => {
  /** vLLM's FlashAttention split-KV kernel, causal or not: the flag sits in the cut middle. */
  const flash = (causal: boolean): string =>
    `void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, ${causal}, false, false, false, true, true, false, false>(flash::Flash_fwd_params)`

  it('show where they differ in the cells, and whole in the tooltip', async (ctx) => {
    const base = profile({ kernels: { [flash(true)]: 100_000_000, [flash(false)]: 100_000_000 } })
    const head = profile({ kernels: { [flash(true)]: 130_000_000, [flash(false)]: 100_000_000 } })
    const { page, problems } = await open(
      ctx,
      compareProfiles([base], [head], buildRules(undefined))
    )
    const full = await section(page, 'GPU kernels:')
    const cells = page.locator(`${full} tbody td.name`)
    const texts = await cells.allTextContents()
    expect(texts).toHaveLength(2)
    expect(texts[0]).not.toBe(texts[1])
    const titles = await Promise.all(texts.map((_, i) => cells.nth(i).getAttribute('title')))
    for (const [i, text] of texts.entries()) {
      const causal = titles[i] === flash(true)
      expect(titles[i]).toBe(flash(causal))
      expect(text).toContain(`>>, ${causal}, false`)
      expect(text.length).toBeLessThanOrEqual(160)
    }
    const regressed = page.locator(`${await section(page, 'Regressions (')} tbody td.name`)
    expect(await regressed.first().textContent()).toContain('>>, true, false')
    expect(problems).toEqual([])
  })

  it('a changed variant shows both names, apart, around its arrow', async (ctx) => {
    const base = profile({ kernels: { [flash(true)]: 100_000_000, other: 50_000_000 } })
    const head = profile({ kernels: { [flash(false)]: 130_000_000, other: 50_000_000 } })
    const { page, problems } = await open(
      ctx,
      compareProfiles([base], [head], buildRules(undefined))
    )
    const full = await section(page, 'GPU kernels:')
    const cell = page.locator(`${full} tbody td.name`).filter({ hasText: '→' })
    const text = (await cell.textContent()) ?? ''
    const [from, to] = text.split(' → ')
    expect(from).toContain('true, false')
    expect(to).toContain('false, false')
    expect(text.length).toBeLessThanOrEqual(160)
    // The tooltip has the two whole (each under the data's 300 characters).
    expect(await cell.getAttribute('title')).toBe(`${flash(true)} → ${flash(false)}`)
    expect(problems).toEqual([])
  })
})
