import type { CloseOptions, Db } from '../db/db.ts';
import { openEnvironment, type Environment } from './environments.ts';

/**
 * Opens the environment's database, runs `fn`, and always closes it. A command that ends after `fn` and reads only
 * passes `{ wait: false }`: the server closing its end is then not part of the command's time (db.ts, CloseOptions).
 */
export async function withEnvironment<T>(env: Environment, fn: (db: Db) => Promise<T>, close?: CloseOptions): Promise<T> {
  const db = await openEnvironment(env);
  try {
    return await fn(db);
  } finally {
    await db.close(close);
  }
}
