#!/usr/bin/env node
// The `signet` command. In a checkout the sources are TypeScript and tsx (a dev dependency) compiles them
// on the fly, so the CLI needs no build step; an installed package runs its compiled dist/.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/cli/main.js'));
}
process.exitCode = await main(process.argv);
