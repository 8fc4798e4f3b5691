/**
 * Debian's headless Chromium for the browser tests, driven by playwright-core. The logic that
 * fetches it lives in fetch-chromium.mjs (plain JS, also a command line); this module gives it
 * types and launches it with its environment (fetched libraries, its own fonts).
 */
import { chromium, type Browser } from 'playwright-core'
import { ensureChromium as ensureImpl } from './fetch-chromium.mjs'
import type { ChromiumInstall } from './fetch-chromium.mjs'

export type { ChromiumInstall }

/** The browser (downloaded on the first call, then cached), or why it cannot be had here. */
export async function ensureChromium(): Promise<ChromiumInstall | { skipped: string }> {
  return ensureImpl()
}

/** Launches the browser: headless, no sandbox (playwright's default), its own libraries and fonts. */
export async function launchChromium(install: ChromiumInstall): Promise<Browser> {
  return chromium.launch({
    executablePath: install.executablePath,
    env: { ...process.env, ...install.env },
    timeout: 60_000
  })
}
