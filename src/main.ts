// The GitHub Action: inputs -> Config, real clients, the pipeline, publishing. (Wired in a later commit.)
import * as core from '@actions/core'

export async function run(): Promise<void> {
  core.setFailed('clair-canary: the action is not wired yet')
}
