import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { demoProfiles } from '../../src/demo/demo.js'
import { loadInput } from '../../src/load/index.js'
import { htmlText, markdownText, terminalText } from '../../src/render/escape.js'
import { logLine, visible } from '../../src/text.js'
import { comparisonToRecord } from '../../src/compare/record.js'
import {
  COMMENT_LIMIT,
  renderCache,
  renderMarkdown,
  SUMMARY_LIMIT_BYTES
} from '../../src/render/markdown.js'
import { renderProfileText, renderText } from '../../src/render/text.js'
import { profile } from '../support/profiles.js'
import { CORPUS, ROOT } from '../support/paths.js'
import { budget } from '../support/timing.js'

/**
 * Golden files: the rendered reports are kept in test/golden and reviewed as Markdown/text.
 * After an intended change: `UPDATE_GOLDEN=1 npx vitest run test/render`, then read the diff.
 */
const GOLDEN = join(ROOT, 'test', 'golden')

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name)
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true })
    writeFileSync(path, actual)
    if (!process.env.UPDATE_GOLDEN)
      throw new Error(`wrote missing golden file ${name}; review it and run again`)
  }
  expect(actual).toBe(readFileSync(path, 'utf8'))
}

async function demo(runs: number): Promise<Comparison> {
  const { base, head } = await demoProfiles(runs)
  // A fixed day: the JSON record carries "today", and a golden must not change with the clock.
  return compareProfiles(base, head, buildRules(undefined), {
    now: new Date('2026-11-29T12:00:00Z')
  })
}

const HOSTILE = [
  'a|b|c pipe',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'ping @octocat and @github/security',
  'back`tick``s and ```fences',
  '`leading backtick',
  '**bold** _em_ [link](https://evil.example) ![img](x)',
  'line\nbreak\r\nand tab\there',
  'bidi \u202Eevil\u202C and zero\u200Bwidth',
  'ansi \u001b[31mred\u001b[0m',
  `${'very_long_template_'.repeat(300)}end`,
  '#1 issue ref and :shipit: emoji &amp; entity'
]

function hostileComparison(): Comparison {
  const base = Object.fromEntries(HOSTILE.map((name, i) => [name, 100_000 + i]))
  const head = Object.fromEntries(HOSTILE.map((name, i) => [name, i % 2 === 0 ? 130_000 : 70_000]))
  return compareProfiles(
    [profile({ kernels: base })],
    [profile({ kernels: head })],
    buildRules(undefined)
  )
}

/** GitHub-flavoured Markdown → HTML, as a PR comment would render (without GitHub's own filters). */
function html(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] })
}

describe('golden reports', () => {
  it('demo, one run a side: Markdown', async () =>
    golden('demo.md', renderMarkdown(await demo(1), { maxChars: COMMENT_LIMIT })))
  it('demo, one run a side: text', async () => golden('demo.txt', renderText(await demo(1))))
  it('demo, one run a side: JSON', async () =>
    golden('demo.json', `${JSON.stringify(comparisonToRecord(await demo(1)), null, 2)}\n`))
  it('demo, five runs a side: Markdown', async () =>
    golden('demo-5-runs.md', renderMarkdown(await demo(5), { maxChars: COMMENT_LIMIT })))
  it('demo, five runs a side: text', async () =>
    golden('demo-5-runs.txt', renderText(await demo(5))))
  it('hostile kernel names: Markdown', () =>
    golden('hostile.md', renderMarkdown(hostileComparison(), { maxChars: COMMENT_LIMIT })))
  it('hostile kernel names: text', () => golden('hostile.txt', renderText(hostileComparison())))
  it('summarize: text', async () => {
    const [p] = await loadInput(
      join(CORPUS, 'generated_nsys-2022.4.2_stats_default-reports_csv.txt')
    )
    p!.meta.sources = ['generated_nsys-2022.4.2_stats_default-reports_csv.txt']
    golden('summarize.txt', renderProfileText(p!))
  })
})

describe('hostile kernel names', () => {
  const markdown = renderMarkdown(hostileComparison(), { maxChars: COMMENT_LIMIT })
  const rendered = html(markdown)

  it('never become HTML, links, images or emphasis', () => {
    const cells = [...rendered.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1] ?? '')
    expect(cells.length).toBeGreaterThan(HOSTILE.length)
    for (const cell of cells) expect(cell.replace(/<\/?code>/g, '')).not.toContain('<')
    expect(rendered).not.toMatch(/<script|<img|<a /)
    expect(rendered).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('keep every table row to its columns (pipes escaped)', () => {
    const tables = [...rendered.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1] ?? '')
    expect(tables.length).toBeGreaterThan(0)
    for (const table of tables) {
      const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(
        (m) => (m[1]?.match(/<t[hd][ >]/g) ?? []).length
      )
      expect(new Set(rows).size, table.slice(0, 300)).toBe(1)
    }
    expect(rendered).toContain('<code>a|b|c pipe</code>')
  })

  it('mention nobody: @ appears only inside code', () => {
    const outsideCode = rendered.replace(/<code>[\s\S]*?<\/code>/g, '')
    expect(outsideCode).not.toContain('@octocat')
  })

  it('show control, bidi and zero-width characters instead of obeying them', () => {
    // eslint-disable-next-line no-control-regex -- the characters that must not get through
    expect(markdown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u200b]/u)
    expect(markdown).toContain('\\u{202e}evil')
    expect(markdown).toContain('\\u{1b}[31mred')
    const text = renderText(hostileComparison())
    // eslint-disable-next-line no-control-regex -- the characters that must not get through
    expect(text).not.toMatch(/\u001b|\u202e/u)
  })
})

