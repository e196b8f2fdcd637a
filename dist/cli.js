#!/usr/bin/env node
import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);

// src/cli.ts
console.error("clair-canary: the CLI is not wired yet");
process.exitCode = 2;
