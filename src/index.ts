// First: it must run before @actions/github reads the event payload (see the module).
import { restoreEventPath } from './action/event-guard.js'
import { DefaultArtifactClient } from '@actions/artifact'
import * as core from '@actions/core'
import { createOctokit } from './action/octokit.js'
import { runProcess } from './action/process.js'
import { run } from './main.js'

// The action's entry point: the real collaborators, wired once.
restoreEventPath()
await run({
  core,
  env: process.env,
  runProcess,
  octokit: createOctokit,
  artifacts: () => new DefaultArtifactClient(),
  writeSummary: async (markdown) => {
    await core.summary.addRaw(markdown, true).write()
  }
})
