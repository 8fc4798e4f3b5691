import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const FIXTURES = join(ROOT, 'test', 'fixtures')
export const CORPUS = join(FIXTURES, 'corpus', 'nsys')
/** The shared corpus beside a developer's checkout; absent on CI. */
export const SHARED_CORPUS = join(ROOT, '..', 'shared', 'corpus')
