// The entry is only this: the first screen's requests go out at once, and the app's code (most of the download and
// of the time to evaluate) is loaded meanwhile, as its own chunk.
import { takeInitialRequests } from './initial-requests.ts';
import './styles.css';

void import('./start-app.tsx').then(({ startApp }) => startApp(takeInitialRequests()));