describe('names that broke out of their table cell or hid characters', () => {
  // A backslash before a pipe: micromark reads `\\` as an escaped backslash and split the cell.
  const names = [
    'a\\|b',
    'x\\\\|y',
    'range\\',
    'arabic\u061Cmark',
    'line\u2028sep and para\u2029sep',
    'soft\u00ADhyphen',
    'tag\u{E0041}\u{E0042}s',
    'variation\uFE0Fselector'
  ]
  const base = Object.fromEntries(names.map((n, i) => [n, 100_000 + i]))
  const head = Object.fromEntries(names.map((n, i) => [n, 150_000 + i]))
  const comparison = compareProfiles(
    [profile({ kernels: base })],
    [profile({ kernels: head })],
    buildRules(undefined)
  )
  const markdown = renderMarkdown(comparison, { maxChars: COMMENT_LIMIT })
  const rendered = html(markdown)

  it('keep every row to its columns, whatever backslashes come before a pipe', () => {
    const tables = [...rendered.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1] ?? '')
    for (const table of tables) {
      const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(
        (m) => (m[1]?.match(/<t[hd][ >]/g) ?? []).length
      )
      expect(new Set(rows).size, table.slice(0, 300)).toBe(1)
    }
    expect(rendered).toContain('<code>a\\u{5c}|b</code>')
    expect(rendered).toContain('<code>x\\u{5c}\\u{5c}|y</code>')
  })

  it('show invisible and separator characters as escapes', () => {
    for (const hidden of ['\u061C', '\u2028', '\u2029', '\u00AD', '\u{E0041}', '\uFE0F'])
      expect(markdown).not.toContain(hidden)
    for (const shown of [
      '\\u{61c}',
      '\\u{2028}',
      '\\u{2029}',
      '\\u{ad}',
      '\\u{e0041}',
      '\\u{fe0f}'
    ])
      expect(markdown).toContain(shown)
  })

  it('cost the same whatever their length: a 20 MB name is shortened without being copied', () => {
    const huge = `${'k'.repeat(20_000_000)}_end`
    const c = compareProfiles(
      [profile({ kernels: { [huge]: 1_000_000 } })],
      [profile({ kernels: { [huge]: 2_000_000 } })],
      buildRules(undefined)
    )
    const limit = budget(3000)
    const started = performance.now()
    const out = renderMarkdown(c, { maxChars: COMMENT_LIMIT })
    expect(performance.now() - started).toBeLessThan(limit)
    expect(out).toMatch(/`k+…k*_end`/)
    expect(out.length).toBeLessThan(COMMENT_LIMIT)
  })
})

describe('many notes', () => {
  it('are trimmed like rows: the comment keeps its size, its tables and its closed <details>', () => {
    const c = compareProfiles(
      [profile({ kernels: { a: 1_000_000 } })],
      [profile({ kernels: { a: 1_000_000 } })],
      buildRules(undefined)
    )
    for (let i = 0; i < 5000; i++)
      c.notes.push({
        code: 'input',
        severity: i % 2 === 0 ? 'info' : 'warning',
        message: `note ${i}: ${'x'.repeat(300)} |a|b| <details> @user`
      })
    const markdown = renderMarkdown(c, { maxChars: 20_000, fullReport: 'the artifact' })
    expect(markdown.length).toBeLessThanOrEqual(20_000)
    expect((markdown.match(/<details>/g) ?? []).length).toBe(
      (markdown.match(/<\/details>/g) ?? []).length
    )
    expect(markdown).toMatch(
      /notes? not shown to keep this report within GitHub's size limit; the artifact/
    )
    const out = html(markdown)
    expect(out).not.toContain('@user')
    expect(markdown).toContain('<details><summary>GPU kernels:')
  })
})

