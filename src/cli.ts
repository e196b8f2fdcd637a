#!/usr/bin/env node
// The CLI: flags -> Config, the same pipeline as the action. (Wired in a later commit.)
console.error('clair-canary: the CLI is not wired yet')
process.exitCode = 2
