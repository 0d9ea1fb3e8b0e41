#!/usr/bin/env node
// The `godwit` command. Godwit is TypeScript; tsx compiles it on the fly, so no build step stands between a clone
// and a working command.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/run.ts');