describe('untrusted prose (notes, profile metadata)', () => {
  it('links nothing and mentions nobody', () => {
    const text = markdownText(
      '[x](https://evil.example) see https://evil.example, www.evil.example and @octocat <b>hi</b> *em*'
    )
    const out = html(text)
    expect(out).not.toMatch(/<a |<b>|<em>/)
    expect(out).not.toContain('@octocat')
    expect(out).toContain('&lt;b&gt;hi&lt;/b&gt;')
  })

  it('links no www. name after an underscore, a star or a parenthesis (GFM starts one there)', () => {
    for (const name of [
      'attn_www.evil.example/login',
      'k*www.evil.example',
      '(www.evil.example)'
    ]) {
      const out = html(markdownText(name))
      expect(out, name).not.toMatch(/<a /)
      // Shown, with a zero-width space after `www`.
      expect(out, name).toContain('www\u200b.evil.example')
    }
  })

  it('references no issue, pull request or other repository (`#1`, `owner/repo#3`, `GH-2`)', () => {
    const text = markdownText('fixes #1 and torvalds/linux#1, GH-2')
    // GitHub links these on the rendered text, escaped or not: a zero-width space after `#` and `GH-`.
    const out = html(text)
    expect(out).toContain('#\u200b1')
    expect(out).toContain('linux#\u200b1')
    expect(out).toContain('GH-\u200b2')
    expect(out).not.toMatch(/#\d|GH-\d/)
    // In raw HTML (a <summary> line) too, and an entity in the name stays text.
    const summary = htmlText('#12 &#39; GH-7')
    expect(summary).toBe('#&#8203;12 &amp;#&#8203;39; GH-&#8203;7')
  })
})

describe('the workflow log', () => {
  it("carries no command of the runner's older syntax (`##[error]`, read anywhere in a line)", () => {
    expect(visible('evil ##[error]injected ###[x]')).toBe(
      'evil #\\u{23}[error]injected ##\\u{23}[x]'
    )
    expect(logLine('progress 50% ##[stop-commands]tok')).not.toContain('##[')
    expect(terminalText('k ##[add-mask]secret')).not.toContain('##[')
  })

  it('shows the spaces a reader cannot tell from a space (no-break, thin, ideographic), and keeps the space', () => {
    expect(visible('gemm\u00a0kernel a\u2009b\u3000c\u202fd e')).toBe(
      'gemm\\u{a0}kernel a\\u{2009}b\\u{3000}c\\u{202f}d e'
    )
    expect(terminalText('k\u00a0x')).toBe('k\\u{a0}x')
    expect(logLine('12\u202f345 ns')).toBe('12\\u{202f}345 ns')
  })
})

describe('size limits', () => {
  const many = (n: number, length: number): Comparison => {
    const base: Record<string, number> = {}
    const head: Record<string, number> = {}
    for (let i = 0; i < n; i++) {
      const name = `void kernel_${i}_${'x'.repeat(length)}<float>(float*, int)`
      base[name] = 1_000_000 + i
      head[name] = i % 3 === 0 ? 1_200_000 + i : 1_000_000 + i
    }
    return compareProfiles(
      [profile({ kernels: base })],
      [profile({ kernels: head })],
      buildRules({ minShare: 0.0001 })
    )
  }

  it('keeps a PR comment under 65,536 characters, trimming rows with a visible note', () => {
    const comparison = many(20_000, 150)
    const prefix = '<!-- nsys-bench:default -->\n'
    const markdown = renderMarkdown(comparison, {
      maxChars: COMMENT_LIMIT,
      prefix,
      fullReport: 'the full report is in the artifact'
    })
    expect(prefix.length + markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(markdown).toMatch(/^### ❌ nsys-bench: GPU performance regression/)
    expect(markdown).toMatch(
      /_[\d,]+ rows not shown to keep this report within GitHub's size limit; the full report is in the artifact\._/
    )
    expect(markdown).toContain('#### Regressions (6667)')
  })

  it("renders up to about twice the rows the comment shows of a table's 20,000, not the whole table", () => {
    // 20,000 kernels, 10 of them slower: the full table is what does not fit.
    const base: Record<string, number> = {}
    const head: Record<string, number> = {}
    for (let i = 0; i < 20_000; i++) {
      const name = `void kernel_${i}_${'x'.repeat(150)}<float>(float*, int)`
      base[name] = 1_000_000 + i
      head[name] = i % 2000 === 0 ? 1_200_000 + i : 1_000_000 + i
    }
    const comparison = compareProfiles(
      [profile({ kernels: base })],
      [profile({ kernels: head })],
      buildRules({ minShare: 0.0001 })
    )
    const cache = renderCache()
    const markdown = renderMarkdown(comparison, { maxChars: COMMENT_LIMIT, cache })
    // Item rows: a table line whose first cell is a kernel's name (in backticks).
    const shown = markdown.split('\n').filter((line) => line.startsWith('| `')).length
    expect(shown).toBeGreaterThan(50)
    let rendered = 0
    for (const rows of cache.values()) rendered += rows.size
    expect(rendered).toBeGreaterThanOrEqual(shown)
    expect(rendered).toBeLessThanOrEqual(4 * shown)
  })

  it('keeps a job summary under 1 MiB', () => {
    const markdown = renderMarkdown(many(20_000, 150), { maxBytes: SUMMARY_LIMIT_BYTES })
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES)
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(SUMMARY_LIMIT_BYTES * 0.9)
  })

  it('does not trim what fits', () => {
    const markdown = renderMarkdown(many(20, 10), { maxChars: COMMENT_LIMIT })
    expect(markdown).not.toContain('not shown')
  })
})
