// RE2 as a file of its own in dist/ (dist/re2.cjs, rollup.config.js), which lazy-node.ts loads
// on first use.
export { RE2JS } from 're2js'
