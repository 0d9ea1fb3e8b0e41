import { call } from './api/transport.ts';

type InitialAnswers = Promise<[Awaited<ReturnType<typeof call<'project/overview'>>>, Awaited<ReturnType<typeof call<'settings/get'>>>]>;

/**
 * The first screen's two requests, sent while the rest of the app's code is still being loaded: main.tsx imports
 * this module first. The back end reads the project and every environment's history meanwhile.
 */
let sent: InitialAnswers | null = Promise.all([call('project/overview', {}), call('settings/get', {})]);
// Handled where it is awaited (loadInitial); this keeps an early failure from being reported as unhandled.
sent.catch(() => undefined);

/** The requests' answers, once: the module lets go of them (the packed statuses are not kept beside the store's). */
export function takeInitialRequests(): InitialAnswers | undefined {
  const answers = sent ?? undefined;
  sent = null;
  return answers;
}
