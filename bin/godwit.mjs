#!/usr/bin/env node
// The name older instructions and scripts use for the `godwit` command: runs bin/godwit.cjs, the launcher, which
// starts ~6 ms sooner as the entry point itself (no ES module loader).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./godwit.cjs');
