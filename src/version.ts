import pkg from '../package.json' with { type: 'json' }

/** This tool's name and version, recorded in every profile it writes. */
export const TOOL = { name: 'nsys-bench', version: pkg.version } as const
