#!/usr/bin/env node
// The `signet` command. Sources are TypeScript; tsx compiles them on the fly so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
