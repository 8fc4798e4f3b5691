// Types of rollup-typescript.mjs (plain JavaScript, which rollup.config.js imports), for the
// fuzzer's bundle (test/fuzz/bundle.ts).
import type { Plugin } from 'rollup'
export function typescriptFiles(tsconfig: string, overrides?: Record<string, unknown>): Plugin
export function projectFiles(root?: string): Plugin
